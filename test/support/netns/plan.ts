import type { FleetPlan, HostPlan, SegmentPlan } from './spec.js';

export interface SegmentRequest {
  name: string;
  /** Whether the fabric (where the scanner runs) has an address on it. A bastion's back side has none. */
  scannerReachable: boolean;
}

export interface HostRequest {
  name: string;
  /** Segments to attach to, first one first (it gives the host's main address). Default: the first segment. */
  segments?: string[];
  /**
   * More addresses on the host's first segment, right after its main one; its sshd answers on all
   * of them. One host then stands for a fleet of that many (one sshd, one process list), which is
   * also how a scanner meets sshd's MaxStartups: many connections at once to the same sshd.
   */
  extraAddresses?: number;
}

// Private /16s from 10.77.0.0 up: they exist only inside the fabric namespace, so they cannot clash
// with the machine's own networks. Hosts start at .0.10; the fabric is .0.1.
const FIRST_SECOND_OCTET = 77;
const FIRST_HOST_OFFSET = 10;
const HOSTS_PER_SEGMENT = 65_000;
const HOST_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Every address a host answers on: its address on each segment, then its extra addresses. */
export function hostAddresses(host: HostPlan): string[] {
  return [...Object.values(host.addresses), ...host.extraAddresses];
}

/** Decides every address of a fleet up front, so that host files can name other hosts' addresses. */
export function planFleet(hosts: HostRequest[], segments: SegmentRequest[] = [{ name: 'default', scannerReachable: true }]): FleetPlan {
  if (segments.length === 0 || segments.length > 100) throw new Error('a fleet needs between 1 and 100 segments');
  const segmentPlans: SegmentPlan[] = segments.map((segment, index) => {
    const prefix = `10.${FIRST_SECOND_OCTET + index}`;
    const plan: SegmentPlan = { name: segment.name, subnet: `${prefix}.0.0/16`, prefixLength: 16 };
    if (segment.scannerReachable) plan.scannerAddress = `${prefix}.0.1`;
    return plan;
  });
  const used = new Map<string, number>();
  const seen = new Set<string>();
  const hostPlans = hosts.map((host): HostPlan => {
    if (!HOST_NAME.test(host.name)) throw new Error(`host name ${JSON.stringify(host.name)} is not a valid hostname (lower case, digits, dashes)`);
    if (seen.has(host.name)) throw new Error(`host ${host.name} is listed twice`);
    seen.add(host.name);
    const wanted = host.segments ?? [segmentPlans[0]!.name];
    if (wanted.length === 0) throw new Error(`host ${host.name} is attached to no segment`);
    const extra = host.extraAddresses ?? 0;
    if (!Number.isInteger(extra) || extra < 0) throw new Error(`host ${host.name}: extraAddresses must be a whole number, not ${extra}`);
    const take = (name: string): string => {
      const index = segmentPlans.findIndex((s) => s.name === name);
      if (index < 0) throw new Error(`host ${host.name} names segment ${name}, which the fleet does not have`);
      const offset = FIRST_HOST_OFFSET + (used.get(name) ?? 0);
      if (offset >= HOSTS_PER_SEGMENT) throw new Error(`segment ${name} is full`);
      used.set(name, (used.get(name) ?? 0) + 1);
      return `10.${FIRST_SECOND_OCTET + index}.${Math.floor(offset / 256)}.${offset % 256}`;
    };
    const addresses: Record<string, string> = {};
    for (const name of wanted) addresses[name] = take(name);
    const extraAddresses = Array.from({ length: extra }, () => take(wanted[0]!));
    return { name: host.name, addresses, address: addresses[wanted[0]!]!, extraAddresses };
  });
  return { segments: segmentPlans, hosts: hostPlans };
}
