import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BENCHMARKS } from '../../src/rules/benchmarks.js';
import { CHECKS } from '../../src/rules/checks/index.js';
import { loadRules, parseRule, RuleFileError } from '../../src/rules/rule-file.js';

// The rule loader: a rule file is data a user may write, so every problem is reported with its
// file, line and column, all of them at once.

const controls = `{ ${BENCHMARKS.map((v) => `"${v}": "2.2"`).join(', ')} }`;
const modes = `{ ${BENCHMARKS.map((v) => `"${v}": "600"`).join(', ')} }`;

/** A valid rule file named x.yaml, with `changes` replacing or adding top-level lines by key (a null value drops the key). */
function ruleText(changes: Record<string, string | null> = {}): string {
  const fields: Record<string, string | null> = {
    id: 'x',
    title: 'Ensure that x',
    component: 'etcd',
    controls,
    appliesTo: 'all',
    check: '\n  type: flag-true\n  settings: [client-cert-auth]',
    rationale: 'because',
    remediation: 'do it',
    ...changes,
  };
  return Object.entries(fields)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([key, value]) => `${key}: ${value}`)
    .join('\n');
}

/** The issues parseRule reports, as `line:column message`. */
function issues(text: string, file = 'rules/x.yaml'): string[] {
  try {
    parseRule(text, file);
  } catch (error) {
    if (!(error instanceof RuleFileError)) throw error;
    return error.issues.map((issue) => `${issue.line}:${issue.column} ${issue.message}`);
  }
  return [];
}

describe('parseRule', () => {
  it('reads a valid rule', () => {
    const text = ruleText({ check: `\n  type: file-mode\n  file: etcd-manifest\n  maxMode: ${modes}` });
    expect(parseRule(text, 'rules/x.yaml')).toEqual({
      id: 'x',
      title: 'Ensure that x',
      component: 'etcd',
      controls: Object.fromEntries(BENCHMARKS.map((v) => [v, '2.2'])),
      appliesTo: 'all',
      check: { type: 'file-mode', settings: [], file: 'etcd-manifest', maxMode: Object.fromEntries(BENCHMARKS.map((v) => [v, 0o600])) },
      rationale: 'because',
      remediation: 'do it',
      file: 'rules/x.yaml',
    });
  });

  /** A row: the rule text and each issue it must raise, placed at the first occurrence of its needle. */
  const row = (name: string, text: string, ...expected: [needle: string, message: string][]) => ({
    name,
    text,
    issues: expected.map(([needle, message]) => {
      const before = text.slice(0, text.indexOf(needle)).split('\n');
      return `${before.length}:${before.at(-1)!.length + 1} ${message}`;
    }),
  });
  const allowed = 'allowed keys: id, title, component, controls, appliesTo, check, rationale, remediation';
  const types = Object.keys(CHECKS).join(', ');
  const rows = [
    row(
      'every field missing',
      'id: x\n',
      ...['title', 'component', 'controls (the CIS control number per benchmark version)', 'appliesTo', 'check', 'rationale', 'remediation'].map(
        (field): [string, string] => ['id', `missing ${field}`],
      ),
    ),
    row('an unknown key', ruleText({ tittle: 'x' }), ['tittle', `unknown key "tittle" in a rule; ${allowed}`]),
    row(
      'a key in the wrong case',
      ruleText({ appliesTo: null, appliesto: 'all' }),
      ['id', 'missing appliesTo'],
      ['appliesto', `unknown key "appliesto" in a rule (did you mean "appliesTo"?); ${allowed}`],
    ),
    row('a list for text', ruleText({ title: '[a, b]' }), [
      '[a, b]',
      'title must be text, got a list (quote a value that starts with "[", e.g. "[a:c].example")',
    ]),
    row('a number for text', ruleText({ rationale: '1234' }), ['1234', 'rationale must be text, got the number 1234']),
    row('an unknown component', ruleText({ component: 'kubelet' }), ['kubelet', 'component must be one of etcd, kube-apiserver, got "kubelet"']),
    row('an unknown appliesTo', ruleText({ appliesTo: 'single' }), ['single', 'appliesTo must be one of all, multi-member, got "single"']),
    row('an id that is not the file name', ruleText({ id: 'y' }), ['y', 'id "y" must match the file name (x)']),
    row('a benchmark without a control number', ruleText({ controls: controls.replace(', "1.12": "2.2"', '') }), [
      '{ "1.5"',
      'controls has no entry for benchmark 1.12',
    ]),
    row('a control number of another shape', ruleText({ controls: controls.replace('"1.12": "2.2"', '"1.12": "2.x"') }), [
      '"2.x"',
      'control number must look like 2.2 or 1.2.26 (or - for a check of fleetbench\'s own), got "2.x"',
    ]),
    row('a benchmark fleetbench does not know', ruleText({ controls: controls.replace(' }', ', "1.7": "2.2" }') }), [
      '"1.7"',
      `unknown key "1.7" in controls; allowed keys: ${BENCHMARKS.join(', ')}`,
    ]),
    row('a key that is not text', ruleText({ '1234': 'x' }), ['1234', 'keys in a rule must be text, got the number 1234; quote it if it is meant as a name']),
    row(
      'settings with a number among them',
      ruleText({ check: '\n  type: flags-set\n  settings: [cert-file, 2]' }),
      ['type: flags-set', 'a flags-set check needs settings'],
      ['[cert-file, 2]', 'settings must be a list of flag names such as [cert-file, key-file]'],
    ),
    row('a check without a type', ruleText({ check: '\n  settings: [a]' }), ['settings', `check needs a type (${types})`]),
    row('an unknown check type', ruleText({ check: '\n  type: flag-false\n  settings: [a]' }), [
      'flag-false',
      `check type must be one of ${types}, got "flag-false"`,
    ]),
    row('an unknown check key', ruleText({ check: '\n  type: unique-ca\n  command: rm' }), [
      'command',
      'unknown key "command" in check; allowed keys: type, settings, file, maxMode, owners',
    ]),
    row(
      'settings that are not a list of names',
      ruleText({ check: '\n  type: flag-true\n  settings: client-cert-auth' }),
      ['type: flag-true', 'a flag-true check needs settings'],
      ['client-cert-auth', 'settings must be a list of flag names such as [cert-file, key-file]'],
    ),
    row(
      'a file fleetbench does not know',
      ruleText({ check: `\n  type: file-mode\n  file: /etc/passwd\n  maxMode: ${modes}` }),
      ['type: file-mode', 'a file-mode check needs file'],
      ['/etc/passwd', 'file must be etcd-manifest or etcd-data-dir, got "/etc/passwd"'],
    ),
    row(
      'a mode that is not octal text',
      ruleText({ check: `\n  type: file-mode\n  file: etcd-manifest\n  maxMode: ${modes.replace('"1.12": "600"', '"1.12": "rw"')}` }),
      ['"rw"', 'a mode must be octal text such as "600", got "rw"'],
    ),
    row('a benchmark without a mode', ruleText({ check: `\n  type: file-mode\n  file: etcd-manifest\n  maxMode: ${modes.replace(', "1.12": "600"', '')}` }), [
      '{ "1.5": "600"',
      'maxMode has no entry for benchmark 1.12',
    ]),
    row(
      'owners that are not user:group',
      ruleText({ check: '\n  type: file-owner\n  file: etcd-data-dir\n  owners: [root]' }),
      ['type: file-owner', 'a file-owner check needs owners'],
      ['[root]', 'owners must be a list of user:group such as [root:root]'],
    ),
    row('a syntax error', 'id: x\ntitle: a: b\n', ['a: b', 'Nested mappings are not allowed in compact mappings']),
    row('a key given twice', 'id: x\nid: y\n', ['id: y', 'Map keys must be unique']),
    row('a tab for indentation', 'id: x\n\ttitle: y\n', ['\t', 'Tabs are not allowed as indentation']),
  ];

  it.each(rows)('reports $name', ({ text, issues: expected }) => {
    expect(issues(text)).toEqual(expected);
  });

  it.each(Object.entries(CHECKS).filter(([, kind]) => kind.needs.length > 0))('says what a %s check needs', (type, kind) => {
    expect(issues(ruleText({ check: `\n  type: ${type}` }))).toEqual(kind.needs.map((needed) => `7:3 a ${type} check needs ${needed}`));
  });

  it('reads a check kind that needs nothing more from its type alone', () => {
    expect(parseRule(ruleText({ check: '\n  type: unique-ca' }), 'rules/x.yaml').check).toEqual({ type: 'unique-ca', settings: [] });
  });

  it('reports a value of the wrong kind first, before what is then missing from it', () => {
    expect(issues('- id: x\n')[0]).toBe('1:1 a rule must be a mapping (key: value lines), got a list');
    expect(issues(ruleText({ controls: '"2.2"' }))[0]).toBe('4:11 controls must be a mapping (key: value lines), got the text "2.2"');
    expect(issues(ruleText({ check: 'flag-true' }))[0]).toBe('6:8 check must be a mapping (key: value lines), got the text "flag-true"');
    expect(issues(ruleText({ check: '\n  type: file-mode\n  file: etcd-data-dir\n  maxMode: "700"' }))[0]).toBe(
      '9:12 maxMode must be a mapping (key: value lines), got the text "700"',
    );
  });

  it('says it all in the message, file:line:column each', () => {
    expect(() => parseRule(ruleText({ id: 'y', component: 'kubelet' }), 'rules/x.yaml')).toThrow(
      'rules/x.yaml:1:5: id "y" must match the file name (x)\nrules/x.yaml:3:12: component must be one of etcd, kube-apiserver, got "kubelet"',
    );
  });
});

describe('loadRules', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });
  async function rulesDir(files: Record<string, string>): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), 'fleetbench-rules-'));
    await mkdir(dir, { recursive: true });
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    return dir;
  }

  it('loads every shipped rule, each id its file name, in file order', async () => {
    const rules = await loadRules();
    expect(rules.length).toBe(14);
    for (const r of rules) expect(r.file.endsWith(`/rules/${r.id}.yaml`)).toBe(true);
    expect(rules.map((r) => r.id)).toEqual([...rules.map((r) => r.id)].sort());
  });

  it('reads .yaml and .yml files only', async () => {
    const path = await rulesDir({ 'a.yaml': ruleText({ id: 'a' }), 'b.yml': ruleText({ id: 'b' }), 'README.md': '# not a rule' });
    expect((await loadRules(path)).map((r) => r.id)).toEqual(['a', 'b']);
  });

  it('reports the problems of every file at once', async () => {
    const path = await rulesDir({
      'a.yaml': ruleText({ id: 'a', component: 'kubelet' }),
      'b.yaml': ruleText({ id: 'b', appliesTo: 'some' }),
      'c.yaml': ruleText({ id: 'c' }),
    });
    const error = await loadRules(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuleFileError);
    expect((error as RuleFileError).issues.map((i) => `${i.file.slice(path.length + 1)}:${i.line}:${i.column}`)).toEqual(['a.yaml:3:12', 'b.yaml:5:12']);
  });

  it('refuses two files with the same id', async () => {
    const path = await rulesDir({ 'a.yaml': ruleText({ id: 'a' }), 'a.yml': ruleText({ id: 'a' }) });
    const error = await loadRules(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuleFileError);
    expect((error as RuleFileError).issues).toEqual([{ file: join(path, 'a.yml'), line: 0, column: 0, message: 'duplicate rule id a' }]);
  });
});
