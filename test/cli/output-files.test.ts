import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/option-table.js';
import { outputFiles } from '../../src/cli/options.js';
import { checkOutputs, writeOutputs } from '../../src/cli/outputs.js';
import { finding, scanResult } from '../support/scan-results.js';
import { thrownMessage } from '../support/thrown.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetbench-outputs-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('checkOutputs', () => {
  it('names every -o that cannot be written: no folder, a folder, not a regular file, given twice', async () => {
    await mkdir(join(dir, 'folder.json'));
    await writeFile(join(dir, 'file'), '');
    // A socket stands for anything that is not a regular file (a device, a pipe).
    const socket = createServer();
    await new Promise<void>((resolve) => socket.listen(join(dir, 'pipe.json'), resolve));
    const paths = ['missing/r.json', 'folder.json', 'pipe.json', 'file/r.json', 'ok.json', 'ok.json'].map((name) => join(dir, name));
    expect(thrownMessage(() => checkOutputs(outputFiles(paths)), UsageError).split('\n')).toEqual([
      `-o ${join(dir, 'missing/r.json')}: the folder ${join(dir, 'missing')} does not exist`,
      `-o ${join(dir, 'folder.json')}: is a folder; name a file in it`,
      `-o ${join(dir, 'pipe.json')}: is not a regular file; -o writes files (for stdout, use --format)`,
      `-o ${join(dir, 'file/r.json')}: ${join(dir, 'file')} is not a folder`,
      `-o ${join(dir, 'ok.json')}: is given twice`,
    ]);
    // The check leaves nothing behind.
    expect(existsSync(join(dir, 'ok.json'))).toBe(false);
    socket.close();
  });
});

describe('writeOutputs', () => {
  it('writes every output it can and says why each other one failed', async () => {
    const outputs = outputFiles([join(dir, 'gone', 'r.json'), join(dir, 'r.csv')]);
    const wrote: string[] = [];
    const failures = writeOutputs(scanResult([finding()]), outputs, { color: false, all: false, failOn: 'fail' }, (path) => wrote.push(path));
    expect(failures).toEqual([expect.stringMatching(new RegExp(`^cannot write ${join(dir, 'gone', 'r.json')}: ENOENT`)) as string]);
    expect(wrote).toEqual([join(dir, 'r.csv')]);
    expect(existsSync(join(dir, 'r.csv'))).toBe(true);
  });
});
