import { connect as connectTcp, createServer } from 'node:net';
import type { AddressInfo, Server as NetServer, Socket } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import ssh2 from 'ssh2';
import type { Connection, ParsedKey, ServerChannel } from 'ssh2';
import type { HostFixture } from '../collect/fixture-output.js';
import { answerMemberList, FixtureSession } from '../collect/fixture-output.js';
import { requestOfFollowUp } from '../collect/file-follow-up.js';
import { generateKeyPair } from '../ssh/generate-key.js';
import { BECOME_ANSWERS, launcherCommand } from '../collect/launcher.js';
import type { BecomeAnswer, ProbeMode } from '../collect/launcher.js';
import { parametersOfScript, probeScript } from '../collect/probe.js';
import { formatKnownHostsLine } from '../ssh/known-hosts.js';

// ssh2 is CommonJS: its named exports are not visible to Node's ESM loader.
const { Server, utils } = ssh2;

// A fleet of real SSH servers (ssh2's Server) on loopback, one per host, for the demo and the
// fast tests. Each serves a fixture host, or misbehaves on purpose the way real hosts do.

export type HostBehaviour =
  | { kind: 'fixture'; fixture: HostFixture }
  /** Accepts TCP and never says a word (a hung sshd, a tarpit). */
  | { kind: 'silent' }
  /** Authenticates, then the probe never answers. */
  | { kind: 'hang' }
  /** The probe answers with endless output. */
  | { kind: 'flood' }
  /** Nothing listens on the port. */
  | { kind: 'refused' }
  /** A jump host: forwards channels (direct-tcpip) to other addresses, at most `maxChannels` per connection. */
  | { kind: 'bastion'; maxChannels: number };

/** What a bastion saw, for tests that prove targets were reached through it. */
export interface BastionStats {
  connections: number;
  channels: number;
  refusedChannels: number;
  mostChannelsAtOnce: number;
}

export interface FleetHostSpec {
  name: string;
  behaviour: HostBehaviour;
  /** Serve a different host key from the one written to known_hosts. */
  wrongHostKey?: boolean;
  /** Delay before answering the probe, standing for network and host time. */
  delayMs?: number;
  /** Drop this many connections right after accepting them, as sshd does beyond MaxStartups. */
  dropFirst?: number;
  /** Disconnect after this many refused keys, as sshd's MaxAuthTries (6 by default) does. */
  maxAuthTries?: number;
}

export interface FleetHost {
  name: string;
  address: string;
  port: number;
}

export interface RunningFleet {
  hosts: FleetHost[];
  bastions: Map<string, BastionStats>;
  /** known_hosts lines for every host that speaks SSH (with its advertised, not necessarily served, key). */
  knownHosts: string;
  /** OpenSSH private key the servers accept. */
  clientPrivateKey: string;
  user: string;
  stop(): Promise<void>;
}

export interface FleetOptions {
  user?: string;
  /** One host key for all hosts: generating thousands is slow and proves nothing more. */
  sharedHostKey?: boolean;
}

export async function startFleet(specs: FleetHostSpec[], options: FleetOptions = {}): Promise<RunningFleet> {
  const user = options.user ?? 'audit';
  const client = generateKeyPair();
  const clientPublic = utils.parseKey(client.public) as ParsedKey;
  const shared = options.sharedHostKey ? generateKeyPair() : undefined;
  const servers: NetServer[] = [];
  const sockets = new Set<Socket>();
  const connections = new Set<Connection>();
  const hosts: FleetHost[] = [];
  const knownHosts: string[] = [];
  const bastions = new Map<string, BastionStats>();

  for (const spec of specs) {
    const { behaviour } = spec;
    if (behaviour.kind === 'refused') {
      hosts.push({ name: spec.name, address: '127.0.0.1', port: await closedPort() });
      continue;
    }
    if (behaviour.kind === 'silent') {
      const server = createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => {});
      });
      const port = await listen(server);
      servers.push(server);
      hosts.push({ name: spec.name, address: '127.0.0.1', port });
      continue;
    }

    const hostKey = shared ?? generateKeyPair();
    const advertised = spec.wrongHostKey ? generateKeyPair() : hostKey;
    const stats = behaviour.kind === 'bastion' ? { connections: 0, channels: 0, refusedChannels: 0, mostChannelsAtOnce: 0 } : undefined;
    if (stats) bastions.set(spec.name, stats);
    const ssh = new Server({ hostKeys: [hostKey.private] }, (connection) => {
      connections.add(connection);
      connection.on('close', () => connections.delete(connection));
      connection.on('error', () => {});
      serveConnection(connection, { user, clientPublic, spec });
      if (stats && behaviour.kind === 'bastion') forwardChannels(connection, behaviour.maxChannels, stats, sockets);
    });
    let toDrop = spec.dropFirst ?? 0;
    const server = createServer((socket) => {
      if (toDrop > 0) {
        toDrop -= 1;
        socket.destroy();
        return;
      }
      ssh.injectSocket(socket);
    });
    const port = await listen(server);
    servers.push(server);
    hosts.push({ name: spec.name, address: '127.0.0.1', port });
    const publicBlob = (utils.parseKey(advertised.public) as ParsedKey).getPublicSSH();
    knownHosts.push(formatKnownHostsLine('127.0.0.1', port, publicBlob));
  }

  return {
    hosts,
    bastions,
    knownHosts: knownHosts.join('\n') + '\n',
    clientPrivateKey: client.private,
    user,
    async stop() {
      for (const connection of connections) connection.end();
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}

interface ServeContext {
  user: string;
  clientPublic: ParsedKey;
  spec: FleetHostSpec;
}

function serveConnection(connection: Connection, context: ServeContext): void {
  const expected = context.clientPublic.getPublicSSH();
  let refusedKeys = 0;
  connection.on('authentication', (ctx) => {
    if (ctx.method !== 'publickey' || ctx.username !== context.user) {
      ctx.reject(['publickey']);
      return;
    }
    const offered = ctx.key.data;
    if (offered.length !== expected.length || !timingSafeEqual(offered, expected)) {
      refusedKeys += 1;
      // sshd: "Too many authentication failures", and the connection is gone.
      if (context.spec.maxAuthTries !== undefined && refusedKeys >= context.spec.maxAuthTries) connection.end();
      else ctx.reject(['publickey']);
      return;
    }
    if (!ctx.signature) {
      ctx.accept();
      return;
    }
    if (!context.clientPublic.verify(ctx.blob!, ctx.signature, ctx.hashAlgo)) {
      ctx.reject(['publickey']);
      return;
    }
    ctx.accept();
  });
  connection.on('ready', () => {
    connection.on('session', (acceptSession) => {
      const session = acceptSession();
      session.on('exec', (accept, _reject, info) => {
        const channel = accept();
        const run = () => answer(channel, info.command, context);
        if (context.spec.delayMs) setTimeout(run, context.spec.delayMs);
        else run();
      });
    });
  });
}

function answer(channel: ServerChannel, command: string, context: ServeContext): void {
  const { behaviour } = context.spec;
  channel.on('error', () => {});
  switch (behaviour.kind) {
    case 'hang':
      return;
    case 'flood': {
      const chunk = Buffer.alloc(64 * 1024, 'x\n');
      const pump = () => {
        while (channel.write(chunk)) {
          /* keep writing until the window is full */
        }
      };
      channel.on('drain', pump);
      pump();
      return;
    }
    case 'fixture': {
      // As a shell would: answer the probe as soon as all of it has arrived (fleetbench keeps stdin
      // open for a follow-up), then the follow-up once stdin ends.
      const { fixture } = behaviour;
      const refusal = command === launcherCommand('sudo') ? refusalOfSudo(context.user, fixture) : undefined;
      if (refusal !== undefined) {
        // As sudo -n does when it refuses: says why, reads nothing, exits 1.
        channel.stderr.write(`${refusal}\n`);
        channel.exit(1);
        channel.end();
        return;
      }
      if (command === launcherCommand('sudo-with-password')) channel.write(`${becomeAnswer(context.user, fixture)}\n`);
      let received = '';
      let answered: { nonce: string; followUpAt: number; session: FixtureSession } | undefined;
      const answerOnceComplete = () => {
        const mode = probeMode(command, received, context.user, fixture);
        const parameters = mode && parametersOfScript(mode.script);
        const script = parameters && probeScript(parameters);
        if (!mode || !parameters || !script || !mode.script.startsWith(script)) return;
        const { nonce } = parameters;
        const options = { nonce, mode: mode.mode, user: context.user, uid: context.user === 'root' ? 0 : 1000 };
        const session = new FixtureSession(fixture, mode.sudoError ? { ...options, sudoError: mode.sudoError } : options);
        answered = { nonce, followUpAt: received.length - mode.script.length + script.length, session };
        channel.write(session.probe());
      };
      // As the probe's shell does: each follow-up that reads more files is answered once all of it has arrived.
      const answerFollowUps = () => {
        for (
          let next = answered && requestOfFollowUp(received.slice(answered.followUpAt));
          answered && next;
          next = requestOfFollowUp(received.slice(answered.followUpAt))
        ) {
          answered.followUpAt += next.length;
          channel.write(answered.session.files(next.request));
        }
      };
      channel.on('data', (chunk: Buffer) => {
        received += chunk.toString('utf8');
        if (!answered) answerOnceComplete();
        answerFollowUps();
      });
      channel.on('end', () => {
        if (!answered) {
          channel.stderr.write(`sh: unexpected command\n`);
          channel.exit(127);
          channel.end();
          return;
        }
        if (/etcdctl .*member/.test(received.slice(answered.followUpAt))) channel.write(answerMemberList(fixture, answered.nonce));
        channel.exit(0);
        channel.end();
      });
      return;
    }
    default:
      channel.end();
  }
}

/** Forwards direct-tcpip channels as sshd does for ProxyJump, refusing beyond the per-connection cap. */
function forwardChannels(connection: Connection, maxChannels: number, stats: BastionStats, sockets: Set<Socket>): void {
  stats.connections += 1;
  let open = 0;
  connection.on('tcpip', (accept, reject, info) => {
    if (open >= maxChannels) {
      stats.refusedChannels += 1;
      reject();
      return;
    }
    open += 1;
    stats.channels += 1;
    stats.mostChannelsAtOnce = Math.max(stats.mostChannelsAtOnce, open);
    const channel = accept();
    const socket = connectTcp(info.destPort, info.destIP);
    sockets.add(socket);
    socket.on('error', () => channel.close());
    channel.on('error', () => socket.destroy());
    channel.pipe(socket).pipe(channel);
    channel.on('close', () => {
      open -= 1;
      socket.destroy();
      sockets.delete(socket);
    });
  });
}

/** What the launcher with a sudo password at hand says first on this host (see launcher.ts). */
function becomeAnswer(user: string, fixture: HostFixture): BecomeAnswer {
  if (user === 'root') return BECOME_ANSWERS.root;
  return fixture.sudo === 'password' ? BECOME_ANSWERS.password : BECOME_ANSWERS.noPassword;
}

/** What `sudo -n` says on this host when it refuses the user, or undefined when it does not. */
function refusalOfSudo(user: string, fixture: HostFixture): string | undefined {
  if (user === 'root' || fixture.sudo === 'nopasswd') return undefined;
  return fixture.sudo === 'password' ? 'sudo: a password is required' : `${user} is not in the sudoers file.  This incident will be reported.`;
}

/** What the launcher would do on this host: run as root, through sudo, or unprivileged. */
function probeMode(command: string, stdin: string, user: string, fixture: HostFixture): { mode: ProbeMode; sudoError?: string; script: string } | undefined {
  if (command === launcherCommand('plain')) return { mode: 'plain', script: stdin };
  if (command === launcherCommand('sudo')) return { mode: 'sudo', script: stdin };
  if (command === launcherCommand('without-sudo')) return { mode: user === 'root' ? 'root' : 'sudo-refused', script: stdin };
  if (command !== launcherCommand('sudo-with-password')) return undefined;
  const asked = becomeAnswer(user, fixture) === BECOME_ANSWERS.password;
  const newline = stdin.indexOf('\n');
  const password = asked ? stdin.slice(0, newline) : undefined;
  const script = asked ? stdin.slice(newline + 1) : stdin;
  if (user === 'root') return { mode: 'root', script };
  if (password === undefined || password === fixture.sudoPassword) {
    const refused = password === undefined ? refusalOfSudo(user, fixture) : undefined;
    return refused === undefined ? { mode: 'sudo', script } : { mode: 'sudo-refused', sudoError: refused, script };
  }
  return { mode: 'sudo-refused', sudoError: 'Sorry, try again.\nSorry, try again.\nsudo: 3 incorrect password attempts', script };
}

function listen(server: NetServer): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as AddressInfo;
      resolve(address.port);
    });
  });
}

/** A loopback port nothing listens on: bound and released, so connecting to it is refused. */
async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
