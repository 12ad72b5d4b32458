import { PassThrough } from 'node:stream';
import type { ClientChannel } from 'ssh2';
import { describe, expect, it } from 'vitest';
import type { Target } from '../../src/model.js';
import { connectWithRetries } from '../../src/ssh/connect.js';
import type { SshOptions } from '../../src/ssh/connect.js';
import { HandshakeGate } from '../../src/ssh/handshake-gate.js';
import type { JumpPool } from '../../src/ssh/jump-pool.js';

// What connect() owes the jump pool when it gives up before the handshake. The handshake itself
// is exercised over real SSH in test/scan; here the pool hands out a stand-in channel so that
// the test can see whether it comes back.
describe('connectWithRetries through a jump host', () => {
  it('returns the forwarded channel when aborted while waiting for a handshake slot', async () => {
    const stream = new PassThrough();
    let released = 0;
    const jumps = { open: async () => ({ stream: stream as unknown as ClientChannel, release: () => (released += 1) }) } as unknown as JumpPool;
    const gate = new HandshakeGate(1, 1);
    await gate.acquire(new AbortController().signal); // the one slot is taken
    const options: SshOptions = {
      hostKeys: () => ({ mode: 'insecure-accept-any' }),
      keys: new Map(),
      agent: '/nonexistent/agent.sock',
      defaultIdentityFiles: [],
      connectTimeoutMs: 1000,
      jumps,
      gate,
    };
    const bastion: Target = { name: 'bastion', cluster: 'c', address: '10.0.0.1', port: 22, user: 'audit', roles: [], become: false, identityFiles: [] };
    const target: Target = { ...bastion, name: 'cp1', address: '10.0.1.1', roles: ['etcd'], jump: bastion };
    const interrupt = new AbortController();
    const connecting = connectWithRetries(target, options, { attempts: 1, baseDelayMs: 1 }, interrupt.signal);
    await new Promise((resolve) => setImmediate(resolve));
    expect(released).toBe(0);
    interrupt.abort(new Error('interrupted'));
    await expect(connecting).rejects.toThrow();
    expect(released).toBe(1);
    expect(stream.destroyed).toBe(true);
  });
});
