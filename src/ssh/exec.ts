import type { Client } from 'ssh2';
import { HostError } from './errors.js';

export interface ExecResult {
  stdout: Buffer;
  stderr: Buffer;
  /** null when the server sent no exit status (it is optional in the protocol). */
  code: number | null;
  signal?: string;
}

export interface CommandOptions {
  /** stdout + stderr beyond this end the command: a host can return gigabytes. */
  maxOutputBytes: number;
  signal: AbortSignal;
}

/** A command still running on the host, whose stdin stays open until `finish`. */
export interface RunningCommand {
  write(text: string): void;
  /**
   * Resolves with stdout so far and which of `suffixes` it ends with, once it ends with one of them
   * (and is longer than `after` bytes: an earlier answer's end does not count), or with all of it
   * and -1 once the command has ended without that. Rejects as the command does (connection lost,
   * aborted, too much output).
   */
  stdoutEndingWith(suffixes: Buffer[], after?: number): Promise<{ stdout: Buffer; matched: number }>;
  /** Writes `text`, closes stdin and resolves once the command has ended. */
  finish(text?: string): Promise<ExecResult>;
}

/**
 * Starts one command without a pty (a pty would merge stderr and make `ps` cut lines) and keeps
 * its stdin open, for a conversation: a shell answers what it was sent first, then runs what the
 * client decides from that answer.
 */
export function startCommand(client: Client, command: string, options: CommandOptions): RunningCommand {
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let size = 0;
  let code: number | null = null;
  let exitSignal: string | undefined;
  let settled = false;
  let closeStream: (() => void) | undefined;
  const pendingInput: { text: string; end: boolean }[] = [];
  let send: ((text: string, end: boolean) => void) | undefined;
  // Woken on every stdout chunk and when the command ends.
  let onStdout: (() => void) | undefined;
  let tail = Buffer.alloc(0);
  let stdoutLength = 0;

  let resolveEnded!: (result: ExecResult) => void;
  let rejectEnded!: (error: unknown) => void;
  const ended = new Promise<ExecResult>((resolve, reject) => {
    resolveEnded = resolve;
    rejectEnded = reject;
  });
  // A conversation may stop listening early (its caller failed first); that is not unhandled.
  ended.catch(() => {});

  const finish = (error?: unknown) => {
    if (settled) return;
    settled = true;
    options.signal.removeEventListener('abort', onAbort);
    client.removeListener('error', onClientError);
    client.removeListener('close', onClientClose);
    if (error !== undefined) {
      closeStream?.();
      rejectEnded(error);
    } else {
      const result: ExecResult = { stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr), code };
      if (exitSignal !== undefined) result.signal = exitSignal;
      resolveEnded(result);
    }
    onStdout?.();
  };
  const onAbort = () => finish(options.signal.reason);
  const onClientError = (error: Error) => finish(new HostError('connection', `connection failed while the command ran: ${error.message}`));
  const onClientClose = () => finish(new HostError('connection', 'the connection closed before the command finished'));
  options.signal.addEventListener('abort', onAbort);
  client.on('error', onClientError);
  client.on('close', onClientClose);
  if (options.signal.aborted) onAbort();

  const collect = (into: Buffer[]) => (chunk: Buffer) => {
    if (settled) return;
    size += chunk.length;
    if (size > options.maxOutputBytes) {
      finish(new HostError('output-too-large', `the host sent more than ${Math.round(options.maxOutputBytes / 1_048_576)} MiB of output; stopped reading`));
      return;
    }
    into.push(chunk);
    if (into === stdout) {
      stdoutLength += chunk.length;
      // Only the last bytes matter for `stdoutEndingWith`; keeping them avoids joining all output per chunk.
      tail = Buffer.concat([tail, chunk]);
      if (tail.length > 256) tail = tail.subarray(tail.length - 256);
      onStdout?.();
    }
  };

  client.exec(command, (error, stream) => {
    if (error) {
      finish(new HostError('connection', `the server refused to run the command: ${error.message}`));
      return;
    }
    if (settled) {
      stream.close();
      return;
    }
    closeStream = () => stream.close();
    stream.on('data', collect(stdout));
    stream.stderr.on('data', collect(stderr));
    stream.on('exit', (exitCode: number | null, signalName?: string) => {
      code = exitCode;
      if (signalName) exitSignal = signalName;
    });
    stream.on('close', () => finish());
    send = (text, end) => {
      if (end) stream.end(text);
      else stream.write(text);
    };
    for (const input of pendingInput.splice(0)) send(input.text, input.end);
  });

  const deliver = (text: string, end: boolean) => {
    if (settled) return;
    if (send) send(text, end);
    else pendingInput.push({ text, end });
  };

  return {
    write: (text) => deliver(text, false),
    stdoutEndingWith(suffixes, after = 0) {
      if (suffixes.some((suffix) => suffix.length > 256)) throw new Error('stdoutEndingWith looks at the last 256 bytes only');
      return new Promise((resolve, reject) => {
        const check = () => {
          const matched =
            stdoutLength > after
              ? suffixes.findIndex((suffix) => tail.length >= suffix.length && tail.subarray(tail.length - suffix.length).equals(suffix))
              : -1;
          if (matched >= 0) {
            onStdout = undefined;
            resolve({ stdout: Buffer.concat(stdout), matched });
          } else if (settled) {
            onStdout = undefined;
            ended.then((result) => resolve({ stdout: result.stdout, matched: -1 }), reject);
          }
        };
        onStdout = check;
        check();
      });
    },
    finish(text = '') {
      deliver(text, true);
      return ended;
    },
  };
}
