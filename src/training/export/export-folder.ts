// The folder rule shared by both export formats: new, empty, or an earlier export of the same
// format (whose own files are replaced); anything else in it is someone's, and is refused.
import fs from 'node:fs/promises';

export async function prepareExportFolder(folder: string, ownFiles: ReadonlySet<string>): Promise<void> {
  let entries: string[];
  try {
    entries = await fs.readdir(folder);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      await fs.mkdir(folder, { recursive: true });
      return;
    }
    if (code === 'ENOTDIR') throw new Error(`${folder} is a file, not a folder`);
    throw error;
  }
  const foreign = entries.filter((name) => !ownFiles.has(name) && !name.startsWith('.'));
  if (foreign.length > 0)
    throw new Error(
      `${folder} already holds other files (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}); export into a new or empty folder`,
    );
}
