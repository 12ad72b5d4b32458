import type { Client } from 'ssh2';
import type { Launch } from '../collect/launcher.js';
import { BECOME_ANSWERS, firstLaunch, launcherCommand, passwordLine } from '../collect/launcher.js';
import { finalRecord, startRecord } from '../collect/parse-output.js';
import { newNonce, probeScript } from '../collect/probe.js';
import type { CommandOptions, ExecResult } from '../ssh/exec.js';
import { startCommand } from '../ssh/exec.js';

export interface ProbeSessionOptions extends CommandOptions {
  become: boolean;
  /** The login user: a root login needs no sudo. */
  user: string;
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
  /** What sudo said when it refused to run the probe, which then ran without it. */
  sudoRefusal?: string;
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

/**
 * Starts the probe and waits for its answer, not for the session's end: through sudo when become
 * is on; when sudo refuses (it then reads nothing and the probe never starts), again without it in
 * a second session of the same connection, for what an ordinary user can read.
 */
export async function startProbe(client: Client, options: ProbeSessionOptions): Promise<ProbeSession> {
  const startedAt = Date.now();
  const launch = firstLaunch(options.become, options.user, options.sudoPassword !== undefined);
  const first = await launchProbe(client, launch, options, options.deadlineSeconds);
  // Only a refused `sudo -n` comes back with what sudo said.
  if (first.sudoRefusal === undefined) return first.session;
  const left = options.deadlineSeconds - Math.floor((Date.now() - startedAt) / 1000);
  const second = await launchProbe(client, 'without-sudo', options, Math.max(1, left));
  return { ...second.session, sudoRefusal: first.sudoRefusal };
}

async function launchProbe(
  client: Client,
  launch: Launch,
  options: ProbeSessionOptions,
  deadlineSeconds: number,
): Promise<{ session: ProbeSession; sudoRefusal?: string }> {
  const nonce = newNonce();
  const command = startCommand(client, launcherCommand(launch), options);
  if (launch === 'sudo-with-password') {
    // The launcher says whether this host's sudo wants the password; only then does it get it.
    const answers = [BECOME_ANSWERS.root, BECOME_ANSWERS.noPassword, BECOME_ANSWERS.password];
    const { matched } = await command.stdoutEndingWith(answers.map((answer) => Buffer.from(`${answer}\n`)));
    if (answers[matched] === BECOME_ANSWERS.password) command.write(passwordLine(options.sudoPassword!));
  }
  command.write(probeScript({ nonce, deadlineSeconds }));
  const { stdout: output, matched } = await command.stdoutEndingWith([finalRecord(nonce)]);
  let answered = output.length;
  const session: ProbeSession = {
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
  if (launch !== 'sudo' || matched >= 0 || output.includes(startRecord(nonce))) return { session };
  // Ended without the probe's hello: sudo did not run it. What sudo said, when it speaks of sudo.
  const { stderr } = await command.finish();
  const said = stderr.toString('utf8');
  return /sudo/.test(said) ? { session, sudoRefusal: said } : { session };
}
