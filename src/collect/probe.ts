import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { probePathVariables } from './host-paths.js';

// probe.sh sits next to this module both in src/ and (copied by the build) in dist/.
let scriptBody: string | undefined;

// probe.sh's separator of fields that hold paths (SOH), written as itself: POSIX sh can only make
// it with $(printf '\001'), which costs the host a fork.
const SEPARATOR = "S1='\x01'";

function body(): string {
  scriptBody ??= `${probePathVariables()}\n${SEPARATOR}\n${readFileSync(new URL('./probe.sh', import.meta.url), 'utf8')}`;
  return scriptBody;
}

/** A fresh nonce per run: it is what makes the probe's output framing unforgeable. */
export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

export interface ProbeParameters {
  nonce: string;
  /** Seconds the probe may run on the host before it ends itself and everything it started. */
  deadlineSeconds: number;
}

/**
 * The text fed to the probe's `sh -s` on stdin. The shell reads all of `{ ... }` before it runs any
 * of it, and runs it with stdin from /dev/null: no command of the probe can swallow (or wait for)
 * what the client sends the same shell afterwards. The nonce and the deadline are shell variables
 * of the first line: they reach no argument list.
 */
export function probeScript({ nonce, deadlineSeconds }: ProbeParameters): string {
  if (!/^[0-9a-f]{16,64}$/.test(nonce)) throw new Error('probe nonce must be 16-64 lowercase hex digits');
  if (!Number.isInteger(deadlineSeconds) || deadlineSeconds < 1) throw new Error('probe deadline must be a whole number of seconds, at least 1');
  return `N=${nonce} D=${deadlineSeconds}\n{\n${body()}\n} </dev/null\n`;
}

/** The parameters of a probe script, for the in-process fleet that answers it. */
export function parametersOfScript(script: string): ProbeParameters | undefined {
  const match = /^N=([0-9a-f]{16,64}) D=(\d+)\n/.exec(script);
  return match ? { nonce: match[1]!, deadlineSeconds: Number(match[2]) } : undefined;
}
