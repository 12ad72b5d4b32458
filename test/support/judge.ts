import { discoverComponents } from '../../src/effective/discover.js';
import type { Finding, HostSnapshot, Target } from '../../src/model.js';
import type { BenchmarkVersion } from '../../src/rules/benchmarks.js';
import { BENCHMARKS, DEFAULT_BENCHMARK } from '../../src/rules/benchmarks.js';
import type { CheckInput } from '../../src/rules/checks/verdict.js';
import type { ClusterFacts, ClusterHost } from '../../src/rules/cluster.js';
import { clusterFacts } from '../../src/rules/cluster.js';
import { evaluateHost } from '../../src/rules/evaluate.js';
import type { Check, Rule } from '../../src/rules/rule-file.js';

// Builders for the rules' side of a test: a rule, an inventory host, and the path from snapshots to
// findings that a scan takes once a cluster's hosts are all collected (discoverComponents, then
// clusterFacts over the cluster, then evaluateHost), without SSH.

/** A rule with one check; control 9.9 in every benchmark, about etcd, for every cluster size. */
export function rule(check: Partial<Check> & Pick<Check, 'type'>, extra: Partial<Rule> = {}): Rule {
  return {
    id: `test-${check.type}`,
    title: `a ${check.type} rule`,
    component: 'etcd',
    controls: Object.fromEntries(BENCHMARKS.map((version) => [version, '9.9'])) as Record<BenchmarkVersion, string>,
    appliesTo: 'all',
    check: { settings: [], ...check },
    rationale: 'why',
    remediation: 'what to do',
    file: `rules/test-${check.type}.yaml`,
    ...extra,
  };
}

/** An inventory host of cluster `c` with the etcd and control-plane roles, its address its name. */
export function target(name = 'h', extra: Partial<Target> = {}): Target {
  return { name, cluster: 'c', address: name, port: 22, user: 'audit', roles: ['etcd', 'control-plane'], become: true, identityFiles: [], ...extra };
}

export interface HostInput {
  target: Target;
  snapshot: HostSnapshot;
}

/** Cluster facts of the hosts given (one cluster), each host's components discovered from its snapshot. */
export function clusterOf(hosts: HostInput[], name = 'c'): ClusterFacts {
  return clusterFacts(name, hosts.map(withComponents));
}

function withComponents({ target, snapshot }: HostInput): Required<ClusterHost> {
  return { target, snapshot, components: discoverComponents(snapshot) };
}

export interface JudgeOptions {
  /** The other hosts of the host's cluster. */
  others?: HostInput[];
  benchmark?: BenchmarkVersion;
}

/** The findings of one host, judged as a scan judges it: with the facts of its whole cluster. */
export function judge(rules: Rule[], host: HostInput, options: JudgeOptions = {}): Finding[] {
  const cluster = clusterOf([host, ...(options.others ?? [])], host.target.cluster);
  return evaluateHost(rules, { ...withComponents(host), cluster, benchmark: options.benchmark ?? DEFAULT_BENCHMARK });
}

/** The one finding of one rule on one host. */
export function judgeOne(rule_: Rule, host: HostInput, options: JudgeOptions = {}): Finding {
  return judge([rule_], host, options)[0]!;
}

/**
 * What a check sees of the first instance of the rule's component on a host: its running
 * configuration (or, when it does not run, its on-disk one), in the cluster of the hosts given.
 */
export function checkInput(rule_: Rule, host: HostInput, options: JudgeOptions = {}): CheckInput {
  const { components } = withComponents(host);
  const instance = (rule_.component === 'etcd' ? components.etcd : components.apiserver)[0];
  const config = instance?.running ?? instance?.onDisk;
  if (!instance || !config) throw new Error(`no ${rule_.component} on ${host.target.name}`);
  return {
    rule: rule_,
    config,
    instance,
    snapshot: host.snapshot,
    host: host.target.name,
    cluster: clusterOf([host, ...(options.others ?? [])], host.target.cluster),
    benchmark: options.benchmark ?? DEFAULT_BENCHMARK,
  };
}
