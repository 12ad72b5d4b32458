import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NamespaceFleet } from '../spec.js';
import type { Etcdctl, Member } from './etcdctl.js';
import type { LayoutHost } from './layout-hosts.js';

// Brings up one cluster's etcd members the way its tool does, and waits until the cluster has
// really formed (every member started, with peer TLS) before anything else starts:
// - join (kubeadm): the first member alone; then for each next one, `etcdctl member add` on the
//   first and start it with the members so far and initial-cluster-state=existing;
// - together (kubespray): every member at once, each listing all of them.

const FORM_TIMEOUT_MS = 30_000;
const POLL_MS = 200;

const clientUrl = (host: LayoutHost) => `https://${host.context.ip}:2379`;
const peerUrl = (host: LayoutHost) => `https://${host.context.ip}:2380`;

async function logTail(fleet: NamespaceFleet, host: LayoutHost): Promise<string> {
  try {
    const log = await readFile(join(fleet.host(host.name).logDir, 'etcd.log'), 'utf8');
    return log.trim().split('\n').slice(-8).join('\n');
  } catch {
    return '(no etcd log)';
  }
}

async function waitUntil(what: string, check: () => Promise<boolean>, explain: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + FORM_TIMEOUT_MS;
  let lastError = '';
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${FORM_TIMEOUT_MS / 1000} s. ${lastError}\n${await explain()}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function started(members: Member[], names: string[]): boolean {
  return names.every((name) => members.some((m) => m.name === name && m.clientURLs.length > 0));
}

/** Starts every member's etcd; resolves with etcd's pid on each host (as the host sees it) and the member list. */
export async function bootstrapCluster(
  fleet: NamespaceFleet,
  hosts: LayoutHost[],
  etcdctl: Etcdctl,
): Promise<{ pids: Map<string, number>; members: Member[] }> {
  const pids = new Map<string, number>();
  const names = hosts.map((h) => h.name);
  const first = hosts[0]!;
  const explain = async () => (await Promise.all(hosts.map(async (h) => `${h.name}:\n${await logTail(fleet, h)}`))).join('\n');
  if (first.layout.bootstrap === 'join') {
    for (const [i, host] of hosts.entries()) {
      // etcd refuses a new member until the last one has been connected for 5 s (strict
      // reconfiguration check); kubeadm retries the same way. A retry must not add it twice.
      if (i > 0) {
        await waitUntil(
          `adding ${host.name} to ${first.layout.cluster}`,
          async () => {
            const members = await etcdctl.memberList(clientUrl(first));
            if (!members.some((m) => m.peerURLs.includes(peerUrl(host)))) await etcdctl.memberAdd(clientUrl(first), host.name, peerUrl(host));
            return true;
          },
          explain,
        );
      }
      pids.set(host.name, await fleet.host(host.name).startService('etcd'));
      const joinedSoFar = names.slice(0, i + 1);
      await waitUntil(`${host.name} joining ${first.layout.cluster}`, async () => started(await etcdctl.memberList(clientUrl(first)), joinedSoFar), explain);
    }
  } else {
    for (const host of hosts) pids.set(host.name, await fleet.host(host.name).startService('etcd'));
  }
  await waitUntil(
    `etcd cluster ${first.layout.cluster} forming`,
    async () => {
      for (const host of hosts) await etcdctl.endpointHealth(clientUrl(host));
      return started(await etcdctl.memberList(clientUrl(first)), names);
    },
    explain,
  );
  return { pids, members: await etcdctl.memberList(clientUrl(first)) };
}
