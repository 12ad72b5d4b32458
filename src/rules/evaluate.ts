import type { Finding, HostSnapshot, Target } from '../model.js';
import type { BenchmarkVersion } from './benchmarks.js';
import { CHECKS } from './checks/index.js';
import type { CheckInput, Verdict } from './checks/verdict.js';
import type { ClusterFacts } from './cluster.js';
import type { ComponentInstance, HostComponents, ResolvedConfig } from '../effective/host-components.js';
import type { Rule } from './rule-file.js';
import { worst } from '../status.js';

// Turns a host's resolved configuration into findings. Pure: snapshot and cluster facts in,
// findings out. PASS and FAIL only on conclusive evidence; what could not be seen is ERROR with
// the reason; a running process that disagrees with what its next restart runs is never a plain PASS.

export interface HostContext {
  target: Target;
  snapshot: HostSnapshot;
  components: HostComponents;
  cluster: ClusterFacts;
  benchmark: BenchmarkVersion;
}

export function evaluateHost(rules: Rule[], ctx: HostContext): Finding[] {
  return rules.map((rule) => evaluateRule(rule, ctx));
}

/** Findings for a host that could not be scanned: every control is ERROR with the reason. */
export function unscannedFindings(rules: Rule[], target: Target, error: string, benchmark: BenchmarkVersion): Finding[] {
  return rules.map((rule) => ({
    ...identity(rule, target, benchmark),
    status: 'ERROR' as const,
    reason: `host not scanned: ${error}`,
    actual: 'not scanned',
    evidence: [],
  }));
}

function identity(rule: Rule, target: Target, benchmark: BenchmarkVersion) {
  return {
    host: target.name,
    cluster: target.cluster,
    ruleId: rule.id,
    control: rule.controls[benchmark],
    title: rule.title,
    expected: CHECKS[rule.check.type].expected(rule, benchmark),
    remediation: rule.remediation,
  };
}

function evaluateRule(rule: Rule, ctx: HostContext): Finding {
  const base = identity(rule, ctx.target, ctx.benchmark);
  const instances = rule.component === 'etcd' ? ctx.components.etcd : ctx.components.apiserver;
  if (instances.length === 0) return { ...base, ...absent(rule, ctx) };
  if (rule.appliesTo === 'multi-member' && ctx.cluster.singleMember) {
    return {
      ...base,
      status: 'NOT_APPLICABLE',
      reason: `applies only to etcd clusters of more than one member; cluster ${ctx.cluster.name} has one (${ctx.cluster.basis})`,
      actual: 'single-member etcd cluster',
      evidence: [],
    };
  }
  const verdicts = instances.map((instance) => evaluateInstance(rule, instance, ctx));
  if (verdicts.length === 1) {
    const { status, reason, evidence, actual } = verdicts[0]!;
    return { ...base, status, reason, actual, evidence };
  }
  return {
    ...base,
    status: worst(verdicts.map((v) => v.status)),
    actual: verdicts.map((v, i) => `${instanceLabel(instances[i]!)}: ${v.actual}`).join('; '),
    reason: `${verdicts.length} ${rule.component} instances: ${verdicts.map((v, i) => `[${instanceLabel(instances[i]!)}] ${v.reason}`).join(' ')}`,
    evidence: verdicts.flatMap((v) => v.evidence),
  };
}

function instanceLabel(instance: ComponentInstance): string {
  return instance.pid !== undefined ? `pid ${instance.pid}` : (instance.manifest ?? 'manifest');
}

function absent(rule: Rule, ctx: HostContext): Omit<Verdict, 'values'> {
  const { components, target } = ctx;
  const component = rule.component;
  // k3s and RKE2: only on evidence that there is no etcd here (k3s.ts), never by default.
  for (const server of components.rancher) {
    if (component === 'etcd' && server.datastore.kind === 'kine') {
      return {
        status: 'NOT_APPLICABLE',
        reason: `${server.datastore.reason}: there is no etcd here`,
        evidence: server.datastore.evidence,
        actual: `no etcd (${server.program} with kine)`,
      };
    }
    if (component === 'etcd' && server.datastore.kind === 'unknown') {
      return { status: 'ERROR', reason: server.datastore.reason, evidence: server.datastore.evidence, actual: 'etcd unknown' };
    }
    if (component === 'etcd' && server.datastore.kind === 'etcd') {
      return {
        status: 'ERROR',
        reason: `${server.datastore.reason}, but neither its etcd process nor its manifest was found${components.blindSpots.length > 0 ? `: ${components.blindSpots.join('; ')}` : ''}`,
        evidence: server.datastore.evidence,
        actual: 'etcd not found',
      };
    }
    if (component === 'kube-apiserver' && server.program === 'k3s') {
      return {
        status: 'NOT_APPLICABLE',
        reason: `kube-apiserver is embedded in the k3s server process (pid ${server.pid}), which sets its etcd client TLS itself; there are no apiserver flags to check`,
        evidence: [],
        actual: 'kube-apiserver embedded in k3s',
      };
    }
  }
  const role = component === 'etcd' ? 'etcd' : 'control-plane';
  const expected = target.roles.includes(role);
  const looked = 'no process whose executable is ' + component + ', no static pod manifest running it' + (component === 'etcd' ? ', no k3s datastore' : '');
  // "Not here" only on a look that could have seen it: a place the probe could not look into
  // makes absence an ERROR, whatever the inventory says.
  if (components.blindSpots.length > 0) {
    return {
      status: 'ERROR',
      reason: `${looked} was found, but fleetbench could not look everywhere: ${components.blindSpots.join('; ')}`,
      evidence: [],
      actual: `${component} not found`,
    };
  }
  if (expected) {
    return {
      status: 'ERROR',
      reason: `the inventory gives this host the ${role} role, but ${looked} was found`,
      evidence: [],
      actual: `${component} not found`,
    };
  }
  return {
    status: 'NOT_APPLICABLE',
    reason: `${component} does not run on this host (${looked} was found)`,
    evidence: [],
    actual: `${component} not running here`,
  };
}

function evaluateInstance(rule: Rule, instance: ComponentInstance, ctx: HostContext): Verdict {
  const inputFor = (config: ResolvedConfig): CheckInput => ({
    rule,
    config,
    instance,
    snapshot: ctx.snapshot,
    host: ctx.target.name,
    cluster: ctx.cluster,
    benchmark: ctx.benchmark,
  });
  const running = instance.running && check(inputFor(instance.running));
  const onDisk = instance.onDisk && check(inputFor(instance.onDisk));
  if (running && onDisk) {
    const conclusive = (v: Verdict) => v.status !== 'ERROR';
    if (conclusive(running) && conclusive(onDisk) && (running.values !== onDisk.values || running.status !== onDisk.status)) {
      const drift = `${instance.onDisk!.label} (what a restart runs) differs: ${onDisk.reason}`;
      return {
        status: running.status === 'FAIL' ? 'FAIL' : 'WARN',
        reason: `running ${instance.running!.label}: ${running.reason}; ${drift}`,
        actual: `running: ${running.actual}; on disk: ${onDisk.actual}`,
        evidence: [...running.evidence, ...onDisk.evidence],
        values: running.values,
      };
    }
    return {
      ...running,
      evidence: [...running.evidence, ...onDisk.evidence.filter((e) => !running.evidence.some((r) => r.source === e.source && r.key === e.key))],
    };
  }
  if (running && instance.manifestUnread) {
    return {
      ...running,
      reason: `${running.reason}; ${instance.manifest} could not be read (${instance.manifestUnread}), so the running process was not compared with it`,
    };
  }
  if (running) return running;
  if (onDisk) {
    return { ...onDisk, reason: `${rule.component} is not running; ${instance.onDisk!.label} says: ${onDisk.reason}` };
  }
  return { status: 'ERROR', reason: 'no configuration found', evidence: [], actual: 'unknown', values: '' };
}

function check(input: CheckInput): Verdict {
  const verdict = CHECKS[input.rule.check.type].evaluate(input);
  // A configuration the component would refuse to start with (etcd's config file with a value of
  // the wrong type, a flag shadowed by a variable...) proves nothing about what runs: no PASS on it.
  // The manifest controls judge the manifest file itself, whatever it says.
  const { refused, contradiction } = input.config;
  if (input.rule.check.file === 'etcd-manifest' || verdict.status === 'ERROR') return verdict;
  // What was read of a running process that could not have started so: none of it can be trusted.
  if (contradiction !== undefined) return { ...verdict, status: 'ERROR', reason: `${contradiction}; as read: ${verdict.reason}` };
  if (refused === undefined) return verdict;
  // A refusal already said on the setting (a shadowed variable's note) is not said twice.
  const reason = verdict.reason.includes(refused) ? verdict.reason : `${verdict.reason}; ${refused}`;
  return { ...verdict, status: verdict.status === 'PASS' ? 'WARN' : verdict.status, reason };
}
