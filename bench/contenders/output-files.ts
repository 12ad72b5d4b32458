import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Coverage } from './contender.js';
import { missingData } from './host-data.js';

/**
 * Coverage of a tool that writes each host's output to a file of its own (`<dir>/<address>`),
 * with what the host said on stderr, when there is such a file, as the reason it failed.
 */
export async function checkOutputFiles(dir: string, addresses: string[], errorDir = dir, errorSuffix = '.err'): Promise<Coverage> {
  const failures: string[] = [];
  for (const address of addresses) {
    const output = await readFile(join(dir, address), 'utf8').catch(() => '');
    const missing = missingData(output);
    if (!missing) continue;
    const said = (await readFile(join(errorDir, `${address}${errorSuffix}`), 'utf8').catch(() => '')).trim().split('\n').at(-1);
    failures.push(`${address}: ${missing}${said ? ` (${said})` : ''}`);
  }
  return { ok: addresses.length - failures.length, failures };
}
