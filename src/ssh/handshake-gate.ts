// sshd counts unauthenticated connections against MaxStartups (10:30:100 by default: beyond 10 it
// drops new ones at random, all of them beyond 100). A scan that opens 64 connections at once to
// addresses served by one sshd (a bastion, a load balancer, a test fleet) loses many to it.
// This gate bounds how many handshakes are in flight, the way TCP bounds its window: it halves
// when a connection is dropped before the handshake and grows by one with each that gets in, so
// a scan settles at what the servers accept instead of retrying into the same wall.

export class HandshakeGate {
  private window: number;
  private inFlight = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly max: number,
    private readonly min = 4,
  ) {
    this.window = max;
  }

  /** Waits for a handshake slot. Rejects with the signal's reason when it aborts first. */
  acquire(signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    if (this.inFlight < this.window) {
      this.inFlight += 1;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal.removeEventListener('abort', onAbort);
        this.inFlight += 1;
        resolve();
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(grant);
        if (index >= 0) this.waiting.splice(index, 1);
        reject(signal.reason as Error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(grant);
    });
  }

  /** The handshake ended: `dropped` when the server dropped it before it finished. */
  release(outcome: 'in' | 'dropped' | 'failed'): void {
    this.inFlight -= 1;
    if (outcome === 'dropped') this.window = Math.max(this.min, Math.floor(this.window / 2));
    else if (outcome === 'in') this.window = Math.min(this.max, this.window + 1);
    while (this.inFlight < this.window && this.waiting.length > 0) this.waiting.shift()!();
  }

  /** Handshakes allowed at once right now (for tests and progress). */
  get size(): number {
    return this.window;
  }
}
