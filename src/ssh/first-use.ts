import { appendKnownHost, describeKey, hostLookupName } from './known-hosts.js';

// Trust on first use (--accept-new-host-keys, StrictHostKeyChecking accept-new) for the length of
// one scan. A host may be connected to many times in a scan (a bastion's connections, targets that
// share an address, retries), and by several worker threads: each name's first key is the one
// trusted and recorded, once; any other key it offers later in the same scan is refused as a
// changed key would be, since it is one: someone on the path is answering some connections.

export type HostKeyDecision = { ok: true } | { ok: false; reason: string };

export interface FirstUse {
  /** Trusts `key` for `host`:`port` if it is the first key seen for it in this scan, recording it in `recordTo`. */
  trust(recordTo: string | undefined, host: string, port: number, key: Buffer): Promise<HostKeyDecision>;
}

export class FirstUseLedger implements FirstUse {
  private readonly seen = new Map<string, Promise<{ key: Buffer; decision: HostKeyDecision }>>();

  /** `recorded`: told each key trusted, once, for the person running the scan. */
  constructor(private readonly recorded: (message: string) => void) {}

  trust(recordTo: string | undefined, host: string, port: number, key: Buffer): Promise<HostKeyDecision> {
    const name = hostLookupName(host, port);
    const id = `${recordTo ?? ''}\0${name}`;
    let first = this.seen.get(id);
    if (first === undefined) {
      first = this.record(recordTo, name, host, port, key).then((decision) => ({ key, decision }));
      this.seen.set(id, first);
    }
    return first.then(({ key: trusted, decision }) => {
      if (!decision.ok || trusted.equals(key)) return decision;
      const offered = describeKey(key);
      const kept = describeKey(trusted);
      return {
        ok: false,
        reason:
          `HOST KEY CHANGED during this scan: ${name} offered ${offered.type} key ${offered.fingerprint}, but an earlier connection to it in this scan ` +
          `offered ${kept.type} key ${kept.fingerprint}, which was trusted. This may be a man-in-the-middle; verify the host's key out of band`,
      };
    });
  }

  private async record(recordTo: string | undefined, name: string, host: string, port: number, key: Buffer): Promise<HostKeyDecision> {
    const { type, fingerprint } = describeKey(key);
    if (recordTo === undefined) {
      this.recorded(`${name} ${type} key ${fingerprint} trusted for this scan (no known_hosts file to record it in)`);
      return { ok: true };
    }
    try {
      await appendKnownHost(recordTo, host, port, key);
    } catch (error) {
      return { ok: false, reason: `could not record the host key of ${name} in ${recordTo}: ${(error as Error).message}` };
    }
    this.recorded(`${name} ${type} key ${fingerprint} added to ${recordTo}`);
    return { ok: true };
  }
}
