// Where one host's time goes in a fleetbench scan, phase by phase: the same library (ssh2), key,
// commands and parsing as `fleetbench scan`, timed one host at a time so nothing else competes.
// Run inside the fabric namespace (bench/investigate.ts does); prints one JSON line.
// Usage: host-phases.js STEP SOCKET KEY KNOWN_HOSTS USER ADDRESS...
// STEP: session (connect, authenticate, run `true`), command (the contenders' command instead),
// probe (fleetbench's launcher and probe), full (the probe, then etcdctl member list in its shell, as a scan does).
// SOCKET: nagle (as ssh2 and so fleetbench connect today) or nodelay (TCP_NODELAY).
import { readFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import ssh2 from 'ssh2';
import type { AnyAuthMethod, Client as SshClient, ParsedKey } from 'ssh2';
import { memberListFollowUp, readMemberList } from '../src/collect/member-list.js';
import { parseProbeOutput } from '../src/collect/parse-output.js';
import { discoverComponents } from '../src/effective/discover.js';
import { memberListPlan } from '../src/effective/member-query.js';
import { startProbe } from '../src/scan/probe-session.js';
import { REMOTE_COMMAND } from './contenders/host-data.js';

const { Client, utils } = ssh2;

export type Step = 'session' | 'command' | 'probe' | 'full';
export type SocketMode = 'nagle' | 'nodelay';

/** Milliseconds per host, medians over the hosts. */
export interface PhaseReport {
  step: Step;
  socket: SocketMode;
  hosts: number;
  connectMs: number;
  commandMs: number;
  parseMs: number;
  memberListMs: number;
  outputBytes: number;
}

function connect(address: string, user: string, key: ParsedKey, hostKey: string, noDelay: boolean): Promise<SshClient> {
  const auth: AnyAuthMethod[] = [{ type: 'publickey', username: user, key }];
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.on('ready', () => resolve(client)).on('error', reject);
    client.connect({
      ...(noDelay ? { sock: createConnection({ host: address, port: 22, noDelay: true }) } : {}),
      host: address,
      port: 22,
      username: user,
      algorithms: { serverHostKey: ['ssh-ed25519'] },
      hostVerifier: (offered: Buffer) => offered.toString('base64') === hostKey,
      authHandler: auth,
    });
  });
}

function run(client: SshClient, command: string, stdin: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, stream) => {
      if (error) {
        reject(error);
        return;
      }
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.stderr.resume();
      stream.on('close', () => resolve(Buffer.concat(chunks)));
      stream.end(stdin);
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function timeHost(step: Step, socket: SocketMode, address: string, user: string, key: ParsedKey, hostKey: string) {
  const times = { connectMs: 0, commandMs: 0, parseMs: 0, memberListMs: 0, outputBytes: 0 };
  let mark = performance.now();
  const lap = () => {
    const now = performance.now();
    const elapsed = now - mark;
    mark = now;
    return elapsed;
  };
  const client = await connect(address, user, key, hostKey, socket === 'nodelay');
  times.connectMs = lap();
  try {
    if (step === 'session' || step === 'command') {
      const output = await run(client, step === 'session' ? 'true' : REMOTE_COMMAND, '');
      times.commandMs = lap();
      times.outputBytes = output.length;
      return times;
    }
    const session = await startProbe(client, { become: true, user, maxOutputBytes: 64 * 1_048_576, signal: new AbortController().signal, deadlineSeconds: 60 });
    times.commandMs = lap();
    times.outputBytes = session.output.length;
    const snapshot = parseProbeOutput(session.output, { target: address, nonce: session.nonce, collectedAt: new Date().toISOString(), user });
    const components = discoverComponents(snapshot);
    times.parseMs = lap();
    const plan = memberListPlan(components, snapshot);
    const followUp = plan?.ok ? memberListFollowUp(plan.query) : undefined;
    if (step === 'full') {
      if (!followUp) throw new Error(`${address}: no etcd member list to ask for (${plan && !plan.ok ? plan.reason : `privilege ${snapshot.privilege}`})`);
      const ended = await session.finish(followUp);
      const listed = readMemberList(ended.stdout.subarray(session.output.length), session.nonce);
      if (!listed.ok) throw new Error(`${address}: etcdctl member list failed: ${listed.error}`);
      times.memberListMs = lap();
    } else {
      void session.finish();
    }
    return times;
  } finally {
    client.end();
  }
}

async function main(): Promise<void> {
  const [step, socket, keyFile, knownHostsFile, user, ...addresses] = process.argv.slice(2) as [Step, SocketMode, string, string, string, ...string[]];
  const parsed = utils.parseKey(await readFile(keyFile)) as ParsedKey | ParsedKey[] | Error;
  const key: ParsedKey | Error | undefined = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || key instanceof Error) throw new Error(`cannot read ${keyFile}`);
  // The fleet's known_hosts: one `address ssh-ed25519 KEY` line per address.
  const hostKeys = new Map(
    (await readFile(knownHostsFile, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => [line.split(' ')[0]!, line.split(' ')[2]!]),
  );
  const all = [];
  for (const address of addresses) {
    const hostKey = hostKeys.get(address);
    if (!hostKey) throw new Error(`${address} is not in ${knownHostsFile}`);
    all.push(await timeHost(step, socket, address, user, key, hostKey));
  }
  const report: PhaseReport = {
    step,
    socket,
    hosts: all.length,
    connectMs: median(all.map((t) => t.connectMs)),
    commandMs: median(all.map((t) => t.commandMs)),
    parseMs: median(all.map((t) => t.parseMs)),
    memberListMs: median(all.map((t) => t.memberListMs)),
    outputBytes: median(all.map((t) => t.outputBytes)),
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

await main();
