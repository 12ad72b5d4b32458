import type { BenchmarkVersion } from '../rules/benchmarks.js';
import { benchmarkName } from '../rules/benchmarks.js';
import { columns } from '../report/columns.js';
import { compareControls } from '../report/control-order.js';
import { loadRules } from '../rules/rule-file.js';
import type { Rule } from '../rules/rule-file.js';
import { RULES } from './commands.js';
import { EXIT } from './exit-codes.js';
import { printHelp } from './help.js';
import { parseCommand } from './option-table.js';
import { benchmarkOf, oneOf } from './options.js';
import type { Io } from './scan-command.js';
import { chooseRules } from './scope.js';
import { ruleList } from '../rules/rule-selection.js';

/** `fleetbench rules`: the controls checked (those --check and --skip choose), numbered for the chosen benchmark. */
export async function runRules(args: readonly string[], io: Pick<Io, 'stdout'>): Promise<number> {
  const { values } = parseCommand(RULES, args);
  if (values.help) return printHelp(RULES, io);
  const benchmark = benchmarkOf(values);
  const format = values.format === undefined ? 'text' : oneOf('--format', values.format, ['text', 'json'] as const);
  const choice = { benchmark, ...(values.check ? { check: ruleList(values.check) } : {}), ...(values.skip ? { skip: ruleList(values.skip) } : {}) };
  const rules = chooseRules(await loadRules(), choice);
  const sorted = [...rules].sort((a, b) => compareControls(a.controls[benchmark], b.controls[benchmark]));
  io.stdout.write(
    format === 'json'
      ? `${JSON.stringify(
          sorted.map((rule) => ruleJson(rule, benchmark)),
          null,
          2,
        )}\n`
      : renderRuleList(sorted, benchmark),
  );
  return EXIT.ok;
}

function renderRuleList(rules: Rule[], benchmark: BenchmarkVersion): string {
  const rows = rules.map((rule) => [
    rule.controls[benchmark],
    rule.id,
    rule.component,
    rule.appliesTo === 'multi-member' ? 'etcd clusters only' : '',
    rule.title,
  ]);
  const header = ['CONTROL', 'RULE', 'ON', 'APPLIES', 'TITLE'];
  return [`CIS Kubernetes Benchmark ${benchmark}: ${rules.length} rules`, '', ...columns(header, rows)].join('\n') + '\n';
}

/** A rule for machines: what the text list shows, and what it checks and why. */
function ruleJson(rule: Rule, benchmark: BenchmarkVersion) {
  return {
    id: rule.id,
    control: rule.controls[benchmark],
    benchmark: benchmarkName(benchmark),
    title: rule.title,
    component: rule.component,
    appliesTo: rule.appliesTo,
    controls: rule.controls,
    rationale: rule.rationale,
    remediation: rule.remediation,
  };
}
