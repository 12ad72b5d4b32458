import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface PackageManifest {
  name?: string;
  version: string;
}

/**
 * fleetbench's package.json and its directory, found upwards from this module, so that rules/ and
 * fixtures/ are found whether the code runs from src/ (tests), dist/ or a benchmark build.
 */
function findPackage(): { root: string; manifest: PackageManifest } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const path = join(dir, 'package.json');
    if (existsSync(path)) {
      const manifest = JSON.parse(readFileSync(path, 'utf8')) as PackageManifest;
      if (manifest.name === 'fleetbench') return { root: dir, manifest };
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('fleetbench: cannot find its package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

const found = findPackage();
export const PACKAGE_ROOT = found.root;
export const PACKAGE_MANIFEST: PackageManifest = found.manifest;
