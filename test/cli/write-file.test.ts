import { watch } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/cli/write-file.js';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fleetbench-write-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('never shows node_exporter a file ending in .prom but the finished one: the temporary name ends otherwise', async () => {
    // node_exporter's textfile collector reads *.prom whenever it is scraped, so a half-written
    // temporary file named *.prom would be read. Every name that appears in the directory is seen.
    const names = new Set<string>();
    const watcher = watch(dir);
    const done = new Promise<void>((resolve) => {
      watcher.on('change', (_, name) => {
        names.add(String(name));
        if (name === 'fleet.prom') resolve();
      });
    });
    try {
      writeFileAtomic(join(dir, 'fleet.prom'), ['# HELP a_b x\n', '# TYPE a_b gauge\n', 'a_b 1\n']);
      await done;
    } finally {
      watcher.close();
    }
    const temporary = [...names].filter((name) => name !== 'fleet.prom');
    expect(temporary.length).toBeGreaterThan(0);
    expect(temporary.filter((name) => name.endsWith('.prom'))).toEqual([]);
    expect(await readFile(join(dir, 'fleet.prom'), 'utf8')).toBe('# HELP a_b x\n# TYPE a_b gauge\na_b 1\n');
    expect(await readdir(dir)).toEqual(['fleet.prom']);
  });
});
