import { access, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCgroup, removeCgroupTree } from '../test/support/netns/cgroups.js';

// CPU and memory of a whole process tree, read from a cgroup the tree runs in. GNU time only sees
// the children a command waits for, and reports the largest single process's RSS; a cgroup also
// counts what was never waited for (Ansible's ControlPersist masters keep running after it exits)
// and gives the peak of all processes together. cgroup v1's cpuacct and memory controllers when
// they are mounted (as on this machine), else cgroup v2's cpu.stat and memory.peak.
//
// The groups are also the scheduler's (v1's cpu controller; v2's when its subtree has it), each
// with the default share: the tool and the hosts it talks to compete for the CPU as two, as a
// tool and remote hosts would not compete at all. Otherwise the kernel shares the CPU per process
// (per session with autogroup), and a tool's client waits behind the host sessions it started,
// which keeps connections open longer and every host's process list longer (see bench/README.md).

interface Source {
  /** The hierarchy directory of this process's own cgroup: groups are made below it. */
  base: string;
  file: string;
  /** Seconds for CPU, bytes for memory. */
  value(text: string): number;
}

export interface TreeUsage {
  cpuSeconds: number;
  /** Peak of the tree's memory (anonymous memory and the page cache it brought in), MiB. */
  peakMemoryMb: number | undefined;
}

export interface AccountingGroup {
  /** Directories a process joins (writes its pid to cgroup.procs) to be counted here. */
  dirs: string[];
  usage(): Promise<TreeUsage>;
  remove(): Promise<void>;
}

interface Mount {
  point: string;
  type: string;
  options: string[];
}

async function mounts(): Promise<Mount[]> {
  const lines = (await readFile('/proc/self/mountinfo', 'utf8')).trim().split('\n');
  return lines.map((line) => {
    const [before, after = ''] = line.split(' - ');
    const [type = '', , superOptions = ''] = after.split(' ');
    return { point: before!.split(' ')[4]!, type, options: superOptions.split(',') };
  });
}

/** This process's cgroup path in each hierarchy: v1 by controller name, v2 under ''. */
async function ownPaths(): Promise<Map<string, string>> {
  const paths = new Map<string, string>();
  for (const line of (await readFile('/proc/self/cgroup', 'utf8')).trim().split('\n')) {
    const [, controllers = '', path = '/'] = line.split(':');
    for (const controller of controllers.split(',')) paths.set(controller, path);
  }
  return paths;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

const nanoseconds = (text: string) => Number(text) / 1e9;
const usageUsec = (text: string) => Number(/^usage_usec (\d+)$/m.exec(text)?.[1] ?? NaN) / 1e6;
const bytes = (text: string) => Number(text);

async function findSources(): Promise<{ cpu?: Source; memory?: Source; scheduler?: string }> {
  const [all, own] = await Promise.all([mounts(), ownPaths()]);
  const v1 = (controller: string) => {
    const mount = all.find((m) => m.type === 'cgroup' && m.options.includes(controller));
    return mount && join(mount.point, own.get(controller) ?? '/');
  };
  const v2Mount = all.find((m) => m.type === 'cgroup2');
  const v2 = v2Mount && join(v2Mount.point, own.get('') ?? '/');
  const cpuacct = v1('cpuacct');
  const memory = v1('memory');
  // v1's cpu controller may share a hierarchy with cpuacct; v2's groups are the accounting ones.
  const sources: { cpu?: Source; memory?: Source; scheduler?: string } = { scheduler: v1('cpu') };
  if (cpuacct) sources.cpu = { base: cpuacct, file: 'cpuacct.usage', value: nanoseconds };
  else if (v2) sources.cpu = { base: v2, file: 'cpu.stat', value: usageUsec };
  if (memory) sources.memory = { base: memory, file: 'memory.max_usage_in_bytes', value: bytes };
  else if (v2) sources.memory = { base: v2, file: 'memory.peak', value: bytes };
  return sources;
}

async function readSource(dir: string, source: Source): Promise<number> {
  return source.value((await readFile(join(dir, source.file), 'utf8')).trim());
}

/**
 * Ends every process still in a group or below it (a tool interrupted half way, a master
 * connection nobody closed): the benchmark started them all, and a cgroup with processes cannot
 * be removed.
 */
async function killMembers(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) if (entry.isDirectory()) await killMembers(join(dir, entry.name));
  const pids = (await readFile(join(dir, 'cgroup.procs'), 'utf8').catch(() => '')).split('\n').filter(Boolean).map(Number);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
}

async function removeGroup(dir: string): Promise<void> {
  await killMembers(dir);
  await removeCgroupTree(dir);
}

export class TreeAccounting {
  private constructor(
    private readonly name: string,
    private readonly cpu: Source,
    private readonly memory: Source | undefined,
    /** The hierarchy of v1's cpu controller, where groups are also made. */
    private readonly scheduler: string | undefined,
  ) {}

  /** Accounting under groups named `name`, or undefined when this machine offers no CPU accounting. */
  static async create(name: string): Promise<TreeAccounting | undefined> {
    const { cpu, memory, scheduler } = await findSources();
    return cpu && new TreeAccounting(name, cpu, memory, scheduler);
  }

  /** Where groups are made: one directory per hierarchy. */
  private get bases(): string[] {
    return [...new Set([this.cpu.base, ...(this.memory ? [this.memory.base] : []), ...(this.scheduler ? [this.scheduler] : [])])];
  }

  async group(name: string): Promise<AccountingGroup> {
    const dirs = this.bases.map((base) => join(base, this.name, name));
    for (const dir of dirs) await createCgroup(dir);
    const cpuDir = join(this.cpu.base, this.name, name);
    const memoryDir = this.memory && join(this.memory.base, this.name, name);
    const memory = this.memory;
    return {
      dirs,
      // Memory counts only where its file exists: cgroup v2 has memory.peak only with the memory controller.
      usage: async () => ({
        cpuSeconds: await readSource(cpuDir, this.cpu),
        peakMemoryMb: memory && memoryDir && (await exists(join(memoryDir, memory.file))) ? (await readSource(memoryDir, memory)) / 1_048_576 : undefined,
      }),
      remove: async () => {
        for (const dir of dirs) await removeGroup(dir);
      },
    };
  }

  /** Removes every group made under this name, ending what still runs in them. */
  async remove(): Promise<void> {
    for (const base of this.bases) await removeGroup(join(base, this.name));
  }
}
