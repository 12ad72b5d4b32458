import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../../src/package-root.js';
import { LineProcess } from './line-process.js';

// A host's init (host-init.sh) as PID 1 of fresh network, mount, UTS, PID and cgroup namespaces.
// unshare itself stays outside the new PID namespace, waiting for it, and is in all the others:
// its pid is what the fabric moves the host's veths to. --kill-child ties the host to it.
// bash, not dash: PID 1 inherits every orphan (sshd leaves one per session) and must reap it.
// bash reaps on SIGCHLD even while it waits for the harness's next line; dash reaps only when it
// waits for a command of its own, so a host scanned a thousand times would keep a thousand
// zombies, and every `ps` there would read them all.

// Read from the source tree, so that the benchmark build (dist-bench/) runs the same script.
const INIT_SCRIPT = join(PACKAGE_ROOT, 'test', 'support', 'netns', 'host-init.sh');
const STEP_TIMEOUT_MS = 30_000;

export class HostProcess {
  private constructor(private readonly init: LineProcess) {}

  /**
   * Starts the host's init; resolves once its overlays are mounted and its files installed.
   * It joins `cgroupDirs` first (the host's own cgroup, and any the caller accounts with), so the
   * host becomes the root of its cgroup namespace there.
   */
  static async start(name: string, hostDir: string, cgroupDirs: string[]): Promise<HostProcess> {
    const unshare = [
      'unshare',
      '--net',
      '--mount',
      '--uts',
      '--pid',
      '--cgroup',
      '--fork',
      '--mount-proc',
      '--propagation',
      'private',
      '--kill-child',
      '--',
      '/bin/bash',
      INIT_SCRIPT,
      hostDir,
    ];
    const joinThenExec = 'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ > "$1/cgroup.procs" || exit 1; shift; n=$((n - 1)); done; exec "$@"';
    const init =
      cgroupDirs.length > 0
        ? new LineProcess(`host ${name}`, 'sh', ['-c', joinThenExec, 'sh', String(cgroupDirs.length), ...cgroupDirs, ...unshare])
        : new LineProcess(`host ${name}`, unshare[0]!, unshare.slice(1));
    const host = new HostProcess(init);
    try {
      await host.expect(undefined, 'mounted');
    } catch (error) {
      await init.stop(1_000);
      throw error;
    }
    return host;
  }

  /** The unshare process: it is in the host's network, mount and UTS namespaces. */
  get pid(): number {
    return this.init.pid;
  }

  private async expect(line: string | undefined, answer: string): Promise<string> {
    const got = await this.init.exchange(line, STEP_TIMEOUT_MS);
    if (!got.startsWith(answer)) throw new Error(`expected ${answer}, got ${got}`);
    return got;
  }

  /** Tells the host its veths are in place; resolves once sshd listens. */
  async networkUp(): Promise<void> {
    await this.expect('net', 'ready');
  }

  async startService(name: string): Promise<number> {
    const answer = await this.expect(`start ${name}`, `started ${name} `);
    return Number(answer.split(' ')[2]);
  }

  /** Copies the staged tree `install/<batch>` over the host's root. */
  async install(batch: string): Promise<void> {
    await this.expect(`install ${batch}`, `installed ${batch}`);
  }

  /** The host's init (PID 1 inside), as the machine sees it: the child unshare forked. */
  async initPid(): Promise<number> {
    const children = await readFile(`/proc/${this.pid}/task/${this.pid}/children`, 'utf8');
    const pid = Number(children.trim().split(/\s+/)[0]);
    if (!Number.isInteger(pid) || pid <= 0) throw new Error(`the host's init has not started (unshare ${this.pid} has no child)`);
    return pid;
  }

  stop(): Promise<void> {
    return this.init.stop(5_000);
  }
}
