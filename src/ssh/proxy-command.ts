import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { Duplex } from 'node:stream';
import type { ProxyCommand } from '../model.js';

// A ProxyCommand run as OpenSSH runs it (sshconnect.c ssh_proxy_connect): `exec command` through
// the user's shell, its stdin and stdout being the SSH connection. Unlike ssh, fleetbench starts
// it in a process group of its own and without a terminal: nothing it starts (an `aws ssm`
// session plugin, a cloudflared) can outlive the connection, and nothing can stop to ask a
// question on the terminal the live view is drawn on. When the connection ends the group gets
// SIGHUP, as ssh sends it, then SIGKILL if it is still there. Its stderr is kept for the error
// message when it fails.

/** How long a command may take to leave after its stdin closed or it got SIGHUP, before SIGKILL. */
const GRACE_MS = 2000;
const STDERR_KEPT = 4096;

export type ProxyEnd =
  | { kind: 'exited'; code: number | null; signal: NodeJS.Signals | null }
  | { kind: 'not-started'; error: Error }
  /** fleetbench ended it (the connection was closed or given up). */
  | { kind: 'stopped' };

export interface ProxyProcess {
  /** The connection, for ssh2's `sock`: writes go to the command's stdin, its stdout is read. Destroying it ends the command. */
  stream: Duplex;
  /** How the command ended, waiting at most `waitMs` for it; undefined while it runs. */
  ended(waitMs: number): Promise<ProxyEnd | undefined>;
  /** The end of what the command wrote on stderr. */
  stderr(): string;
  /** Ends the command and everything it started. */
  stop(): void;
}

const running = new Set<ProxyProcess>();

export function startProxyCommand(proxy: ProxyCommand): ProxyProcess {
  const child = spawn(proxy.shell, ['-c', `exec ${proxy.command}`], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let stderr = '';
  let end: ProxyEnd | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  let stopping: 'no' | 'after-grace' | 'hung-up' = 'no';
  const endListeners = new Set<() => void>();
  const finished = (result: ProxyEnd) => {
    end ??= result;
    clearTimeout(killTimer);
    running.delete(handle);
    for (const listener of endListeners) listener();
  };
  child.on('error', (error) => finished({ kind: 'not-started', error }));
  child.on('exit', (code, signal) => finished(stopping === 'hung-up' ? { kind: 'stopped' } : { kind: 'exited', code, signal }));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEPT);
  });
  // Writing to a command that has exited fails with EPIPE; its exit says why, not the pipe.
  child.stdin.on('error', () => {});

  const hangUp = () => {
    stopping = 'hung-up';
    signalGroup(child, 'SIGHUP');
    killTimer = setTimeout(() => signalGroup(child, 'SIGKILL'), GRACE_MS);
  };
  const stop = (graceMs: number) => {
    if (end !== undefined || stopping === 'hung-up') return;
    if (graceMs === 0) {
      clearTimeout(killTimer);
      hangUp();
    } else if (stopping === 'no') {
      stopping = 'after-grace';
      killTimer = setTimeout(hangUp, graceMs);
    }
  };
  const stream = new ProxyStream(child, stop);
  // A shell that could not be started never writes: end the stream so that ssh2 notices.
  child.on('error', () => stream.push(null));
  const handle: ProxyProcess = {
    stream,
    stderr: () => stderr,
    stop: () => stream.destroy(),
    ended: (waitMs) =>
      end !== undefined
        ? Promise.resolve(end)
        : new Promise((resolve) => {
            const done = () => {
              clearTimeout(timer);
              endListeners.delete(done);
              // Let the last of stderr arrive.
              setImmediate(() => resolve(end));
            };
            const timer = setTimeout(done, waitMs);
            endListeners.add(done);
          }),
  };
  running.add(handle);
  return handle;
}

/** Ends every ProxyCommand still running, at once: for a process about to exit without closing its connections. */
export function stopAllProxyCommands(): void {
  for (const proxy of [...running]) proxy.stop();
}

function signalGroup(child: ChildProcessWithoutNullStreams, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    // The negative pid is the process group the command leads (spawned detached).
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** The command's stdout and stdin as one stream. */
class ProxyStream extends Duplex {
  constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly stopChild: (graceMs: number) => void,
  ) {
    super();
    child.stdout.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) child.stdout.pause();
    });
    child.stdout.on('end', () => this.push(null));
  }

  override _read(): void {
    this.child.stdout.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.child.stdin.destroyed) {
      callback();
      return;
    }
    this.child.stdin.write(chunk, () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.child.stdin.end();
    // A command that does not leave when its input ends (nc without -N) is ended for it.
    this.stopChild(GRACE_MS);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.child.stdin.destroy();
    this.child.stdout.destroy();
    this.stopChild(0);
    callback(error);
  }
}
