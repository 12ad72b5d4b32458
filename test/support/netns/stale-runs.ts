import { readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeCgroupTree } from './cgroups.js';

// Every fleet's temporary directory and cgroup are named after the process that made them. Its
// namespaces and processes die with it even when it is killed (each host's init exits when its
// stdin closes), but those two would stay: the next fleet removes them.

const PREFIX = 'fleetbench-netns-';

export function runName(): string {
  return `${PREFIX}${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function deadRuns(names: string[]): string[] {
  return names.filter((name) => {
    const pid = Number(/^fleetbench-netns-(\d+)-/.exec(name)?.[1]);
    return Number.isInteger(pid) && pid > 0 && !isAlive(pid);
  });
}

async function list(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

export async function sweepStaleRuns(cgroupHierarchy: string | undefined): Promise<void> {
  for (const name of deadRuns(await list(tmpdir()))) await rm(join(tmpdir(), name), { recursive: true, force: true });
  if (cgroupHierarchy) for (const name of deadRuns(await list(cgroupHierarchy))) await removeCgroupTree(join(cgroupHierarchy, name));
}
