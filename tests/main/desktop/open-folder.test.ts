import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { folderToOpen } from '../../../src/main/desktop/open-folder.ts';

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'diptych-open-folder-')));
const workspace = path.join(root, 'workspace');
const output = path.join(root, 'converted');
const elsewhere = path.join(root, 'private');
for (const dir of [path.join(workspace, 'runs', 'r1'), output, path.join(output, 'sub'), elsewhere])
  fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(output, 'a.png'), 'x');
fs.symlinkSync(elsewhere, path.join(workspace, 'link-out'));
const allowed = { exact: [output], within: [workspace] };

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('which folder the desktop app opens for the page', () => {
  it('opens a recorded output folder and folders in the workspace', () => {
    expect(folderToOpen(output, allowed)).toBe(output);
    expect(folderToOpen(`${output}${path.sep}`, allowed)).toBe(output);
    expect(folderToOpen(workspace, allowed)).toBe(workspace);
    expect(folderToOpen(path.join(workspace, 'runs', 'r1'), allowed)).toBe(path.join(workspace, 'runs', 'r1'));
  });

  it('refuses other folders, traversal, links out, files, relative paths and non-strings', () => {
    expect(folderToOpen(elsewhere, allowed)).toBeNull();
    expect(folderToOpen(root, allowed)).toBeNull();
    // Only the output folder itself, not what lies inside it (that is the person's data).
    expect(folderToOpen(path.join(output, 'sub'), allowed)).toBeNull();
    expect(folderToOpen(path.join(workspace, '..', 'private'), allowed)).toBeNull();
    expect(folderToOpen(path.join(workspace, 'link-out'), allowed)).toBeNull();
    expect(folderToOpen(path.join(output, 'a.png'), allowed)).toBeNull();
    expect(folderToOpen('converted', allowed)).toBeNull();
    expect(folderToOpen(path.join(root, 'missing'), allowed)).toBeNull();
    for (const bad of [42, null, ['x'], `${output}\0`, '']) expect(folderToOpen(bad, allowed)).toBeNull();
  });
});
