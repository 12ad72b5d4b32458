import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Target } from '../../src/model.js';
import { writeFleetAccess } from '../../src/demo/fleet-access.js';
import type { FleetAccess } from '../../src/demo/fleet-access.js';
import { startFleet } from '../../src/demo/ssh-fleet.js';
import type { RunningFleet } from '../../src/demo/ssh-fleet.js';
import { collectHost } from '../../src/scan/collect-host.js';

// The real probe script over a real SSH connection, run by /bin/sh on this machine.
describe('collectHost against a host that runs the real probe', () => {
  let fleet: RunningFleet;
  let access: FleetAccess;
  let impostor: ChildProcess;
  let client: ChildProcess;
  // A process that calls itself etcd and whose arguments try to forge probe records.
  const forged = 'x\nFB1:00000000000000000000000000000000:end\nFB1:00000000000000000000000000000000:environ 1\nETCD_CLIENT_CERT_AUTH=true\n';
  let files: string;
  beforeAll(async () => {
    files = await mkdtemp(join(tmpdir(), 'fleetbench-probe-'));
    await writeFile(join(files, 'ca.crt'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    await writeFile(join(files, 'bundle.pem'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n-----BEGIN EC PRIVATE KEY-----\nsecret\n-----END EC PRIVATE KEY-----\n');
    await mkdir(join(files, 'data'), { mode: 0o700 });
    impostor = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', '--', '--client-cert-auth=false', forged,
      `--trusted-ca-file=${join(files, 'ca.crt')}`, '--cert-file', join(files, 'bundle.pem'), `--data-dir=${join(files, 'data')}`], {
      argv0: 'etcd',
      env: { ETCD_NAME: 'impostor', API_TOKEN: 'never-leaves-the-host' },
      stdio: 'ignore',
    });
    // An etcd client: the probe leaves it to ps (another scan's member list is one).
    client = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', '--', '--endpoints=https://127.0.0.1:2379', 'member', 'list'], {
      argv0: 'etcdctl',
      stdio: 'ignore',
    });
    fleet = await startFleet([{ name: 'self', behaviour: { kind: 'local-shell' } }]);
    access = await writeFleetAccess(fleet);
  });
  afterAll(async () => {
    impostor.kill();
    client.kill();
    await rm(files, { recursive: true, force: true });
    await fleet.stop();
    await access.remove();
  });

  it('returns the process list, with exact argv for the probe candidates and without the probe itself', async () => {
    const host = fleet.hosts[0]!;
    const target: Target = { name: 'self', cluster: 'c', address: host.address, port: host.port, user: fleet.user, roles: ['etcd'], become: false, identityFiles: [] };
    const { snapshot } = await collectHost(target, { ssh: access.ssh, hostTimeoutMs: 20_000, maxOutputBytes: 16 << 20, claimMemberList: () => false });
    expect(snapshot.memberList).toBeUndefined();
    expect(snapshot.processes.length).toBeGreaterThan(3);
    expect(snapshot.processes.some((p) => p.pid === process.pid)).toBe(true);
    expect(snapshot.processes.some((p) => p.argv.includes('-ef') && p.argv[0] === 'ps')).toBe(false);
    expect(snapshot.files['/etc/kubernetes/manifests']).toEqual({ path: '/etc/kubernetes/manifests', exists: false });
    expect(snapshot.privilege).toBe(process.getuid?.() === 0 ? 'root' : 'unprivileged');
  });

  it('keeps forged records inside the argv they came in, and passes on only ETCD_* variables', async () => {
    const host = fleet.hosts[0]!;
    const target: Target = { name: 'self', cluster: 'c', address: host.address, port: host.port, user: fleet.user, roles: ['etcd'], become: false, identityFiles: [] };
    const { snapshot } = await collectHost(target, { ssh: access.ssh, hostTimeoutMs: 20_000, maxOutputBytes: 16 << 20, claimMemberList: () => false });
    const seen = snapshot.processes.find((p) => p.pid === impostor.pid)!;
    expect(seen.argvSource).toBe('proc-cmdline');
    const etcdctl = snapshot.processes.find((p) => p.pid === client.pid);
    expect([etcdctl?.argvSource, etcdctl?.argv[0], etcdctl?.argv.at(-1)]).toEqual(['ps', 'etcdctl', 'list']);
    expect(seen.argv.slice(0, 6)).toEqual(['etcd', '-e', 'setTimeout(() => {}, 60000)', '--', '--client-cert-auth=false', forged]);
    if (process.getuid?.() === 0) expect(snapshot.environ[impostor.pid!]).toEqual({ ETCD_NAME: 'impostor' });
    expect(JSON.stringify(snapshot)).not.toContain('never-leaves-the-host');
  });

  it('follows the files a root process names: reads certificates, never a file with a private key, stats data dirs', async () => {
    if (process.getuid?.() !== 0) return;
    const host = fleet.hosts[0]!;
    const target: Target = { name: 'self', cluster: 'c', address: host.address, port: host.port, user: fleet.user, roles: ['etcd'], become: false, identityFiles: [] };
    const { snapshot } = await collectHost(target, { ssh: access.ssh, hostTimeoutMs: 20_000, maxOutputBytes: 16 << 20 });
    expect(snapshot.files[join(files, 'ca.crt')]).toMatchObject({ exists: true, type: 'file', content: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' });
    expect(snapshot.files[join(files, 'bundle.pem')]).toMatchObject({ exists: true, unreadable: 'contains a private key; not read' });
    expect(snapshot.files[join(files, 'bundle.pem')]!.content).toBeUndefined();
    expect(snapshot.files[join(files, 'data')]).toMatchObject({ exists: true, type: 'directory', mode: 0o700 });
    expect(JSON.stringify(snapshot)).not.toContain('secret');
    // As root the probe's own shell then ran etcdctl against the impostor's (absent) client URL and
    // framed its failure: the follow-up ran and was read, not lost or taken for probe output.
    expect(snapshot.memberList?.ok).toBe(false);
    expect(snapshot.memberList?.error).toMatch(/deadline exceeded|etcdctl is not installed on this host/);
  });
});
