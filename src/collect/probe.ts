import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

// probe.sh sits next to this module both in src/ and (copied by the build) in dist/.
let scriptBody: string | undefined;

function body(): string {
  scriptBody ??= readFileSync(new URL('./probe.sh', import.meta.url), 'utf8');
  return scriptBody;
}

/** A fresh nonce per run: it is what makes the probe's output framing unforgeable. */
export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

/**
 * The text fed to the probe's `sh -s` on stdin. The shell reads all of `{ ... }` before it runs any
 * of it, and runs it with stdin from /dev/null: no command of the probe can swallow (or wait for)
 * what the client sends the same shell afterwards.
 */
export function probeScript(nonce: string): string {
  if (!/^[0-9a-f]{16,64}$/.test(nonce)) throw new Error('probe nonce must be 16-64 lowercase hex digits');
  return `N=${nonce}\n{\n${body()}\n} </dev/null\n`;
}

/** The nonce of a probe script, for the in-process fleet that answers it. */
export function nonceOfScript(script: string): string | undefined {
  return /^N=([0-9a-f]{16,64})\n/.exec(script)?.[1];
}
