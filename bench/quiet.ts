import type { AccountingGroup } from './tree-accounting.js';

// Between two timed runs the hosts finish what the last one left them (sessions closing, sudo
// logging): wait until they are idle, so that no run pays for the one before.

const WINDOW_MS = 300;
/** etcd alone, idle, uses well under 1% of a core. */
const IDLE_SHARE = 0.03;

export async function waitUntilQuiet(hosts: AccountingGroup | undefined, maxMs = 10_000): Promise<void> {
  if (!hosts) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    return;
  }
  const deadline = Date.now() + maxMs;
  let before = (await hosts.usage()).cpuSeconds;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    const now = (await hosts.usage()).cpuSeconds;
    if (now - before < (IDLE_SHARE * WINDOW_MS) / 1000) return;
    before = now;
  }
}
