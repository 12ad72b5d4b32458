import type { BenchmarkVersion } from '../rules/benchmarks.js';
import { columns } from '../report/columns.js';
import { compareControls } from '../report/control-order.js';
import type { Rule } from '../rules/rule-file.js';

/** `fleetbench rules`: the controls checked, numbered for the chosen benchmark. */
export function renderRuleList(rules: Rule[], benchmark: BenchmarkVersion): string {
  const rows = rules
    .map((rule) => [rule.controls[benchmark], rule.id, rule.component, rule.appliesTo === 'multi-member' ? 'etcd clusters only' : '', rule.title])
    .sort((a, b) => compareControls(a[0]!, b[0]!));
  const header = ['CONTROL', 'RULE', 'ON', 'APPLIES', 'TITLE'];
  return [`CIS Kubernetes Benchmark ${benchmark}: ${rules.length} rules`, '', ...columns(header, rows)].join('\n') + '\n';
}
