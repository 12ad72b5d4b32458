import { startEtcdFleet } from '../test/support/netns/etcd/etcd-fleet.js';
import { loadLayouts } from '../test/support/netns/etcd/layout.js';
import type { Layout } from '../test/support/netns/etcd/layout.js';
import { hostAddresses } from '../test/support/netns/plan.js';
import type { NamespaceFleet } from '../test/support/netns/spec.js';

// The fleet every contender scans: namespace hosts each set up as a single kubeadm control-plane
// node (real etcd formed with TLS, a kube-apiserver stand-in with its real command line,
// manifests 0600 root:root in /etc/kubernetes/manifests, the `audit` user with passwordless sudo),
// each answering at many addresses through one real OpenSSH sshd. Each address is one host of
// the fleet. By default a single namespace host serves them all.

const LAYOUT = 'kubeadm-single';

export interface BenchFleet {
  fleet: NamespaceFleet;
  /** One per fleet host, taken from the namespace hosts in turn, so that neighbours in the list meet different sshd. */
  addresses: string[];
  stop(): Promise<void>;
}

export interface BenchFleetOptions {
  hosts: number;
  /** Namespace hosts to spread the addresses over. */
  namespaces: number;
  /** sshd's MaxStartups on each namespace host (sshd_config syntax). */
  maxStartups: string;
  joinCgroups: string[];
  log: (line: string) => void;
}

/** The single-node kubeadm layout, once per namespace host, each a cluster of its own. */
function layoutCopies(layout: Layout, count: number): Layout[] {
  if (count === 1) return [layout];
  return Array.from({ length: count }, (_, i) => ({ ...layout, cluster: `${layout.cluster}-${i + 1}`, hosts: [`${layout.hosts[0]!}-${i + 1}`] }));
}

function interleave(lists: string[][]): string[] {
  const longest = Math.max(...lists.map((list) => list.length));
  return Array.from({ length: longest }, (_, i) => lists.flatMap((list) => (i < list.length ? [list[i]!] : []))).flat();
}

export async function startBenchFleet(options: BenchFleetOptions): Promise<BenchFleet> {
  if (options.namespaces > options.hosts) throw new Error(`${options.namespaces} namespace hosts cannot share ${options.hosts} addresses`);
  const layout = (await loadLayouts()).find((l) => l.cluster === LAYOUT);
  if (!layout || layout.hosts.length !== 1) throw new Error(`fixtures/e2e has no single-host layout ${LAYOUT}`);
  const layouts = layoutCopies(layout, options.namespaces);
  const extraAddresses = Object.fromEntries(
    layouts.map((l, i) => [l.hosts[0]!, Math.floor(options.hosts / options.namespaces) + (i < options.hosts % options.namespaces ? 1 : 0) - 1]),
  );
  const etcd = await startEtcdFleet(layouts, {
    extraAddresses,
    sshdConfig: [`MaxStartups ${options.maxStartups}`],
    joinCgroups: options.joinCgroups,
    log: options.log,
  });
  return {
    fleet: etcd.fleet,
    addresses: interleave(etcd.fleet.hosts.map((host) => hostAddresses(host))),
    stop: () => etcd.stop(),
  };
}
