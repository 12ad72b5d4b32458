import type { Duplex } from 'node:stream';
import ssh2 from 'ssh2';
import type { AnyAuthMethod, Client as SshClient, ConnectConfig } from 'ssh2';
import type { Target } from '../model.js';
import { ChosenKeysAgent } from './chosen-keys-agent.js';
import { classify, HostError } from './errors.js';
import type { HostKeyPolicy } from './host-keys.js';
import { decideHostKey, preferredHostKeyAlgorithms } from './host-keys.js';
import type { HandshakeGate } from './handshake-gate.js';
import type { JumpChannel, JumpPool } from './jump-pool.js';
import type { KeyRing } from './keys.js';
import { isLoaded, publicKeyOf } from './keys.js';
import { startProxyCommand } from './proxy-command.js';
import type { ProxyProcess } from './proxy-command.js';
import { withRetries } from './retry.js';
import type { Attempted, RetryPolicy } from './retry.js';

// ssh2 is CommonJS: its named exports are not visible to Node's ESM loader.
const { Client } = ssh2;

export interface SshOptions {
  /** How a target's host key is verified; targets may have their own known_hosts (ssh_config). */
  hostKeys: (target: Target) => HostKeyPolicy;
  keys: KeyRing;
  /** Path of the ssh-agent socket (SSH_AUTH_SOCK), when there is one. */
  agent?: string;
  /** Identity files to offer to targets that name none (OpenSSH's defaults that exist). */
  defaultIdentityFiles: string[];
  /** TCP connect + SSH handshake + authentication. */
  connectTimeoutMs: number;
  /** Bastion connections shared by the targets behind them; needed for targets with a jump host. */
  jumps?: JumpPool;
  /** Bounds handshakes in flight, so that a crowded sshd's MaxStartups is not hammered. */
  gate?: HandshakeGate;
}

/**
 * Opens an authenticated SSH connection to a target, with its host key verified; through its jump
 * host when it has one (whose own key is verified the same way when its connection is opened), or
 * over its ProxyCommand.
 */
async function connect(target: Target, options: SshOptions, signal: AbortSignal): Promise<SshClient> {
  const where = describeEndpoint(target);
  const auth = authMethods(target, options);
  if (auth.methods.length === 0) {
    throw new HostError('auth', `no way to authenticate to ${where}: ${auth.problems.join('; ') || 'no ssh-agent and no identity file'}`);
  }
  let channel: JumpChannel | undefined;
  if (target.jump) {
    if (!options.jumps) throw new HostError('connection', `${where}: jump hosts are not available here`);
    channel = await options.jumps.open(target.jump, target.address, target.port, signal);
  }
  try {
    await options.gate?.acquire(signal);
  } catch (error) {
    // Aborted while waiting for a handshake slot: give the bastion its channel back now, not
    // when the bastion connection closes at the end of the scan.
    channel?.stream.destroy();
    channel?.release();
    throw error;
  }
  // Started once a handshake slot is ours, so that waiting hosts do not hold commands running.
  const proxy = target.proxyCommand ? startProxyCommand(target.proxyCommand) : undefined;
  const transport = channel ?? (proxy ? { stream: proxy.stream } : undefined);
  try {
    const client = await handshake(target, options, auth, where, transport, signal);
    options.gate?.release('in');
    return client;
  } catch (error) {
    const failure = proxy ? await proxyFailure(proxy, error, where) : error;
    options.gate?.release(failure instanceof HostError && failure.transient ? 'dropped' : 'failed');
    throw failure;
  }
}

/** How long a ProxyCommand that stopped talking gets to exit, so that its exit status can be told. */
const PROXY_EXIT_WAIT_MS = 1000;

/**
 * The failure of a connection over a ProxyCommand, told by the command: a command that failed
 * (or could not start) is the host's error, with what it said; it is not retried. One that exited
 * successfully is taken as the server hanging up (retried as such), and what it said is added.
 */
async function proxyFailure(proxy: ProxyProcess, error: unknown, where: string): Promise<unknown> {
  const end = await proxy.ended(PROXY_EXIT_WAIT_MS);
  proxy.stop();
  const said = lastLines(proxy.stderr());
  if (end?.kind === 'not-started') return new HostError('connection', `${where}: the ProxyCommand could not be started: ${end.error.message}`);
  if (end?.kind === 'exited' && end.code !== 0) {
    const status = end.code === null ? `was killed by ${end.signal}` : `exited with status ${end.code}`;
    return new HostError('connection', `${where}: the ProxyCommand ${status} before the SSH handshake finished${said ? `; it said: ${said}` : ''}`);
  }
  const failure = classify(error, where);
  if (said) failure.message += `; the ProxyCommand said: ${said}`;
  return failure;
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-3).join(' | ').slice(-300);
}

/** connect(), tried again while sshd drops the connection before the handshake (see retry.ts). */
export function connectWithRetries(target: Target, options: SshOptions, policy: RetryPolicy, signal: AbortSignal): Promise<Attempted<SshClient>> {
  const where = describeEndpoint(target);
  return withRetries(
    () => connect(target, options, signal),
    (error) => classify(error, where),
    policy,
    signal,
  );
}

function describeEndpoint(target: Target): string {
  return `${target.address}:${target.port}${target.jump ? ` via ${target.jump.name}` : target.proxyCommand ? ' via ProxyCommand' : ''}`;
}

function handshake(
  target: Target,
  options: SshOptions,
  auth: ReturnType<typeof authMethods>,
  where: string,
  transport: { stream: Duplex; release?: () => void } | undefined,
  signal: AbortSignal,
): Promise<SshClient> {
  const policy = options.hostKeys(target);
  return new Promise((resolve, reject) => {
    const client = new Client();
    let hostKeyRefusal: string | undefined;
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      if (error === undefined) {
        resolve(client);
        return;
      }
      client.destroy();
      if (hostKeyRefusal) {
        reject(new HostError('host-key', hostKeyRefusal));
        return;
      }
      const classified = classify(error, where);
      if (classified.kind === 'auth') {
        classified.message += ` (tried ${auth.tried.join(', ')} as ${target.user}${auth.problems.length ? `; ${auth.problems.join('; ')}` : ''})`;
      }
      reject(classified);
    };
    const onAbort = () => finish(signal.reason);
    signal.addEventListener('abort', onAbort);

    if (transport?.release) client.on('close', transport.release);
    client.on('ready', () => finish());
    client.on('error', (error) => finish(error));
    client.on('close', () => finish(new HostError('connection', `${where} closed the connection during the handshake`, true)));

    const config: ConnectConfig = {
      host: target.address,
      port: target.port,
      username: target.user,
      readyTimeout: options.connectTimeoutMs,
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        decideHostKey(policy, target, key).then(
          (decision) => {
            if (decision.ok) {
              verify(true);
            } else {
              hostKeyRefusal = decision.reason;
              verify(false);
            }
          },
          (error: unknown) => {
            hostKeyRefusal = `could not record the host key: ${String(error)}`;
            verify(false);
          },
        );
      },
      authHandler: auth.methods,
    };
    if (transport) config.sock = transport.stream;
    const algorithms = preferredHostKeyAlgorithms(policy, target);
    if (algorithms) config.algorithms = { serverHostKey: algorithms as never };
    try {
      client.connect(config);
      // ssh2 leaves Nagle's algorithm on: every small packet that waits for the delayed ACK of the
      // one before loses ~40 ms, several times per host (login, probe, member list).
      client.setNoDelay(true);
    } catch (error) {
      finish(error);
    }
  });
}

/**
 * What to offer, in order: the agent (the host's IdentityAgent, else SSH_AUTH_SOCK; under
 * IdentitiesOnly only its keys that match the identity files), then the identity files (the
 * host's, else the defaults).
 */
function authMethods(target: Target, options: SshOptions): { methods: AnyAuthMethod[]; tried: string[]; problems: string[] } {
  const methods: AnyAuthMethod[] = [];
  const tried: string[] = [];
  const problems: string[] = [];
  const files = target.identityFiles.length > 0 || target.noDefaultIdentityFiles ? target.identityFiles : options.defaultIdentityFiles;
  const agent = target.identityAgent === undefined ? options.agent : target.identityAgent === 'none' ? undefined : target.identityAgent;
  if (agent) {
    if (target.identitiesOnly) {
      const chosen = files.flatMap((path) => publicKeyOf(options.keys.get(path)) ?? []);
      methods.push({ type: 'agent', username: target.user, agent: new ChosenKeysAgent(agent, chosen) });
      tried.push('ssh-agent (only keys of the identity files)');
    } else {
      methods.push({ type: 'agent', username: target.user, agent });
      tried.push('ssh-agent');
    }
  }
  for (const path of files) {
    const entry = options.keys.get(path);
    if (isLoaded(entry)) {
      methods.push({ type: 'publickey', username: target.user, key: entry.key });
      tried.push(path);
    } else {
      problems.push(`identity file ${path} not used: ${entry.reason}`);
    }
  }
  return { methods, tried, problems };
}
