import type { Client } from 'ssh2';
import { BECOME_ANSWERS, launcherCommand, passwordLine } from '../collect/launcher.js';
import { finalRecord } from '../collect/parse-output.js';
import { newNonce, probeScript } from '../collect/probe.js';
import type { CommandOptions, ExecResult } from '../ssh/exec.js';
import { startCommand } from '../ssh/exec.js';

export interface ProbeSessionOptions extends CommandOptions {
  become: boolean;
  /** Only ever written to the launcher's stdin. */
  sudoPassword?: string;
  /** How long the probe may run on the host: it then ends itself and everything it started. */
  deadlineSeconds: number;
}

/** A probe that has answered (or ended), its shell waiting for one more command. */
export interface ProbeSession {
  nonce: string;
  /** The probe's output through its final record, or everything the host sent if it never got there. */
  output: Buffer;
  /**
   * Sends `followUp` to the probe's shell, which stays open, and resolves with what it printed
   * once that ends with `end`; undefined when the shell ended first (the probe's deadline).
   */
  ask(followUp: string, end: Buffer): Promise<Buffer | undefined>;
  /**
   * Sends `followUp` to the probe's shell, ends its input and resolves once the session has ended:
   * `stdout` is then everything, the probe's output included.
   */
  finish(followUp?: string): Promise<ExecResult>;
}

/** Starts the launcher, feeds it the probe and waits for the probe's answer, not for the session's end. */
export async function startProbe(client: Client, options: ProbeSessionOptions): Promise<ProbeSession> {
  const nonce = newNonce();
  const withPassword = options.become && options.sudoPassword !== undefined;
  const command = startCommand(client, launcherCommand(options.become, withPassword), options);
  if (withPassword) {
    // The launcher says whether this host's sudo wants the password; only then does it get it.
    const answers = [BECOME_ANSWERS.root, BECOME_ANSWERS.noPassword, BECOME_ANSWERS.password];
    const { matched } = await command.stdoutEndingWith(answers.map((answer) => Buffer.from(`${answer}\n`)));
    if (answers[matched] === BECOME_ANSWERS.password) command.write(passwordLine(options.sudoPassword!));
  }
  command.write(probeScript({ nonce, deadlineSeconds: options.deadlineSeconds }));
  const { stdout: output } = await command.stdoutEndingWith([finalRecord(nonce)]);
  let answered = output.length;
  return {
    nonce,
    output,
    async ask(followUp, end) {
      command.write(followUp);
      const { stdout, matched } = await command.stdoutEndingWith([end], answered);
      if (matched < 0) return undefined;
      const answer = stdout.subarray(answered);
      answered = stdout.length;
      return answer;
    },
    finish: (followUp) => command.finish(followUp),
  };
}
