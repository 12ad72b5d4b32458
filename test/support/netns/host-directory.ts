import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { addAccounts } from './accounts.js';
import type { AccountFiles, HostAccounts } from './accounts.js';
import { runChecked } from './run-command.js';
import { serviceScript } from './service-script.js';
import { MACHINE_PATHS_HIDDEN } from './machine-paths.js';
import { hostAddresses } from './plan.js';
import { AUTHORIZED_KEYS_DIR, HOST_KEY_PATH, listenAddresses, sshdConfig } from './sshd-config.js';
import { generateKeyPair } from './ssh-keys.js';
import { OVERLAID_DIRECTORIES, stageInstall } from './staging.js';
import { SUDOERS, sudoersDropIn } from './sudoers.js';
import type { FileSpec, HostPlan, HostSpec, SegmentPlan } from './spec.js';

export interface HostDirectoryInput {
  dir: string;
  spec: HostSpec;
  plan: HostPlan;
  segments: SegmentPlan[];
  user: string;
  port: number;
  clientPublicKey: string;
  baseAccounts: AccountFiles;
  /** The host's cgroup as the machine sees it, or undefined without a usable hierarchy. */
  cgroupDir: string | undefined;
}

export interface PreparedHost {
  accounts: HostAccounts;
  hostPublicKey: string;
}

/** sudo looks its own host name up on every run, and complains when it cannot resolve it. */
function etcHosts(name: string, addresses: string[]): string {
  return ['127.0.0.1\tlocalhost', '::1\tlocalhost ip6-localhost ip6-loopback', ...addresses.map((address) => `${address}\t${name}`), ''].join('\n');
}

async function sudoPasswordHash(password: string): Promise<string> {
  return (await runChecked('openssl', ['passwd', '-6', '-stdin'], { input: password })).trim();
}

/**
 * The host's network as one `ip -batch` script: eth0, eth1... get the host's address on each of
 * its segments, eth0 also its extra addresses. One process however many addresses there are.
 */
function networkBatch(plan: HostPlan, segments: SegmentPlan[]): string {
  const lines = ['link set lo up'];
  Object.entries(plan.addresses).forEach(([segmentName, address], index) => {
    const { prefixLength } = segments.find((s) => s.name === segmentName)!;
    const extra = index === 0 ? plan.extraAddresses : [];
    lines.push(...[address, ...extra].map((a) => `addr add ${a}/${prefixLength} dev eth${index}`), `link set eth${index} up`);
  });
  return `${lines.join('\n')}\n`;
}

/**
 * Fills a host's directory with everything host-init.sh reads: its hostname, overlays, network,
 * the boot install batch (what to hide; accounts, sudoers, sshd config and keys, the caller's
 * files) and one script per service.
 */
export async function prepareHostDirectory(input: HostDirectoryInput): Promise<PreparedHost> {
  const { dir, spec, plan, user } = input;
  // Only root may read it: it holds the host's keys, and the host sees it at /run/fleetbench-host.
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const sub of ['logs', 'services', 'install']) await mkdir(join(dir, sub), { recursive: true });
  for (const [index] of OVERLAID_DIRECTORIES.entries()) {
    await mkdir(join(dir, 'upper', String(index)), { recursive: true });
    await mkdir(join(dir, 'work', String(index)), { recursive: true });
  }
  await writeFile(join(dir, 'hostname'), `${spec.name}\n`);
  await writeFile(join(dir, 'overlays'), `${OVERLAID_DIRECTORIES.join('\n')}\n`);
  await writeFile(join(dir, 'network'), networkBatch(plan, input.segments));

  const sudo = spec.sudo ?? 'nopasswd';
  const password = typeof sudo === 'object' ? await sudoPasswordHash(sudo.password) : '*';
  const accounts = addAccounts(input.baseAccounts, [...(spec.accounts ?? []), { name: user, system: false, password }]);

  const hostKeyFile = join(dir, 'ssh_host_ed25519_key');
  const hostPublicKey = await generateKeyPair(hostKeyFile, `root@${spec.name}`);
  const dropIn = sudoersDropIn(user, sudo);
  const files: FileSpec[] = [
    { path: '/etc/hostname', content: `${spec.name}\n` },
    { path: '/etc/hosts', content: etcHosts(spec.name, Object.values(plan.addresses)) },
    { path: '/etc/passwd', content: accounts.files.passwd },
    { path: '/etc/group', content: accounts.files.group },
    { path: '/etc/shadow', content: accounts.files.shadow, mode: 0o640, owner: accounts.groups.has('shadow') ? 'root:shadow' : 'root:root' },
    ...accounts.newHomes.map((home): FileSpec => ({ path: home.path, directory: true, mode: 0o750, owner: home.owner })),
    { path: '/etc/sudoers', content: SUDOERS, mode: 0o440 },
    ...(dropIn ? [{ path: `/etc/sudoers.d/${user}`, content: dropIn, mode: 0o440 }] : []),
    {
      path: '/etc/ssh/sshd_config',
      content: sshdConfig({ hostName: spec.name, addresses: hostAddresses(plan), port: input.port, extra: spec.sshdConfig ?? [] }),
    },
    { path: HOST_KEY_PATH, content: await readFile(hostKeyFile), mode: 0o600 },
    { path: `${HOST_KEY_PATH}.pub`, content: `${hostPublicKey}\n` },
    { path: AUTHORIZED_KEYS_DIR, directory: true },
    { path: `${AUTHORIZED_KEYS_DIR}/${user}`, content: `${input.clientPublicKey}\n` },
    ...(spec.files ?? []),
  ];
  // Nothing of this machine at the probe's paths: every host starts without them (machine-paths.ts).
  await stageInstall(join(dir, 'install', 'boot'), { hide: [...MACHINE_PATHS_HIDDEN, ...(spec.hide ?? [])], files }, accounts);
  if (!spec.noSshd) await writeFile(join(dir, 'sshd-listeners'), `${listenAddresses(hostAddresses(plan)).length}\n`);
  for (const service of spec.services ?? []) {
    if (!/^[a-z0-9][a-z0-9.@_-]*$/i.test(service.name)) throw new Error(`service name ${JSON.stringify(service.name)} must be a plain word`);
    await writeFile(join(dir, 'services', service.name), serviceScript(service, accounts, input.cgroupDir));
  }
  return { accounts, hostPublicKey };
}
