import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InventoryError } from '../../src/inventory/errors.js';
import { loadInventory } from '../../src/inventory/load.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fleetbench-inventory-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<InventoryError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(InventoryError);
  return error as InventoryError;
}

describe('loadInventory', () => {
  it("reads a file, with the path as source and identity paths relative to the file's folder", async () => {
    const path = join(dir, 'fleet.yaml');
    await writeFile(path, 'defaults:\n  user: ops\n  identityFile: keys/dc1\nclusters:\n  lab:\n    hosts: [lab1]\n');
    const inventory = await loadInventory(path);
    expect(inventory).toEqual({
      source: path,
      targets: [
        {
          name: 'lab1',
          cluster: 'lab',
          address: 'lab1',
          port: 22,
          user: 'ops',
          roles: ['etcd', 'control-plane'],
          become: false,
          identityFiles: [join(dir, 'keys/dc1')],
        },
      ],
    });
  });

  it('reports a missing file as an InventoryError at line 0 with the OS reason', async () => {
    const path = join(dir, 'missing.yaml');
    const error = await rejection(loadInventory(path));
    expect(error.issues).toEqual([
      { file: path, line: 0, column: 0, message: `cannot read the inventory: ENOENT: no such file or directory, open '${path}'` },
    ]);
    expect(error.message).toBe(`${path}:0:0: cannot read the inventory: ENOENT: no such file or directory, open '${path}'`);
  });

  it('reports a directory given as the inventory', async () => {
    const error = await rejection(loadInventory(dir));
    expect(error.issues).toEqual([
      { file: dir, line: 0, column: 0, message: 'cannot read the inventory: EISDIR: illegal operation on a directory, read' },
    ]);
  });

  it('passes parse errors through with the path as given', async () => {
    const path = join(dir, 'bad.yaml');
    await writeFile(path, 'clusters:\n  lab:\n    hosts: [lab1]\n    jump: bastion\n');
    const error = await rejection(loadInventory(path));
    expect(error.message).toBe(`${path}:4:5: unknown key "jump" in cluster "lab"; allowed keys: defaults, hosts`);
  });

  it('loads the shipped example: three clusters, external etcd, a single-member lab', async () => {
    const example = fileURLToPath(new URL('../../inventory/example.yaml', import.meta.url));
    const inventory = await loadInventory(example);
    const home = homedir();
    const keys = join(dirname(example), 'keys');
    expect(inventory.source).toBe(example);
    expect(
      inventory.targets.map(
        (t) =>
          `${t.cluster} ${t.name} ${t.user}@${t.address}:${t.port} [${t.roles.join(',')}] become=${t.become} keys=${t.identityFiles.join(',')}`,
      ),
    ).toEqual([
      `prod-dc1 cp1.dc1.example.com ops@10.0.1.11:22 [etcd,control-plane] become=true keys=${home}/.ssh/fleet_ed25519`,
      `prod-dc1 cp2.dc1.example.com ops@10.0.1.12:22 [etcd,control-plane] become=true keys=${home}/.ssh/fleet_ed25519`,
      `prod-dc1 cp3.dc1.example.com ops@10.0.1.13:22 [etcd,control-plane] become=true keys=${home}/.ssh/fleet_ed25519`,
      `prod-dc2 etcd-a.dc2.example.com audit@etcd-a.dc2.example.com:2222 [etcd] become=true keys=${home}/.ssh/fleet_ed25519,${keys}/dc2_ed25519`,
      `prod-dc2 etcd-b.dc2.example.com audit@etcd-b.dc2.example.com:2222 [etcd] become=true keys=${home}/.ssh/fleet_ed25519,${keys}/dc2_ed25519`,
      `prod-dc2 etcd-c.dc2.example.com audit@etcd-c.dc2.example.com:2222 [etcd] become=true keys=${home}/.ssh/fleet_ed25519,${keys}/dc2_ed25519`,
      `prod-dc2 apiserver01.dc2.example.com audit@10.0.2.21:2222 [control-plane] become=true keys=${home}/.ssh/fleet_ed25519,${keys}/dc2_ed25519`,
      `prod-dc2 apiserver02.dc2.example.com audit@10.0.2.22:2222 [control-plane] become=true keys=${home}/.ssh/fleet_ed25519,${keys}/dc2_ed25519`,
      `prod-dc2 etcd-backup.dc2.example.com root@fd00:10:2::30:2222 [etcd] become=false keys=${keys}/dc2-backup`,
      `lab lab-master.example.com audit@lab-master.example.com:22 [etcd,control-plane] become=true keys=${home}/.ssh/fleet_ed25519`,
    ]);
  });
});
