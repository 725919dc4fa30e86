import { describe, expect, it } from 'vitest';
import { pickFolderTitle, themeChoice } from '../../../src/main/desktop/ipc-args.ts';

describe('desktop IPC arguments', () => {
  it('takes a short title for the folder dialog and replaces anything else', () => {
    expect(pickFolderTitle('  Choose folder A ')).toBe('Choose folder A');
    for (const bad of ['', 'x'.repeat(201), 42, null, { toString: () => 'A' }])
      expect(pickFolderTitle(bad)).toBe('Choose a folder of images');
  });

  it('takes only the three theme choices', () => {
    expect(themeChoice('dark')).toBe('dark');
    expect(themeChoice('system')).toBe('system');
    expect(themeChoice('DARK')).toBeNull();
    expect(themeChoice(['dark'])).toBeNull();
  });
});
