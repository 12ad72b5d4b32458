// --check and --skip, as kube-bench has them: re-test some controls after a remediation, or
// leave some out. Each names rules by id (`etcd-client-cert-auth`, the same in every benchmark)
// or by control number in the benchmark scanned (`2.2` in CIS 1.12).

import { nearest } from '../nearest.js';
import type { BenchmarkVersion } from './benchmarks.js';
import type { Rule } from './rule-file.js';

/** A --check or --skip that names no rule: the message says which entry and the nearest name. */
export class RuleSelectionError extends Error {
  override readonly name = 'RuleSelectionError';
}

export interface RuleChoice {
  check?: readonly string[];
  skip?: readonly string[];
}

/** The rules to evaluate: those --check names (all without it), less those --skip names. Throws `RuleSelectionError`. */
export function selectRules(rules: readonly Rule[], benchmark: BenchmarkVersion, choice: RuleChoice): Rule[] {
  const problems: string[] = [];
  const named = (option: string, entries: readonly string[]) => {
    const found = new Set<Rule>();
    for (const entry of entries) {
      const matching = rules.filter((rule) => rule.id === entry || rule.controls[benchmark] === entry);
      if (matching.length === 0) problems.push(unknownEntry(option, entry, rules, benchmark));
      for (const rule of matching) found.add(rule);
    }
    return found;
  };
  const checked = choice.check === undefined ? new Set(rules) : named('--check', choice.check);
  const skipped = named('--skip', choice.skip ?? []);
  if (problems.length > 0) throw new RuleSelectionError(problems.join('\n'));
  const selected = rules.filter((rule) => checked.has(rule) && !skipped.has(rule));
  if (selected.length === 0) throw new RuleSelectionError('--check and --skip leave no rule to evaluate');
  return selected;
}

/** `2.1,etcd-cert-file, 2.2` as its entries. */
export function ruleList(text: string): string[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

function unknownEntry(option: string, entry: string, rules: readonly Rule[], benchmark: BenchmarkVersion): string {
  const controls = rules.map((rule) => rule.controls[benchmark]).filter((control) => control !== '-');
  const guess = nearest(entry, [...rules.map((rule) => rule.id), ...controls]);
  return (
    `${option} ${JSON.stringify(entry)}: no rule has this id or CIS ${benchmark} control number` +
    (guess === undefined ? '' : `; did you mean ${guess}?`) +
    ` (fleetbench rules --benchmark ${benchmark} lists them)`
  );
}
