import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CleanupStack } from '../cleanup-stack.js';
import { startNamespaceFleet } from '../fleet.js';
import { planFleet } from '../plan.js';
import type { HostSpec, NamespaceFleet } from '../spec.js';
import { bootstrapCluster } from './bootstrap.js';
import { Etcdctl } from './etcdctl.js';
import type { Member } from './etcdctl.js';
import { writeInventory } from './inventory.js';
import type { Layout } from './layout.js';
import { layoutHosts } from './layout-hosts.js';
import type { LayoutHost } from './layout-hosts.js';
import { buildPauseProgram } from './pause-program.js';
import { Pki } from './pki.js';

// A namespace fleet running the etcd layouts of fixtures/e2e: real etcd clusters that formed with
// peer TLS, kube-apiserver stand-ins, drift applied, and an inventory to scan it with.

export const ETCD_COMMANDS = ['etcd', 'etcdctl', 'cc'];

export interface EtcdFleetHost extends LayoutHost {
  address: string;
  /** pid of each service as the host itself sees it (its own PID namespace). */
  pids: Record<string, number>;
}

export interface EtcdFleet {
  fleet: NamespaceFleet;
  layouts: Layout[];
  hosts: EtcdFleetHost[];
  /** `etcdctl member list` of each cluster once it formed. */
  members: Record<string, Member[]>;
  /** The certificate of each cluster's etcd CA, on this machine (for clients run in the fabric). */
  etcdCa: Record<string, string>;
  inventoryFile: string;
  stop(): Promise<void>;
}

export interface EtcdFleetOptions {
  log?: (line: string) => void;
  /** More addresses for some hosts, by host name (HostRequest.extraAddresses). */
  extraAddresses?: Record<string, number>;
  /** sshd_config lines for every host (HostSpec.sshdConfig). */
  sshdConfig?: string[];
  joinCgroups?: string[];
  /** Adds to each host's spec (accounts, services, files of its own), e.g. an ordinary user who attacks the probe. */
  extendHost?: (spec: HostSpec) => HostSpec;
}

export async function startEtcdFleet(layouts: Layout[], options: EtcdFleetOptions = {}): Promise<EtcdFleet> {
  const log = options.log ?? (() => undefined);
  const cleanup = new CleanupStack();
  try {
    // Named like the fleet's own directory, so that a crashed run's leftovers are swept the same way.
    const work = await mkdtemp(join(tmpdir(), `fleetbench-netns-${process.pid}-`));
    cleanup.defer(`remove ${work}`, () => rm(work, { recursive: true, force: true }));
    const plan = planFleet(layouts.flatMap((layout) => layout.hosts.map((name) => ({ name, extraAddresses: options.extraAddresses?.[name] ?? 0 }))));
    const pki = await Pki.create(join(work, 'pki'));
    const pause = await buildPauseProgram(work);
    const byCluster = new Map(await Promise.all(layouts.map(async (layout) => [layout.cluster, await layoutHosts(layout, plan, pki, pause)] as const)));
    const layoutHostList = [...byCluster.values()].flat();
    log(`certificates and files ready for ${layoutHostList.length} hosts`);

    const extend = options.extendHost ?? ((spec: HostSpec) => spec);
    const fleet = await startNamespaceFleet(
      plan,
      layoutHostList.map((h) => extend({ ...h.spec, sshdConfig: options.sshdConfig ?? [] })),
      { log, joinCgroups: options.joinCgroups ?? [] },
    );
    cleanup.defer('stop the namespace fleet', () => fleet.stop());

    const members: Record<string, Member[]> = {};
    const etcdCa: Record<string, string> = {};
    const pids = new Map<string, Record<string, number>>();
    // Settle every cluster before failing, so that none is still starting services during cleanup.
    const outcomes = await Promise.allSettled(
      layouts.map(async (layout) => {
        const hosts = byCluster.get(layout.cluster)!;
        const authority = await pki.authority(layout.cluster, layout.etcdAuthority);
        etcdCa[layout.cluster] = authority.cert;
        const client = await pki.leaf(authority, { profile: 'client', commonName: 'fleetbench-harness', hostName: 'harness', ip: '127.0.0.1' });
        const formed = await bootstrapCluster(fleet, hosts, new Etcdctl(fleet, authority.cert, client));
        members[layout.cluster] = formed.members;
        log(`etcd cluster ${layout.cluster}: ${formed.members.map((m) => m.name).join(', ')}`);
        for (const host of hosts) {
          const hostPids: Record<string, number> = { etcd: formed.pids.get(host.name)! };
          for (const service of layout.services.slice(1)) hostPids[service.name] = await fleet.host(host.name).startService(service.name);
          if (host.driftFiles.length > 0) await fleet.host(host.name).install(host.driftFiles);
          pids.set(host.name, hostPids);
        }
      }),
    );
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;

    const inventoryFile = join(fleet.dir, 'inventory.yaml');
    await writeInventory(inventoryFile, fleet, layouts);
    return {
      fleet,
      layouts,
      hosts: layoutHostList.map((h) => ({ ...h, address: fleet.host(h.name).address, pids: pids.get(h.name)! })),
      members,
      etcdCa,
      inventoryFile,
      stop: () => cleanup.runAll(),
    };
  } catch (error) {
    await cleanup.runAll().catch((cleanupError: unknown) => log(String(cleanupError)));
    throw error;
  }
}
