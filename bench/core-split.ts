import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { runChecked } from '../test/support/netns/run-command.js';
import type { AccountingGroup } from './tree-accounting.js';

// --split-cores: the hosts on the machine's last core, the bench and every tool it times on the
// others. On a real fleet the hosts are other machines: a tool's client never takes CPU from the
// hosts it talks to, nor they from it. Here they share two cores, so what one spends slows the
// other, and a busy client even makes the same host work cost more CPU (bench/README.md). With the
// cores split, neither waits for the other's CPU. CPU affinity (taskset) is inherited by every
// process and thread started after it is set: the bench pins itself before anything starts, then
// the hosts' processes once the fleet is up, and the sessions they start later follow sshd.

export interface CoreSplit {
  /** CPU numbers, in taskset's list syntax. */
  toolCpus: string;
  hostCpus: string;
  toolCores: number;
  hostCores: number;
}

/** The split on this machine, or an error saying why there is none. */
export function planCoreSplit(cores = availableParallelism()): CoreSplit {
  if (cores < 2) throw new Error(`--split-cores needs at least 2 cores; this machine gives the bench ${cores}`);
  return { toolCpus: cores === 2 ? '0' : `0-${cores - 2}`, hostCpus: String(cores - 1), toolCores: cores - 1, hostCores: 1 };
}

/** Binds a process and all its threads to the given CPUs; its children inherit it. */
async function pin(pid: number, cpus: string): Promise<void> {
  await runChecked('taskset', ['--all-tasks', '--cpu-list', '--pid', cpus, String(pid)]);
}

/** This process (the bench) on the tools' cores, so that every tool it starts runs there. */
export async function pinBench(split: CoreSplit): Promise<void> {
  await pin(process.pid, split.toolCpus);
}

/** Every process of the hosts' group on the hosts' cores: the sessions sshd starts later follow it. */
export async function pinHosts(split: CoreSplit, hosts: AccountingGroup): Promise<number> {
  const pids = (await readFile(join(hosts.dirs[0]!, 'cgroup.procs'), 'utf8')).split('\n').filter(Boolean).map(Number);
  for (const pid of pids) {
    await pin(pid, split.hostCpus).catch((error: unknown) => {
      // A process that ended meanwhile has nothing left to pin.
      if (existsSync(`/proc/${pid}`)) throw error;
    });
  }
  return pids.length;
}
