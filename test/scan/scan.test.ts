import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../src/demo/fixtures.js';
import type { FleetMember } from '../../src/demo/fleet-file.js';
import { loadKeys } from '../../src/ssh/keys.js';
import { loadKnownHosts } from '../../src/ssh/known-hosts.js';
import { oddHost, scanMembers } from '../support/fleet.js';

async function fixtureHost(name: string, fixture: string, cluster = name, extra: Partial<FleetMember> = {}): Promise<FleetMember> {
  const loaded = await loadFixture(fixture);
  return {
    cluster,
    name,
    roles: ['etcd', 'control-plane'],
    become: true,
    spec: { name, behaviour: { kind: 'fixture', fixture: loaded } },
    fixture: loaded,
    ...extra,
  };
}

const status = (run: Awaited<ReturnType<typeof scanMembers>>, host: string, rule: string) =>
  run.result.findings.find((f) => f.host === host && f.ruleId === rule)?.status;

describe('scan over the in-process SSH fleet', () => {
  it('refuses a host whose key does not match known_hosts, and still scans the others', async () => {
    const good = await fixtureHost('good', 'kubeadm-single');
    const impostor = await fixtureHost('impostor', 'kubeadm-single');
    impostor.spec.wrongHostKey = true;
    const run = await scanMembers([good, impostor]);
    const bad = run.result.hosts.find((h) => h.name === 'impostor')!;
    expect(bad.reached).toBe(false);
    expect(bad.errorKind).toBe('host-key');
    expect(bad.error).toMatch(
      /^HOST KEY CHANGED: \[127\.0\.0\.1\]:\d+ offered ssh-ed25519 key SHA256:\S+, but .*known_hosts:\d+ records a different ssh-ed25519 key/,
    );
    expect(run.result.findings.filter((f) => f.host === 'impostor').every((f) => f.status === 'ERROR')).toBe(true);
    expect(run.result.hosts.find((h) => h.name === 'good')!.reached).toBe(true);
    expect(status(run, 'good', 'etcd-client-cert-auth')).toBe('PASS');
  });

  it('refuses a host that is not in known_hosts at all unless new keys are accepted explicitly', async () => {
    const host = await fixtureHost('stranger', 'kubeadm-single');
    const strict = await scanMembers([host], {
      ssh: (access) => ({ ...access.ssh, hostKeys: () => ({ mode: 'strict', knownHosts: { ...emptyKnownHosts }, files: ['/nonexistent'] }) }),
    });
    expect(strict.result.hosts[0]!.errorKind).toBe('host-key');
    expect(strict.result.hosts[0]!.error).toMatch(/is not in known_hosts .*--accept-new-host-keys/);
  });

  it('turns a refused port, a silent server and a hung probe into ERROR rows within their timeouts', async () => {
    const members = [
      await fixtureHost('ok', 'kubeadm-single'),
      oddHost('refused', { kind: 'refused' }),
      oddHost('silent', { kind: 'silent' }),
      oddHost('hung', { kind: 'hang' }),
      oddHost('flood', { kind: 'flood' }),
    ];
    const started = Date.now();
    const run = await scanMembers(members, {
      hostTimeoutMs: 3000,
      maxOutputBytes: 1 << 20,
      ssh: (access) => ({ ...access.ssh, connectTimeoutMs: 1000 }),
    });
    const host = (name: string) => run.result.hosts.find((h) => h.name === name)!;
    expect(host('ok').reached).toBe(true);
    expect(host('refused')).toMatchObject({ reached: false, errorKind: 'refused' });
    expect(host('silent')).toMatchObject({ reached: false, errorKind: 'timeout' });
    expect(host('silent').error).toMatch(
      /^no result within 3s \(stopped while connecting\); (the attempt|each of \d attempts) before: 127\.0\.0\.1:\d+ accepted the connection but did not complete the SSH handshake in time$/,
    );
    expect(host('silent').durationMs).toBeLessThan(3500);
    expect(host('hung')).toMatchObject({ reached: false, errorKind: 'timeout' });
    expect(host('hung').error).toMatch(/no result within 3s \(stopped while running the probe\)/);
    expect(host('hung').durationMs).toBeLessThan(4500);
    expect(host('flood')).toMatchObject({ reached: false, errorKind: 'output-too-large' });
    expect(Date.now() - started).toBeLessThan(8000);
  });

  it('evaluates peer controls when the inventory lists several etcd hosts, even if only one answered', async () => {
    const members = [
      await fixtureHost('lone', 'kubeadm-single', 'three'),
      { ...oddHost('down-1', { kind: 'refused' }), cluster: 'three' },
      { ...oddHost('down-2', { kind: 'refused' }), cluster: 'three' },
    ];
    const run = await scanMembers(members);
    expect(status(run, 'lone', 'etcd-peer-client-cert-auth')).toBe('PASS');
    expect(run.result.clusters[0]).toMatchObject({ name: 'three', memberCount: 3 });
  });

  it('marks peer controls not applicable on a one-member cluster, with the reason', async () => {
    const run = await scanMembers([await fixtureHost('solo', 'kubeadm-single')]);
    const finding = run.result.findings.find((f) => f.host === 'solo' && f.ruleId === 'etcd-peer-cert-file')!;
    expect(finding.status).toBe('NOT_APPLICABLE');
    expect(finding.reason).toMatch(
      /applies only to etcd clusters of more than one member; cluster solo has one \(1 etcd host in the inventory; initial-cluster lists 1 member \(lab-cp1\); no live member list \(solo: etcd's --cert-file \/etc\/kubernetes\/pki\/etcd\/server\.crt does not exist: the member list was not asked\), so a member added since bootstrap would not show\)/,
    );
  });

  it('reports an initial-cluster that names members the inventory does not have, and evaluates the peer controls', async () => {
    const run = await scanMembers([await fixtureHost('east-cp3', 'kubeadm-stacked-3of3', 'partial')]);
    const warnings = run.result.findings.filter((f) => f.ruleId === 'etcd-cluster-membership');
    expect(warnings.map((w) => w.status)).toEqual(['WARN']);
    expect(warnings[0]!.reason).toMatch(/names member "east-cp1" \(https:\/\/10\.20\.0\.11:2380\), which is not a host of cluster partial/);
    expect(warnings[0]!.reason).toMatch(/names member "east-cp2" \(https:\/\/10\.20\.0\.12:2380\), which is not a host of cluster partial/);
    expect(warnings[0]!.evidence).toHaveLength(2);
    expect(status(run, 'east-cp3', 'etcd-peer-cert-file')).toBe('PASS');
  });

  it('says what an unprivileged run could not read when sudo wants a password', async () => {
    const member = await fixtureHost('nosudo', 'kubespray-stage-2');
    member.fixture!.sudo = 'password';
    const run = await scanMembers([member]);
    const host = run.result.hosts[0]!;
    expect(host).toMatchObject({ reached: true, privilege: 'unprivileged' });
    expect(host.problems[0]!.reason).toBe(
      'sudo refused (sudo: a password is required): allow audit to run sudo without a password (NOPASSWD), or give the password with FLEETBENCH_SUDO_PASSWORD or -K (--ask-become-pass); collected only what audit can read without it',
    );
    const finding = run.result.findings.find((f) => f.ruleId === 'etcd-client-cert-auth')!;
    expect(finding.status).toBe('ERROR');
    expect(finding.reason).toMatch(
      /^cannot tell whether --client-cert-auth is set: the ETCD_\* environment of pid 812 could not be read \(reading it needs root: scan with --become, or set become in the inventory\); \/etc\/systemd\/system\/etcd.service depends on files that could not be read: \/etc\/etcd.env \(not readable by audit\)$/,
    );
  });

  it('runs the probe without sudo after sudo refused the user, in the same connection, and says what sudo said', async () => {
    const member = await fixtureHost('nosudoers', 'kubeadm-single');
    member.fixture!.sudo = 'none';
    const run = await scanMembers([member]);
    const host = run.result.hosts[0]!;
    expect(host).toMatchObject({ reached: true, privilege: 'unprivileged', attempts: 1 });
    expect(host.problems.map((p) => p.reason)).toContain(
      'sudo refused (audit is not in the sudoers file.  This incident will be reported.): audit may not use sudo on this host; grant it in sudoers or scan as a user who may; collected only what audit can read without it',
    );
  });

  it('does not ask sudo when it logs in as root', async () => {
    // The demo's sudo would let root through (privilege "sudo"); without it the probe says "root".
    const member = await fixtureHost('rootlogin', 'kubeadm-single');
    member.fixture!.sudo = 'none';
    const run = await scanMembers([member], { loginUser: 'root' });
    expect(run.result.hosts[0]).toMatchObject({ reached: true, privilege: 'root', problems: [] });
    expect(status(run, 'rootlogin', 'etcd-client-cert-auth')).toBe('PASS');
  });
});

const emptyKnownHosts = await loadKnownHosts([]);

describe('authentication and benchmark versions', () => {
  it('authenticates through ssh-agent when no identity file is given', async () => {
    const { spawn, execFileSync } = await import('node:child_process');
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'fleetbench-agent-'));
    const socket = join(dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 50 && !(await import('node:fs')).existsSync(socket); i++) await new Promise((r) => setTimeout(r, 20));
      const noKeys = await loadKeys([]);
      const run = await scanMembers([await fixtureHost('via-agent', 'kubeadm-single')], {
        ssh: (access) => {
          execFileSync('ssh-add', [access.keyFile], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
          // No key file is usable: only the agent can authenticate.
          return { ...access.ssh, keys: noKeys, agent: socket, defaultIdentityFiles: [] };
        },
      });
      expect(run.result.hosts[0]).toMatchObject({ reached: true });
    } finally {
      agent.kill();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('applies the permission threshold of the chosen benchmark: 644 passes 1.1.7 in CIS 1.5, not in 1.12', async () => {
    const host = await fixtureHost('loose', 'loose-permissions');
    const old = await scanMembers([host], { benchmark: '1.5' });
    const current = await scanMembers([host], { benchmark: '1.12' });
    const perms = (run: typeof old) => run.result.findings.find((f) => f.ruleId === 'etcd-manifest-perms')!;
    expect(perms(old)).toMatchObject({ control: '1.1.7', status: 'PASS', expected: 'mode 0644 or stricter' });
    expect(perms(current)).toMatchObject({ control: '1.1.7', status: 'FAIL', expected: 'mode 0600 or stricter', actual: 'mode 0644' });
  });
});

describe('sudo with a password', () => {
  it('runs the probe as root when the right password is given, and never shows it', async () => {
    const member = await fixtureHost('pw', 'kubespray-stage-2');
    member.fixture!.sudo = 'password';
    member.fixture!.sudoPassword = 'correct horse';
    const run = await scanMembers([member], { sudoPassword: 'correct horse' });
    expect(run.result.hosts[0]).toMatchObject({ reached: true, privilege: 'sudo', problems: [] });
    expect(run.result.findings.find((f) => f.ruleId === 'etcd-client-cert-auth')!.status).toBe('PASS');
    expect(JSON.stringify([run.result, run.events])).not.toContain('correct horse');
  });

  it('says so when the password is wrong, and keeps what it could read', async () => {
    const member = await fixtureHost('badpw', 'kubespray-stage-2');
    member.fixture!.sudo = 'password';
    member.fixture!.sudoPassword = 'correct horse';
    const run = await scanMembers([member], { sudoPassword: 'battery staple' });
    expect(run.result.hosts[0]).toMatchObject({ reached: true, privilege: 'unprivileged' });
    expect(run.result.hosts[0]!.problems[0]!.reason).toMatch(/^sudo refused \(sudo: 3 incorrect password attempts\): the sudo password given was not accepted/);
    expect(JSON.stringify([run.result, run.events])).not.toContain('battery staple');
  });
});

describe('retries', () => {
  it('retries connections dropped before the handshake and reports how many it took', async () => {
    const host = await fixtureHost('crowded', 'kubeadm-single');
    host.spec.dropFirst = 2;
    const run = await scanMembers([host], { retry: { attempts: 4, baseDelayMs: 20 } });
    expect(run.result.hosts[0]).toMatchObject({ reached: true, attempts: 3 });
  });

  it('gives up after the last attempt and says so', async () => {
    const host = await fixtureHost('overloaded', 'kubeadm-single');
    host.spec.dropFirst = 10;
    const run = await scanMembers([host], { retry: { attempts: 3, baseDelayMs: 20 } });
    expect(run.result.hosts[0]).toMatchObject({ reached: false, errorKind: 'connection' });
    expect(run.result.hosts[0]!.error).toMatch(/\(after 3 attempts\)$/);
  });

  it('never retries a failed authentication', async () => {
    const host = await fixtureHost('wrong-user', 'kubeadm-single');
    host.spec.dropFirst = 0;
    const run = await scanMembers([host], {
      retry: { attempts: 4, baseDelayMs: 20 },
      ssh: (access) => ({ ...access.ssh, keys: { get: (path: string) => ({ path, reason: 'test: no key' }) } }),
    });
    expect(run.result.hosts[0]).toMatchObject({ reached: false, errorKind: 'auth' });
    expect(run.result.hosts[0]!.error).not.toMatch(/attempts/);
  });
});
