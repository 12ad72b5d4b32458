import { existsSync, realpathSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, posix } from 'node:path';
import { resolveOwner } from './accounts.js';
import type { HostAccounts } from './accounts.js';
import { shellQuote } from '../../../src/shell-quote.js';
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
  if (!posix.isAbsolute(path) || posix.normalize(path) !== path || path.includes('\n'))
    throw new Error(`${JSON.stringify(path)}: host paths must be absolute and normalized`);
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
 * not in any overlay). Few processes per batch: hosts start by the hundred.
 */
export async function stageInstall(batchDir: string, batch: { hide?: string[]; files: FileSpec[] }, accounts: HostAccounts): Promise<void> {
  await mkdir(batchDir, { recursive: true });
  const hidden = (batch.hide ?? []).map((path) => shellQuote(hostPath(path)));
  const directories = batch.files.filter((f) => 'directory' in f);
  const symlinks = batch.files.filter((f) => 'symlink' in f);
  const files = batch.files.filter((f) => 'content' in f);
  const targets = [...directories, ...files, ...symlinks].map((f) => hostPath(f.path));
  const checked = [...new Set([...(batch.hide ?? []).map(hostPath), ...targets].map((path) => shellQuote(posix.dirname(path))))];
  // Only what is installed needs its directories; a hidden path leaves none behind.
  const parents = [...new Set(targets.map((path) => shellQuote(posix.dirname(path))))];
  const overlays = OVERLAID_DIRECTORIES.map((dir) => `${dir}/*`).join('|');
  const script = ['set -e', 'umask 022', 'cd "$(dirname "$0")"'];
  if (checked.length > 0) {
    // Checked again inside the host, where symlinks installed by an earlier batch could lead elsewhere.
    script.push(
      `realpath -m -- ${checked.join(' ')} | while read -r dir; do case $dir/ in ${overlays}) ;; *) echo "refusing to write in $dir: outside the overlays" >&2; exit 1 ;; esac; done`,
    );
  }
  // Deleting in an overlay only hides the machine's file from this host.
  if (hidden.length > 0) script.push(`rm -rf -- ${hidden.join(' ')}`);
  if (parents.length > 0) script.push(`mkdir -p -- ${parents.join(' ')}`);
  // Symlinks last, so that nothing of this batch is written through one.
  for (const [index, file] of [...directories, ...files, ...symlinks].entries()) {
    const target = shellQuote(targets[index]!);
    if ('symlink' in file) {
      script.push(`rm -rf -- ${target}`, `ln -s -- ${shellQuote(file.symlink)} ${target}`);
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
