import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The directory of fleetbench's package.json, found upwards from this module, so that rules/ and
 * fixtures/ are found whether the code runs from src/ (tests), dist/ or a benchmark build.
 */
function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'fleetbench') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('fleetbench: cannot find its package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

export const PACKAGE_ROOT = findPackageRoot();
