import { randomBytes } from 'node:crypto';
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a whole file or nothing: a reader (or a crash) never sees half a report. The content
 * may come in pieces, so that a large report never has to be one string in memory.
 */
export function writeFileAtomic(path: string, content: string | Iterable<string>): void {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temporary, 'w', 0o644);
    for (const piece of typeof content === 'string' ? [content] : content) writeSync(fd, piece);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
}
