import { readFile } from 'node:fs/promises';

// CPU the whole machine spent (every core, every process, the kernel), from /proc/stat. Set
// against what a run's tool and hosts spent, the rest shows whether anything else ran meanwhile.

/** The kernel reports /proc/stat in USER_HZ ticks, 100 a second on Linux. */
const TICKS_PER_SECOND = 100;

export async function machineBusySeconds(): Promise<number> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n').find((l) => l.startsWith('cpu '));
  if (!line) throw new Error('/proc/stat has no cpu line');
  // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return (user! + nice! + system! + irq! + softirq! + steal!) / TICKS_PER_SECOND;
}

/** Share of one core the machine spends over `ms` (1 = one core busy): is something else running? */
export async function busyShare(ms: number): Promise<number> {
  const before = await machineBusySeconds();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return ((await machineBusySeconds()) - before) / (ms / 1000);
}
