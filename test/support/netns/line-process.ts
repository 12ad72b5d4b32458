import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';

// A long-lived helper process (the fabric's holder, a host's init) that the harness drives one line
// at a time over its stdin and stdout. Closing its stdin is how it is told to go away; it also
// happens by itself when the harness dies, so nothing outlives a crashed test run.

export class LineProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: string[] = [];
  private waiter: ((line: string | undefined) => void) | undefined;
  private exited = false;
  private readonly exit: Promise<void>;
  private queue: Promise<unknown> = Promise.resolve();
  /** What the process said on stderr: it explains a failure. */
  private readonly stderr: Buffer[] = [];

  constructor(
    private readonly what: string,
    command: string,
    args: string[],
  ) {
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdin.on('error', () => undefined);
    this.child.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      if (this.waiter) this.takeWaiter()(line);
      else this.lines.push(line);
    });
    this.exit = new Promise((resolve) => {
      this.child.on('error', () => undefined);
      this.child.on('close', () => {
        this.exited = true;
        if (this.waiter) this.takeWaiter()(undefined);
        resolve();
      });
    });
  }

  /** pid of the spawned process, as the machine sees it. */
  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.what} did not start`);
    return this.child.pid;
  }

  private takeWaiter(): (line: string | undefined) => void {
    const waiter = this.waiter!;
    this.waiter = undefined;
    return waiter;
  }

  private explain(): string {
    return Buffer.concat(this.stderr).toString().trim().split('\n').slice(-10).join('\n');
  }

  /** The next line; an `error ...` line, an exit or a timeout rejects with what the process said. */
  private next(timeoutMs: number): Promise<string> {
    const queued = this.lines.shift();
    const line: Promise<string | undefined> =
      queued !== undefined ? Promise.resolve(queued) : this.exited ? Promise.resolve(undefined) : new Promise((resolve) => (this.waiter = resolve));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`${this.what}: no answer within ${timeoutMs / 1000} s ${this.explain()}`.trim()));
      }, timeoutMs);
    });
    return Promise.race([line, timeout]).then((value) => {
      clearTimeout(timer);
      if (value === undefined) throw new Error(`${this.what} exited ${this.explain()}`.trim());
      if (value.startsWith('error ')) throw new Error(`${this.what}: ${value.slice(6)} ${this.explain()}`.trim());
      return value;
    });
  }

  /** Sends a line (if any) and waits for the answer; exchanges with one process never overlap. */
  exchange(line: string | undefined, timeoutMs: number): Promise<string> {
    const turn = this.queue.then(() => {
      if (line !== undefined) this.child.stdin.write(`${line}\n`);
      return this.next(timeoutMs);
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Closes stdin and waits for the process to end; kills it if it has not within `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    this.child.stdin.end();
    let timer: NodeJS.Timeout | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        resolve();
      }, graceMs);
    });
    await Promise.race([this.exit, killed]);
    clearTimeout(timer);
    await this.exit;
  }
}
