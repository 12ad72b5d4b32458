import { readFile } from 'node:fs/promises';
import { applyLimit, LimitError, splitLimit } from '../inventory/limit.js';
import type { Inventory, Selection, Target } from '../model.js';
import type { BenchmarkVersion } from '../rules/benchmarks.js';
import type { Rule } from '../rules/rule-file.js';
import { RuleSelectionError, selectRules } from '../rules/rule-selection.js';
import { UsageError } from './option-table.js';

/** What one scan covers: the hosts to scan, the rules to evaluate, and what that leaves out. */
export interface Scope {
  inventory: Inventory;
  /** Hosts of the scanned clusters that --limit left out: their clusters' facts still count them. */
  clusterPeers: Target[];
  rules: Rule[];
  /** Set when --limit, --check or --skip narrowed the scan. */
  selection?: Selection;
  /** For the person running the scan (hosts passed over, clusters scanned in part). */
  notes: string[];
}

export interface ScopeChoice {
  limit?: string;
  check?: string[];
  skip?: string[];
  benchmark: BenchmarkVersion;
}

/** The scope of a scan of `inventory`. Throws `UsageError` for a --limit, --check or --skip that cannot be applied. */
export async function scopeOf(inventory: Inventory, rules: readonly Rule[], choice: ScopeChoice): Promise<Scope> {
  const notes: string[] = [];
  const limited = choice.limit === undefined ? inventory.targets : await limitedTargets(inventory, choice.limit);
  const auditable = inventory.targets.filter(isAudited);
  const selected = limited.filter(isAudited);
  // Worker-only hosts run neither etcd nor kube-apiserver: nothing to audit there. Ansible and
  // kubespray inventories list them anyway.
  const workers = limited.length - selected.length;
  if (workers > 0) notes.push(`not scanning ${workers} worker-only host${workers === 1 ? '' : 's'} (no etcd or control-plane role in the inventory)`);
  if (choice.limit !== undefined && selected.length === 0) {
    throw new UsageError(`--limit ${choice.limit}: the hosts it names are all worker-only (no etcd or control-plane role): nothing to audit`);
  }
  const scanned = new Set(selected);
  const clusters = new Set(selected.map((target) => target.cluster));
  const clusterPeers = auditable.filter((target) => !scanned.has(target) && clusters.has(target.cluster));
  for (const cluster of clusters) {
    const peers = clusterPeers.filter((target) => target.cluster === cluster).length;
    if (peers === 0) continue;
    const of = selected.filter((target) => target.cluster === cluster).length;
    notes.push(
      `--limit scans ${of} of the ${of + peers} hosts of cluster ${cluster}; its member count and membership count the others as the inventory lists them (--limit ${cluster} scans it whole)`,
    );
  }
  const chosen = chooseRules(rules, choice);
  const scope: Scope = { inventory: { ...inventory, targets: selected }, clusterPeers, rules: chosen, notes };
  if (choice.limit !== undefined || choice.check !== undefined || choice.skip !== undefined) {
    const selection: Selection = {
      hostsLeftOut: auditable.length - selected.length,
      rulesLeftOut: rules.filter((rule) => !chosen.includes(rule)).map((rule) => rule.id),
    };
    if (choice.limit !== undefined) selection.limit = choice.limit;
    if (choice.check !== undefined) selection.check = choice.check;
    if (choice.skip !== undefined) selection.skip = choice.skip;
    scope.selection = selection;
  }
  return scope;
}

/** The targets --limit names (workers included). Throws `UsageError`. */
export async function limitedTargets(inventory: Inventory, limit: string): Promise<Target[]> {
  const terms: string[] = [];
  for (const term of splitLimit(limit)) {
    if (!term.startsWith('@')) {
      terms.push(term);
      continue;
    }
    let text: string;
    try {
      text = await readFile(term.slice(1), 'utf8');
    } catch (error) {
      throw new UsageError(`--limit ${term}: cannot read the file of host names: ${(error as Error).message}`);
    }
    terms.push(
      ...text
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line !== ''),
    );
  }
  try {
    return applyLimit(inventory, terms);
  } catch (error) {
    if (!(error instanceof LimitError)) throw error;
    throw new UsageError(`--limit ${limit}: ${error.message.replaceAll('\n', `\n--limit ${limit}: `)}`);
  }
}

/** The rules --check and --skip choose. Throws `UsageError`. */
export function chooseRules(rules: readonly Rule[], choice: Omit<ScopeChoice, 'limit'>): Rule[] {
  try {
    return selectRules(rules, choice.benchmark, { ...(choice.check ? { check: choice.check } : {}), ...(choice.skip ? { skip: choice.skip } : {}) });
  } catch (error) {
    if (!(error instanceof RuleSelectionError)) throw error;
    throw new UsageError(error.message);
  }
}

function isAudited(target: Target): boolean {
  return target.roles.some((role) => role !== 'worker');
}
