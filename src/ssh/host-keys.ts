import type { Target } from '../model.js';
import type { FirstUse, HostKeyDecision } from './first-use.js';
import { checkHostKey, describeKey, hostKeyAlgorithmsFor, hostLookupName, knownKeyTypes } from './known-hosts.js';
import type { KnownHosts } from './known-hosts.js';

// Host key policy. Verification against known_hosts is the default; trusting new keys on first
// use and accepting any key are explicit choices the user has to make by name.

export type HostKeyPolicy =
  | { mode: 'strict'; knownHosts: KnownHosts; files: string[] }
  /** Like OpenSSH's StrictHostKeyChecking=accept-new: unknown hosts are trusted and recorded; changed keys are still refused. */
  | { mode: 'accept-new'; knownHosts: KnownHosts; files: string[]; recordTo: string | undefined; firstUse: FirstUse }
  | { mode: 'insecure-accept-any' };

/** The scan-wide host key settings, and known_hosts files loaded for targets that name their own. */
export interface HostKeySettings {
  insecureAcceptAny: boolean;
  acceptNew: boolean;
  files: string[];
  knownHosts: KnownHosts;
  /** Keyed by the target's knownHostsFiles joined with NUL. */
  perTarget: ReadonlyMap<string, KnownHosts>;
  /** Where keys trusted on first use are decided, one place for the whole scan. */
  firstUse: FirstUse;
}

export function knownHostsKey(files: string[]): string {
  return files.join('\0');
}

/** The policy for one target: its own known_hosts files and first-use trust when ssh_config gives them. */
export function policyFor(settings: HostKeySettings, target: Pick<Target, 'knownHostsFiles' | 'acceptNewHostKey'>): HostKeyPolicy {
  if (settings.insecureAcceptAny) return { mode: 'insecure-accept-any' };
  const files = target.knownHostsFiles ?? settings.files;
  const knownHosts = target.knownHostsFiles ? (settings.perTarget.get(knownHostsKey(target.knownHostsFiles)) ?? settings.knownHosts) : settings.knownHosts;
  // ssh_config's `UserKnownHostsFile none` leaves nowhere to record a new key: it is trusted for this scan only.
  if (settings.acceptNew || target.acceptNewHostKey) return { mode: 'accept-new', knownHosts, files, recordTo: files[0], firstUse: settings.firstUse };
  return { mode: 'strict', knownHosts, files };
}

type KeyedTarget = Pick<Target, 'name' | 'address' | 'port' | 'hostKeyAlias'>;

/**
 * Names known_hosts may list a target under: its HostKeyAlias alone, as ssh looks it up (without
 * the port); else the address connected to, then the inventory name, with the port.
 */
function lookupNames(target: KeyedTarget): { host: string; port: number }[] {
  if (target.hostKeyAlias !== undefined) return [{ host: target.hostKeyAlias, port: 22 }];
  const names = target.name === target.address ? [target.address] : [target.address, target.name];
  return names.map((host) => ({ host, port: target.port }));
}

/** Host key algorithms to offer, known types first, so the server presents a key we can check. */
export function preferredHostKeyAlgorithms(policy: HostKeyPolicy, target: KeyedTarget): string[] | undefined {
  if (policy.mode === 'insecure-accept-any') return undefined;
  const types = lookupNames(target).flatMap(({ host, port }) => knownKeyTypes(policy.knownHosts, host, port));
  return types.length > 0 ? hostKeyAlgorithmsFor([...new Set(types)]) : undefined;
}

export async function decideHostKey(policy: HostKeyPolicy, target: KeyedTarget, key: Buffer): Promise<HostKeyDecision> {
  if (policy.mode === 'insecure-accept-any') return { ok: true };
  const { type, fingerprint } = describeKey(key);
  const [recordAs] = lookupNames(target) as [{ host: string; port: number }];
  const shown = hostLookupName(recordAs.host, recordAs.port);
  const offered = `${type} key ${fingerprint}`;
  for (const { host: name, port } of lookupNames(target)) {
    const verdict = checkHostKey(policy.knownHosts, name, port, key);
    switch (verdict.kind) {
      case 'match':
        return { ok: true };
      case 'revoked':
        return { ok: false, reason: `${shown} offered ${offered}, which ${verdict.file}:${verdict.line} marks @revoked` };
      case 'mismatch': {
        const sameType = verdict.knownTypes.includes(type);
        return {
          ok: false,
          reason: sameType
            ? `HOST KEY CHANGED: ${shown} offered ${offered}, but ${verdict.file}:${verdict.line} records a different ${type} key for ${hostLookupName(name, port)}. ` +
              `This may be a man-in-the-middle. If the host was reinstalled, verify its new key and remove the old entry (ssh-keygen -R '${hostLookupName(name, port)}')`
            : `${shown} offered ${offered}, but known_hosts has only ${verdict.knownTypes.join(', ')} keys for ${hostLookupName(name, port)} (${verdict.file}:${verdict.line})`,
        };
      }
      case 'cert-authority-only':
        return {
          ok: false,
          reason: `${hostLookupName(name, port)} is trusted in known_hosts only through @cert-authority, and fleetbench cannot verify host certificates; add the host's own key`,
        };
      case 'unknown':
        break;
    }
  }
  // Unknown under every name it may be listed as.
  if (policy.mode === 'accept-new') return policy.firstUse.trust(policy.recordTo, recordAs.host, recordAs.port, key);
  return {
    ok: false,
    reason:
      `${shown} is not in known_hosts (${policy.files.join(', ') || 'no file'}); it offered ${offered}. ` +
      `Verify that fingerprint out of band and add the key (ssh-keyscan -p ${target.port} ${target.address}), ` +
      'or pass --accept-new-host-keys to trust hosts seen for the first time',
  };
}
