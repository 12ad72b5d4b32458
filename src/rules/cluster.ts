import type { Evidence, HostSnapshot, MemberListResult, Target } from '../model.js';
import type { CertificateIdentity } from './certificates.js';
import { certificateIdentities } from './certificates.js';
import type { ComponentInstance, HostComponents } from '../effective/host-components.js';
import { inDataDir } from '../collect/host-paths.js';
import { hostPath, lookup, memberName } from '../effective/host-components.js';

// How many members an etcd cluster has decides whether the peer controls (2.4-2.6) apply. No
// single source is authoritative on its own: the inventory lists the hosts the user believes are
// members; --initial-cluster lists members only as of bootstrap (a kubeadm member lists itself and
// the ones before it); `etcdctl member list` is the live truth when it could be run. fleetbench
// takes the largest count any source gives, calls a cluster single-member only when every source
// agrees on one, and reports disagreements instead of resolving them silently.

export interface ClusterHost {
  target: Target;
  components?: HostComponents;
  snapshot?: HostSnapshot;
}

/** A kube-apiserver's --client-ca-file: the CA the cluster trusts for clients, which etcd must not share (2.7). */
export interface ClientCa {
  host: string;
  path: string;
  evidence: Evidence;
  /** Certificates in the file, when it was read; otherwise why not. */
  certificates?: CertificateIdentity[];
  unreadable?: string;
}

export interface MembershipIssue {
  host: string;
  message: string;
  evidence: Evidence[];
}

export interface ClusterFacts {
  name: string;
  /** Inventory hosts with the etcd role. */
  inventoryMembers: string[];
  memberCount: number;
  /** One member is established: peer controls are not applicable. */
  singleMember: boolean;
  /** Why memberCount and singleMember are what they are, for reasons and the report. */
  basis: string;
  issues: MembershipIssue[];
  /** Client CAs of every kube-apiserver found in the cluster. */
  apiserverClientCas: ClientCa[];
}

interface Declared {
  name: string;
  urls: string[];
  host: string;
  evidence: Evidence;
}

function parseInitialCluster(value: string): { name: string; url: string }[] {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const eq = entry.indexOf('=');
      return eq < 0 ? { name: '', url: entry } : { name: entry.slice(0, eq), url: entry.slice(eq + 1) };
    });
}

function primary(instance: ComponentInstance) {
  return instance.running ?? instance.onDisk;
}

export function clusterFacts(name: string, hosts: ClusterHost[]): ClusterFacts {
  const inventoryMembers = hosts.filter((h) => h.target.roles.includes('etcd')).map((h) => h.target.name);
  const declared: Declared[] = [];
  const ownNames = new Map<string, string>();
  const unknownLists: string[] = [];
  const liveLists: { host: string; members: MemberListResult['members'] }[] = [];

  for (const host of hosts) {
    const config = host.components?.etcd.map(primary).find((c) => c !== undefined);
    if (!config) continue;
    ownNames.set(memberName(config), host.target.name);
    const initial = lookup(config, 'initial-cluster');
    if (initial.state === 'set') {
      for (const entry of parseInitialCluster(initial.setting.value)) {
        const existing = declared.find((d) => d.name === entry.name);
        if (existing) {
          if (!existing.urls.includes(entry.url)) existing.urls.push(entry.url);
        } else {
          declared.push({ name: entry.name, urls: [entry.url], host: host.target.name, evidence: initial.setting.evidence });
        }
      }
    } else if (initial.state === 'unknown') {
      unknownLists.push(host.target.name);
    }
    if (host.snapshot?.memberList?.ok) liveLists.push({ host: host.target.name, members: host.snapshot.memberList.members });
  }

  const matchesInventory = (memberName: string, urls: string[]): boolean => {
    if (ownNames.has(memberName)) return true;
    return hosts.some((h) => {
      const t = h.target;
      const short = t.name.split('.')[0];
      return memberName === t.name || memberName === short || urls.some((url) => urlHost(url) === t.address || urlHost(url) === t.name);
    });
  };

  const issues: MembershipIssue[] = [];
  for (const member of declared) {
    if (!matchesInventory(member.name, member.urls)) {
      issues.push({
        host: member.host,
        message: `initial-cluster on ${member.host} names member "${member.name}" (${member.urls.join(', ')}), which is not a host of cluster ${name} in the inventory`,
        evidence: [member.evidence],
      });
    }
  }
  const live = liveLists[0];
  if (live) {
    for (const member of live.members) {
      if (!matchesInventory(member.name, member.peerUrls)) {
        issues.push({
          host: live.host,
          message: `etcdctl member list on ${live.host} shows member "${member.name}" (${member.peerUrls.join(', ')}), which is not a host of cluster ${name} in the inventory`,
          evidence: [{ source: `etcdctl member list on ${live.host}`, key: member.name, value: member.peerUrls.join(',') }],
        });
      }
    }
    const liveNames = new Set(live.members.map((m) => m.name));
    for (const [memberName, host] of ownNames) {
      if (!liveNames.has(memberName)) {
        issues.push({
          host: live.host,
          message: `${host} runs etcd member "${memberName}", which etcdctl member list on ${live.host} does not show`,
          evidence: [{ source: `etcdctl member list on ${live.host}`, key: 'members', value: [...liveNames].join(',') }],
        });
      }
    }
  }

  const counts = [
    { count: inventoryMembers.length, says: `${plural(inventoryMembers.length, 'etcd host')} in the inventory` },
    {
      count: declared.length,
      says: `initial-cluster lists ${plural(declared.length, 'member')}${declared.length ? ` (${declared.map((d) => d.name).join(', ')})` : ''}`,
    },
  ];
  if (live) counts.push({ count: live.members.length, says: `etcdctl member list shows ${plural(live.members.length, 'member')}` });
  const relevant = counts.filter((c, i) => i === 0 || c.count > 0);
  const memberCount = Math.max(...relevant.map((c) => c.count));
  const singleMember = memberCount <= 1 && unknownLists.length === 0;
  // Without the live member list, a member added since bootstrap would not show: say so.
  const listErrors = hosts.flatMap((h) =>
    h.snapshot?.memberList && !h.snapshot.memberList.ok ? [`${h.target.name}: ${h.snapshot.memberList.error ?? 'failed'}`] : [],
  );
  const basis =
    relevant.map((c) => c.says).join('; ') +
    (unknownLists.length ? `; initial-cluster could not be read on ${unknownLists.join(', ')}` : '') +
    (live ? '' : `; no live member list${listErrors.length ? ` (${listErrors.join('; ')})` : ''}, so a member added since bootstrap would not show`);
  return { name, inventoryMembers, memberCount, singleMember, basis, issues, apiserverClientCas: clientCas(hosts) };
}

function clientCas(hosts: ClusterHost[]): ClientCa[] {
  const cas: ClientCa[] = [];
  for (const host of hosts) {
    const snapshot = host.snapshot;
    if (!snapshot) continue;
    const add = (path: string, evidence: Evidence) => {
      const file = snapshot.files[path];
      const ca: ClientCa = { host: host.target.name, path, evidence };
      if (file?.content !== undefined) ca.certificates = certificateIdentities(file.content);
      else ca.unreadable = !file ? 'not collected' : !file.exists ? 'does not exist' : (file.unreadable ?? 'not read');
      cas.push(ca);
    };
    for (const instance of host.components?.apiserver ?? []) {
      const config = primary(instance);
      const found = config && lookup(config, 'client-ca-file');
      if (found?.state === 'set') add(hostPath(found.setting.value, instance), found.setting.evidence);
    }
    // The --client-ca-file k3s gives the kube-apiserver it embeds, in its data directory.
    for (const server of host.components?.rancher ?? []) {
      if (server.program !== 'k3s' || !('path' in server.dataDir)) continue;
      const path = inDataDir(server.dataDir.path, 'clientCa');
      add(path, { source: `kube-apiserver embedded in k3s (pid ${server.pid})`, key: '--client-ca-file', value: path });
    }
  }
  return cas;
}

function urlHost(url: string): string | undefined {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
