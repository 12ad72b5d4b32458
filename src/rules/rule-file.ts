import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { PACKAGE_ROOT } from '../package-root.js';
import { FileIssuesError } from '../yaml/file-issues.js';
import { IssueList } from '../yaml/issue-list.js';
import { follow, readMapping, readText } from '../yaml/yaml-read.js';
import type { Field, YamlReader } from '../yaml/yaml-read.js';
import type { BenchmarkVersion } from './benchmarks.js';
import { BENCHMARKS } from './benchmarks.js';
import type { CheckField, CheckType } from './checks/index.js';
import { CHECKS, isCheckType } from './checks/index.js';

// Rules are data: one YAML file per control in rules/. Adding a control is adding a file (and a
// fixture); the engine interprets a handful of declarative check types and never runs commands.

export type RuleComponent = 'etcd' | 'kube-apiserver';
export type FileTarget = 'etcd-manifest' | 'etcd-data-dir';

export interface Check {
  type: CheckType;
  /** Flag names (without dashes) for the flag checks. */
  settings: string[];
  /** For file checks: which file. */
  file?: FileTarget;
  /** For file-mode: the loosest mode allowed, per benchmark. */
  maxMode?: Partial<Record<BenchmarkVersion, number>>;
  /** For file-owner: allowed `user:group` pairs. */
  owners?: string[];
}

export interface Rule {
  id: string;
  title: string;
  component: RuleComponent;
  /** CIS control number per benchmark version; `-` for fleetbench's own checks. */
  controls: Record<BenchmarkVersion, string>;
  /** `multi-member`: applies only to etcd clusters of more than one member. */
  appliesTo: 'all' | 'multi-member';
  check: Check;
  rationale: string;
  remediation: string;
  file: string;
}

export class RuleFileError extends FileIssuesError {
  override readonly name = 'RuleFileError';
  override readonly what = 'invalid rule file';
}

const RULE_KEYS = ['id', 'title', 'component', 'controls', 'appliesTo', 'check', 'rationale', 'remediation'];
const CHECK_KEYS = ['type', 'settings', 'file', 'maxMode', 'owners'];

export function parseRule(text: string, file: string): Rule {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const issues = new IssueList(file, lineCounter, (found) => new RuleFileError(found));
  for (const error of doc.errors) issues.addAtOffset(error.pos[0], error.message.split('\n')[0] ?? error.message);
  issues.throwIfAny();
  const r: YamlReader = { doc, issues };
  const root = follow(r, doc.contents);
  const fields = readMapping(r, root, root ?? {}, 'a rule', RULE_KEYS) ?? new Map<string, Field>();

  const text_ = (name: string): string => {
    const field = fields.get(name);
    if (!field) {
      issues.add(root, `missing ${name}`);
      return '';
    }
    return readText(r, field) ?? '';
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[]): T => {
    const value = text_(name);
    if (value && !allowed.includes(value as T)) issues.add(fields.get(name)!.at, `${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
    return value as T;
  };

  const id = text_('id');
  const expectedId = file.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
  if (id && id !== expectedId) issues.add(fields.get('id')!.at, `id ${JSON.stringify(id)} must match the file name (${expectedId})`);
  const rule: Rule = {
    id,
    title: text_('title'),
    component: oneOf('component', ['etcd', 'kube-apiserver'] as const),
    controls: readControls(r, fields.get('controls'), root),
    appliesTo: oneOf('appliesTo', ['all', 'multi-member'] as const),
    check: readCheck(r, fields.get('check'), root),
    rationale: text_('rationale'),
    remediation: text_('remediation'),
    file,
  };
  issues.throwIfAny();
  return rule;
}

function readControls(r: YamlReader, field: Field | undefined, root: unknown): Record<BenchmarkVersion, string> {
  const controls = {} as Record<BenchmarkVersion, string>;
  if (!field) {
    r.issues.add(root as never, 'missing controls (the CIS control number per benchmark version)');
    return controls;
  }
  const entries = readMapping(r, field.value, field.at, 'controls', BENCHMARKS) ?? new Map<string, Field>();
  for (const version of BENCHMARKS) {
    const entry = entries.get(version);
    const value = entry ? readText(r, entry) : undefined;
    if (!entry) r.issues.add(field.at, `controls has no entry for benchmark ${version}`);
    else if (value !== undefined && !/^(\d+(\.\d+)*|-)$/.test(value))
      r.issues.add(entry.at, `control number must look like 2.2 or 1.2.26 (or - for a check of fleetbench's own), got ${JSON.stringify(value)}`);
    if (value) controls[version] = value;
  }
  return controls;
}

function readCheck(r: YamlReader, field: Field | undefined, root: unknown): Check {
  const check: Check = { type: 'flag-true', settings: [] };
  if (!field) {
    r.issues.add(root as never, 'missing check');
    return check;
  }
  const fields = readMapping(r, field.value, field.at, 'check', CHECK_KEYS) ?? new Map<string, Field>();
  const type = fields.get('type');
  const typeText = type ? readText(r, type) : undefined;
  const types = Object.keys(CHECKS).join(', ');
  if (!type) r.issues.add(field.at, `check needs a type (${types})`);
  else if (typeText !== undefined && !isCheckType(typeText)) r.issues.add(type.at, `check type must be one of ${types}, got ${JSON.stringify(typeText)}`);
  else if (typeText) check.type = typeText;

  const settings = fields.get('settings');
  if (settings) {
    if (isSeq(settings.value) && settings.value.items.every((i) => isScalar(i) && typeof i.value === 'string')) {
      check.settings = settings.value.items.map((i) => String((i as { value: unknown }).value));
    } else r.issues.add(settings.at, 'settings must be a list of flag names such as [cert-file, key-file]');
  }
  const file = fields.get('file');
  if (file) {
    const value = readText(r, file);
    if (value === 'etcd-manifest' || value === 'etcd-data-dir') check.file = value;
    else if (value !== undefined) r.issues.add(file.at, `file must be etcd-manifest or etcd-data-dir, got ${JSON.stringify(value)}`);
  }
  const maxMode = fields.get('maxMode');
  if (maxMode) {
    check.maxMode = {};
    const modes = readMapping(r, maxMode.value, maxMode.at, 'maxMode', BENCHMARKS) ?? new Map<string, Field>();
    for (const version of BENCHMARKS) {
      const entry = modes.get(version);
      const value = entry ? readText(r, entry) : undefined;
      if (value !== undefined && /^[0-7]{3,4}$/.test(value)) check.maxMode[version] = parseInt(value, 8);
      else if (entry) r.issues.add(entry.at, `a mode must be octal text such as "600", got ${JSON.stringify(value)}`);
      else r.issues.add(maxMode.at, `maxMode has no entry for benchmark ${version}`);
    }
  }
  const owners = fields.get('owners');
  if (owners) {
    if (isSeq(owners.value) && owners.value.items.every((i) => isScalar(i) && /^[a-z_][a-z0-9_-]*:[a-z_][a-z0-9_-]*$/.test(String(i.value)))) {
      check.owners = owners.value.items.map((i) => String((i as { value: unknown }).value));
    } else r.issues.add(owners.at, 'owners must be a list of user:group such as [root:root]');
  }
  const given: Record<CheckField, boolean> = {
    settings: check.settings.length > 0,
    file: check.file !== undefined,
    maxMode: check.maxMode !== undefined,
    owners: check.owners !== undefined,
  };
  for (const needed of CHECKS[check.type].needs) if (!given[needed]) r.issues.add(field.at, `a ${check.type} check needs ${needed}`);
  return check;
}

/** The rules shipped with fleetbench. */
const BUILTIN_RULES_DIR = join(PACKAGE_ROOT, 'rules');

export async function loadRules(path: string = BUILTIN_RULES_DIR): Promise<Rule[]> {
  const names = (await readdir(path)).filter((n) => n.endsWith('.yaml') || n.endsWith('.yml')).sort();
  const rules: Rule[] = [];
  const problems: FileIssuesError[] = [];
  for (const name of names) {
    const file = join(path, name);
    try {
      rules.push(parseRule(await readFile(file, 'utf8'), file));
    } catch (error) {
      if (error instanceof FileIssuesError) problems.push(error);
      else throw error;
    }
  }
  if (problems.length > 0) throw new RuleFileError(problems.flatMap((p) => p.issues));
  const ids = new Set<string>();
  for (const rule of rules) {
    if (ids.has(rule.id)) throw new RuleFileError([{ file: rule.file, line: 0, column: 0, message: `duplicate rule id ${rule.id}` }]);
    ids.add(rule.id);
  }
  return rules;
}
