import { describe, expect, it } from 'vitest';
import { HandshakeGate } from '../../src/ssh/handshake-gate.js';

describe('HandshakeGate', () => {
  const signal = new AbortController().signal;

  it('halves its window when a server drops a handshake and grows by one per success', async () => {
    const gate = new HandshakeGate(64);
    await gate.acquire(signal);
    gate.release('dropped');
    expect(gate.size).toBe(32);
    await gate.acquire(signal);
    gate.release('dropped');
    await gate.acquire(signal);
    gate.release('in');
    expect(gate.size).toBe(17);
    for (let i = 0; i < 10; i++) {
      await gate.acquire(signal);
      gate.release('dropped');
    }
    expect(gate.size).toBe(4);
  });

  it('makes handshakes beyond the window wait until one ends', async () => {
    const gate = new HandshakeGate(2, 1);
    await gate.acquire(signal);
    await gate.acquire(signal);
    let third = false;
    const waiting = gate.acquire(signal).then(() => (third = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(third).toBe(false);
    gate.release('failed');
    await waiting;
    expect(third).toBe(true);
  });

  it('stops waiting when its signal aborts', async () => {
    const gate = new HandshakeGate(1, 1);
    await gate.acquire(signal);
    const controller = new AbortController();
    const waiting = gate.acquire(controller.signal);
    controller.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
  });
});
