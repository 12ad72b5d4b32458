import type { Evidence } from '../model.js';

/** One configuration value of a component, as the component itself would read it. */
export interface Setting {
  /** Canonical flag name without dashes, e.g. `client-cert-auth`. */
  key: string;
  /** The value the component sees: `true` for a bare boolean flag, quotes removed where the source removes them. */
  value: string;
  /** Where it was found, with the setting's name and value as written there. */
  evidence: Evidence;
  /** Set when the component would refuse to start with this value as written. */
  rejected?: string;
  /** Occurrences that lost to this one: repeated flags (last wins), variables shadowed by a flag. */
  overridden: Evidence[];
  /** Set when the component reads the value but does not act on it (auto TLS replacing it, a plain-http listener), and why. */
  ineffective?: string;
}

/** What is known about one setting of one component instance. */
export type Lookup = { state: 'set'; setting: Setting } | { state: 'unset'; searched: Evidence[] } | { state: 'unknown'; reason: string; searched: Evidence[] };
