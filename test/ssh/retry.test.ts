import { describe, expect, it } from 'vitest';
import { HostError } from '../../src/ssh/errors.js';
import { backoffDelay, withRetries } from '../../src/ssh/retry.js';

describe('backoffDelay', () => {
  it('doubles per retry and spreads by ±50%', () => {
    const policy = { attempts: 4, baseDelayMs: 200 };
    expect(backoffDelay(policy, 1, () => 0.5)).toBe(200);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(800);
    expect(backoffDelay(policy, 3, () => 0)).toBe(400);
    expect(backoffDelay(policy, 3, () => 0.999)).toBe(1199);
  });
});

describe('withRetries', () => {
  const classify = (error: unknown) => error as HostError;
  it('stops at once on an error that is not transient', async () => {
    let calls = 0;
    const failing = async () => {
      calls += 1;
      throw new HostError('auth', 'denied');
    };
    await expect(withRetries(failing, classify, { attempts: 5, baseDelayMs: 1 }, new AbortController().signal)).rejects.toThrow('denied');
    expect(calls).toBe(1);
  });

  it('stops waiting when the signal aborts', async () => {
    const controller = new AbortController();
    const deadline = new HostError('timeout', 'no result within 1s');
    const dropping = async () => {
      setTimeout(() => controller.abort(deadline), 5);
      throw new HostError('connection', 'dropped', true);
    };
    await expect(withRetries(dropping, classify, { attempts: 5, baseDelayMs: 10_000 }, controller.signal)).rejects.toMatchObject({
      kind: 'timeout',
      message: 'no result within 1s; the attempt before: dropped',
    });
  });
});
