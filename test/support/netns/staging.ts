import { existsSync, realpathSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import { resolveOwner } from './accounts.js';
import type { HostAccounts } from './accounts.js';
import { shQuote } from './shell-quote.js';
import type { FileSpec } from './spec.js';

// A host sees the machine's /etc, /home, /usr and /var through overlays whose upper layers are its
// own: whatever it writes there, and whatever the harness installs for it, stays in its temporary
// directory. Nothing may be installed anywhere else, or it would land on the machine itself.
export const OVERLAID_DIRECTORIES = ['/etc', '/home', '/usr', '/var'];

/**
 * The path as the host resolves it (`/lib/...` is `/usr/lib/...` on a merged-/usr system), checked
 * to be strictly inside an overlaid directory.
 */
function hostPath(path: string): string {
  if (!posix.isAbsolute(path) || posix.normalize(path) !== path) throw new Error(`${path}: host paths must be absolute and normalized`);
  let existing = path;
  const rest: string[] = [];
  while (!existsSync(existing)) {
    rest.unshift(basename(existing));
    existing = dirname(existing);
  }
  // The path itself may be a symlink to be replaced or hidden: resolve only its parents.
  const resolved = rest.length === 0 ? join(realpathSync(dirname(path)), basename(path)) : join(realpathSync(existing), ...rest);
  if (!OVERLAID_DIRECTORIES.some((dir) => resolved.startsWith(`${dir}/`))) {
    throw new Error(`${path}: a test host may only get files under ${OVERLAID_DIRECTORIES.join(', ')} (its overlays)`);
  }
  return resolved;
}

/**
 * Writes an install batch: the files' contents, and a script that the host's init runs to hide
 * paths and install each file, directory and symlink at its path with its owner and mode. Each
 * command names one declared path: directories that already exist along the way keep their
 * metadata (copying a whole tree over / would also rewrite the metadata of / itself, which is
 * not in any overlay).
 */
export async function stageInstall(batchDir: string, batch: { hide?: string[]; files: FileSpec[] }, accounts: HostAccounts): Promise<void> {
  await mkdir(batchDir, { recursive: true });
  const overlays = OVERLAID_DIRECTORIES.map((dir) => `${dir}/*`).join('|');
  const script = [
    'set -e',
    'umask 022',
    'cd "$(dirname "$0")"',
    // Checked again inside the host, where symlinks installed earlier could lead elsewhere.
    `inside() { case $(realpath -m -- "$(dirname -- "$1")")/ in ${overlays}) ;; *) echo "refusing $1: outside the overlays" >&2; exit 1 ;; esac; }`,
  ];
  // Deleting in an overlay only hides the machine's file from this host.
  for (const path of batch.hide ?? []) script.push(`inside ${shQuote(hostPath(path))}`, `rm -rf -- ${shQuote(hostPath(path))}`);
  const ordered = [...batch.files.filter((f) => 'directory' in f), ...batch.files.filter((f) => !('directory' in f))];
  for (const [index, file] of ordered.entries()) {
    const target = shQuote(hostPath(file.path));
    script.push(`inside ${target}`, `mkdir -p -- "$(dirname -- ${target})"`);
    if ('symlink' in file) {
      script.push(`rm -rf -- ${target}`, `ln -s -- ${shQuote(file.symlink)} ${target}`);
      continue;
    }
    const { uid, gid } = resolveOwner(file.owner ?? 'root:root', accounts);
    const mode = (file.mode ?? ('directory' in file ? 0o755 : 0o644)).toString(8);
    if ('directory' in file) {
      script.push(`install -d -o ${uid} -g ${gid} -m ${mode} -- ${target}`);
      continue;
    }
    await writeFile(join(batchDir, String(index)), file.content, { mode: 0o600 });
    script.push(`install -o ${uid} -g ${gid} -m ${mode} -- ${index} ${target}`);
  }
  await writeFile(join(batchDir, 'script'), `${script.join('\n')}\n`);
}
