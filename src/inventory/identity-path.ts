import { dirname, join, resolve } from 'node:path';

export interface IdentityPathContext {
  homeDir: string;
  /** The inventory file, whose directory relative paths are taken from. */
  inventoryFile: string;
}

export type IdentityPathResult = { path: string } | { problem: string };

/**
 * Resolves an identity file as written in the inventory to an absolute path. Relative
 * paths are taken from the inventory's directory, not the working directory, so the same
 * inventory works whichever directory fleetbench is run from (cron jobs run from `/`).
 */
export function resolveIdentityPath(raw: string, ctx: IdentityPathContext): IdentityPathResult {
  if (raw === '') return { problem: 'is empty' };
  if (/\p{Cc}/u.test(raw)) return { problem: 'contains a control character' };
  if (raw === '~') return { path: resolve(ctx.homeDir) };
  if (raw.startsWith('~/')) return { path: resolve(join(ctx.homeDir, raw.slice(2))) };
  if (raw.startsWith('~')) {
    return { problem: 'uses ~user, which is not supported; write the full path or ~/ for your own home' };
  }
  return { path: resolve(dirname(ctx.inventoryFile), raw) };
}
