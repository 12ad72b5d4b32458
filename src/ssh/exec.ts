import type { Client } from 'ssh2';
import { HostError } from './errors.js';

export interface ExecResult {
  stdout: Buffer;
  stderr: Buffer;
  /** null when the server sent no exit status (it is optional in the protocol). */
  code: number | null;
  signal?: string;
}

export interface ExecOptions {
  /** Written to the command's stdin, which is then closed. */
  stdin: string;
  /** stdout + stderr beyond this end the command: a host can return gigabytes. */
  maxOutputBytes: number;
  signal: AbortSignal;
}

/** Runs one command without a pty (a pty would merge stderr and make `ps` cut lines). */
export function exec(client: Client, command: string, options: ExecOptions): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let size = 0;
    let code: number | null = null;
    let exitSignal: string | undefined;
    let settled = false;
    let closeStream: (() => void) | undefined;

    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      options.signal.removeEventListener('abort', onAbort);
      client.removeListener('error', onClientError);
      client.removeListener('close', onClientClose);
      if (error !== undefined) {
        closeStream?.();
        return reject(error);
      }
      const result: ExecResult = { stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr), code };
      if (exitSignal !== undefined) result.signal = exitSignal;
      resolve(result);
    };
    const onAbort = () => finish(options.signal.reason);
    const onClientError = (error: Error) => finish(new HostError('connection', `connection failed while the probe ran: ${error.message}`));
    const onClientClose = () => finish(new HostError('connection', 'the connection closed before the probe finished'));
    options.signal.addEventListener('abort', onAbort);
    client.on('error', onClientError);
    client.on('close', onClientClose);

    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size > options.maxOutputBytes) {
        finish(new HostError('output-too-large', `the host sent more than ${Math.round(options.maxOutputBytes / 1_048_576)} MiB of probe output; stopped reading`));
        return;
      }
      into.push(chunk);
    };

    client.exec(command, (error, stream) => {
      if (error) return finish(new HostError('probe', `the server refused to run the probe: ${error.message}`));
      closeStream = () => stream.close();
      stream.on('data', collect(stdout));
      stream.stderr.on('data', collect(stderr));
      stream.on('exit', (exitCode: number | null, signalName?: string) => {
        code = exitCode;
        if (signalName) exitSignal = signalName;
      });
      stream.on('close', () => finish());
      stream.end(options.stdin);
    });
  });
}
