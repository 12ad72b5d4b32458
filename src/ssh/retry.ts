import { setTimeout as sleep } from 'node:timers/promises';
import { HostError } from './errors.js';

// Connections that sshd drops before the handshake (MaxStartups beyond 10 unauthenticated
// connections, a full accept queue) are not host failures: they are retried, with exponential
// backoff and jitter so that a fleet of retries does not arrive together. Anything after the
// handshake started to authenticate is never retried: repeated failed logins earn the scanner
// a lock-out (sshd's PerSourcePenalties).

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 250 };

/** The longest wait between two attempts, however many came before. */
const MAX_DELAY_MS = 4000;

/** Delay before retry number `retry` (1-based): base · 2^(retry-1), at most 4 s, scaled by a random 0.5–1.5. */
export function backoffDelay(policy: RetryPolicy, retry: number, random = Math.random): number {
  return Math.round(Math.min(MAX_DELAY_MS, policy.baseDelayMs * 2 ** (retry - 1)) * (0.5 + random()));
}

export interface Attempted<T> {
  value: T;
  attempts: number;
}

/** Runs `connect` until it succeeds, fails for good, runs out of attempts, or `signal` aborts. */
export async function withRetries<T>(
  connect: () => Promise<T>,
  classify: (error: unknown) => HostError,
  policy: RetryPolicy,
  signal: AbortSignal,
): Promise<Attempted<T>> {
  let previous: HostError | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return { value: await connect(), attempts: attempt };
    } catch (error) {
      if (signal.aborted) throw cutShort(signal, previous, attempt - 1);
      const failure = classify(error);
      if (!failure.transient || attempt >= policy.attempts) {
        if (attempt > 1) failure.message += ` (after ${attempt} attempts)`;
        throw failure;
      }
      previous = failure;
      try {
        await sleep(backoffDelay(policy, attempt), undefined, { signal });
      } catch {
        throw cutShort(signal, previous, attempt);
      }
    }
  }
}

/** The deadline (or an interruption) ended the retries: say so, and what the attempts met. */
function cutShort(signal: AbortSignal, previous: HostError | undefined, attempts: number): unknown {
  const reason: unknown = signal.reason;
  if (!(reason instanceof HostError) || !previous) return reason;
  return new HostError(reason.kind, `${reason.message}; ${attempts === 1 ? 'the attempt' : `each of ${attempts} attempts`} before: ${previous.message}`);
}
