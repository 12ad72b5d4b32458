import { join, resolve } from 'node:path';

export interface IdentityPathContext {
  homeDir: string;
  /**
   * The directory relative paths are taken from: a native inventory's own directory (the same
   * inventory then works whichever directory fleetbench runs from, cron's `/` included); for an
   * Ansible inventory the current directory, as Ansible hands the path to ssh unchanged.
   */
  relativeTo: string;
}

export type IdentityPathResult = { path: string } | { problem: string };

/** Resolves an identity file as written in the inventory to an absolute path. */
export function resolveIdentityPath(raw: string, ctx: IdentityPathContext): IdentityPathResult {
  if (raw === '') return { problem: 'is empty' };
  if (/\p{Cc}/u.test(raw)) return { problem: 'contains a control character' };
  if (raw === '~') return { path: resolve(ctx.homeDir) };
  if (raw.startsWith('~/')) return { path: resolve(join(ctx.homeDir, raw.slice(2))) };
  if (raw.startsWith('~')) {
    return { problem: 'uses ~user, which is not supported; write the full path or ~/ for your own home' };
  }
  return { path: resolve(ctx.relativeTo, raw) };
}
