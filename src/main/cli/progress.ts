// One-line progress for terminals; silent when the output is piped or in --json mode.
export function createProgress(label: string, enabled = process.stderr.isTTY === true) {
  return {
    update(done: number, total: number) {
      if (!enabled) return;
      const width = 24;
      const filled = Math.round((done / total) * width);
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
      if (done === total) process.stderr.write('\n');
    },
  };
}
