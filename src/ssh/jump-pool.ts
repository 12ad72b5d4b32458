import type { Client, ClientChannel } from 'ssh2';
import type { Target } from '../model.js';
import { HostError } from './errors.js';

// One authenticated connection to a bastion carries the forwarded channels to many targets.
// Opening a connection per target would be slower and would trip the bastion's MaxStartups;
// more connections are opened only when one is full (sshd caps channels per connection, and
// refuses the next one with "administratively prohibited" / "resource shortage"). New bastion
// connections are opened one at a time, and a bastion that cannot be reached fails its targets
// at once instead of being retried for each of them.

export interface JumpChannel {
  stream: ClientChannel;
  release(): void;
}

interface PooledConnection {
  client: Client;
  channels: number;
  /** Channels this connection takes before a new one is opened (lowered when the server refuses one). */
  capacity: number;
}

interface HopState {
  connections: PooledConnection[];
  opening?: Promise<PooledConnection>;
  failure?: HostError;
}

export type HopConnector = (hop: Target, signal: AbortSignal) => Promise<Client>;

export class JumpPool {
  private readonly hops = new Map<string, HopState>();

  constructor(
    private readonly connectHop: HopConnector,
    private readonly channelsPerConnection = 10,
  ) {}

  /** A channel through `hop` to address:port. */
  async open(hop: Target, address: string, port: number, signal: AbortSignal): Promise<JumpChannel> {
    const state = this.state(hop);
    for (let tries = 0; tries < 64; tries++) {
      if (state.failure) throw state.failure;
      signal.throwIfAborted();
      const connection = state.connections.find((c) => c.channels < c.capacity) ?? (await this.grow(hop, state, signal));
      if (connection.channels >= connection.capacity) continue;
      connection.channels += 1;
      try {
        const stream = await forward(connection.client, address, port);
        let released = false;
        const release = () => {
          if (released) return;
          released = true;
          connection.channels -= 1;
        };
        stream.once('close', release);
        return { stream, release };
      } catch (error) {
        connection.channels -= 1;
        if (!isChannelLimit(error)) throw new HostError('connection', `jump host ${hop.name} could not reach ${address}:${port}: ${(error as Error).message}`);
        // The server allows fewer channels per connection than assumed: stay below what it took.
        connection.capacity = Math.max(1, connection.channels);
      }
    }
    throw new HostError('connection', `jump host ${hop.name}: no connection would take another channel`);
  }

  /** Ends every bastion connection. */
  close(): void {
    for (const state of this.hops.values()) for (const connection of state.connections) connection.client.end();
    this.hops.clear();
  }

  private state(hop: Target): HopState {
    const key = hopKey(hop);
    let state = this.hops.get(key);
    if (!state) {
      state = { connections: [] };
      this.hops.set(key, state);
    }
    return state;
  }

  private async grow(hop: Target, state: HopState, signal: AbortSignal): Promise<PooledConnection> {
    if (!state.opening) {
      state.opening = this.connectHop(hop, signal).then(
        (client) => {
          const connection: PooledConnection = { client, channels: 0, capacity: this.channelsPerConnection };
          // A closed connection leaves the pool, so every pooled connection is open.
          client.on('close', () => {
            state.connections = state.connections.filter((c) => c !== connection);
          });
          state.connections.push(connection);
          return connection;
        },
        (error: unknown) => {
          const failure = error instanceof HostError ? error : new HostError('connection', String(error));
          // A hop that is down or refuses us stays so for this scan; transient drops may be retried.
          if (!failure.transient && !signal.aborted) state.failure = new HostError(failure.kind, `jump host ${hop.name}: ${failure.message}`);
          throw state.failure ?? failure;
        },
      );
      state.opening.then(
        () => (state.opening = undefined),
        () => (state.opening = undefined),
      );
    }
    return state.opening;
  }
}

/** One pool per way of reaching a hop: the same bastion over another route is another connection. */
function hopKey(hop: Target): string {
  const via = hop.jump ? ` via ${hopKey(hop.jump)}` : hop.proxyCommand ? ` via ProxyCommand ${hop.proxyCommand.command}` : '';
  return `${hop.user}@${hop.address}:${hop.port}${via}`;
}

function forward(client: Client, address: string, port: number): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, address, port, (error, stream) => (error ? reject(error) : resolve(stream)));
  });
}

function isChannelLimit(error: unknown): boolean {
  const reason = (error as { reason?: number }).reason;
  // SSH_OPEN_ADMINISTRATIVELY_PROHIBITED (1) or SSH_OPEN_RESOURCE_SHORTAGE (4).
  return reason === 1 || reason === 4 || /prohibited|resource shortage/i.test((error as Partial<Error>).message ?? '');
}
