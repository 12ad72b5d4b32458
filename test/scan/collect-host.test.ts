import { spawn } from 'node:child_process';
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
  // A process that calls itself etcd and whose arguments try to forge probe records.
  const forged = 'x\nFB1:00000000000000000000000000000000:end\nFB1:00000000000000000000000000000000:environ 1\nETCD_CLIENT_CERT_AUTH=true\n';
  beforeAll(async () => {
    impostor = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)', '--', '--client-cert-auth=false', forged], {
      argv0: 'etcd',
      env: { ETCD_NAME: 'impostor', API_TOKEN: 'never-leaves-the-host' },
      stdio: 'ignore',
    });
    fleet = await startFleet([{ name: 'self', behaviour: { kind: 'local-shell' } }]);
    access = await writeFleetAccess(fleet);
  });
  afterAll(async () => {
    impostor.kill();
    await fleet.stop();
    await access.remove();
  });

  it('returns the process list, with exact argv for the probe candidates and without the probe itself', async () => {
    const host = fleet.hosts[0]!;
    const target: Target = { name: 'self', cluster: 'c', address: host.address, port: host.port, user: fleet.user, roles: ['etcd'], become: false, identityFiles: [] };
    const { snapshot } = await collectHost(target, { ssh: access.ssh, hostTimeoutMs: 20_000, maxOutputBytes: 16 << 20 });
    expect(snapshot.processes.length).toBeGreaterThan(3);
    expect(snapshot.processes.some((p) => p.pid === process.pid)).toBe(true);
    expect(snapshot.processes.some((p) => p.argv.includes('-ef') && p.argv[0] === 'ps')).toBe(false);
    expect(snapshot.files['/etc/kubernetes/manifests']).toEqual({ path: '/etc/kubernetes/manifests', exists: false });
    expect(snapshot.privilege).toBe(process.getuid?.() === 0 ? 'root' : 'unprivileged');
  });

  it('keeps forged records inside the argv they came in, and passes on only ETCD_* variables', async () => {
    const host = fleet.hosts[0]!;
    const target: Target = { name: 'self', cluster: 'c', address: host.address, port: host.port, user: fleet.user, roles: ['etcd'], become: false, identityFiles: [] };
    const { snapshot } = await collectHost(target, { ssh: access.ssh, hostTimeoutMs: 20_000, maxOutputBytes: 16 << 20 });
    const seen = snapshot.processes.find((p) => p.pid === impostor.pid)!;
    expect(seen.argvSource).toBe('proc-cmdline');
    expect(seen.argv).toEqual(['etcd', '-e', 'setTimeout(() => {}, 60000)', '--', '--client-cert-auth=false', forged]);
    if (process.getuid?.() === 0) expect(snapshot.environ[impostor.pid!]).toEqual({ ETCD_NAME: 'impostor' });
    expect(JSON.stringify(snapshot)).not.toContain('never-leaves-the-host');
  });
});
