import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { Client } from 'ssh2';
import { describe, expect, it } from 'vitest';
import { HostError } from '../../src/ssh/errors.js';
import { JumpPool } from '../../src/ssh/jump-pool.js';
import type { Target } from '../../src/model.js';

// The pool's own bookkeeping, against a stand-in for an ssh2 connection that refuses channels the
// way sshd does when a connection has too many ("administratively prohibited", reason 1). The
// forwarding itself is exercised over real SSH in test/scan/jump.test.ts.
class BastionConnection extends EventEmitter {
  open = 0;
  constructor(private readonly limit: number) {
    super();
  }
  forwardOut(_srcIp: string, _srcPort: number, _address: string, _port: number, callback: (error: Error | undefined, stream: PassThrough) => void) {
    if (this.open >= this.limit) {
      callback(Object.assign(new Error('(SSH) Channel open failure: open failed'), { reason: 1 }), new PassThrough());
      return this;
    }
    this.open += 1;
    const stream = new PassThrough();
    stream.on('close', () => (this.open -= 1));
    callback(undefined, stream);
    return this;
  }
  end() {}
}

const hop: Target = { name: 'bastion', cluster: 'c', address: '10.0.0.1', port: 22, user: 'audit', roles: [], become: false, identityFiles: [] };

describe('JumpPool', () => {
  it('opens another connection when the bastion refuses a channel, and remembers the lower limit', async () => {
    const opened: BastionConnection[] = [];
    const pool = new JumpPool(async () => {
      const connection = new BastionConnection(3);
      opened.push(connection);
      return connection as unknown as Client;
    }, 10);
    const signal = new AbortController().signal;
    const channels = await Promise.all(Array.from({ length: 7 }, (_, i) => pool.open(hop, '10.0.1.1', 22 + i, signal)));
    expect(channels).toHaveLength(7);
    expect(opened.map((c) => c.open)).toEqual([3, 3, 1]);
  });

  it('fails every later target at once when the bastion cannot be reached', async () => {
    let attempts = 0;
    const pool = new JumpPool(async () => {
      attempts += 1;
      throw new HostError('refused', 'connection refused by 10.0.0.1:22');
    });
    const signal = new AbortController().signal;
    await expect(pool.open(hop, '10.0.1.1', 22, signal)).rejects.toThrow('jump host bastion: connection refused by 10.0.0.1:22');
    await expect(pool.open(hop, '10.0.1.2', 22, signal)).rejects.toThrow('jump host bastion: connection refused by 10.0.0.1:22');
    expect(attempts).toBe(1);
  });
});
