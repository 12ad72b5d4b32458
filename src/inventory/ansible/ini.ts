// Ansible INI inventories (kubespray's sample inventory is one: inventory/sample/inventory.ini),
// read as Ansible's ini inventory plugin reads them, into the same tree as a YAML inventory:
// - lines are stripped; empty ones and those starting with # or ; are skipped;
// - `[group]`, `[group:children]` and `[group:vars]` start sections (a # comment may follow);
//   host lines before the first section are hosts of `ungrouped`;
// - a host line is `pattern[:port] key=value ...`, split as shlex splits it, # starting a
//   comment; a vars line is `key = value`; a children line is a group name;
// - values are read as Python literals (2222 a number, True a boolean, 'text' text, ['a'] a
//   list), anything else as the text it is;
// - a group named in a children line, or given a :vars section, must have a section of its own.

import { LineCounter, Scalar, YAMLSeq } from 'yaml';
import { ALL, AnsibleTreeBuilder, emptyTree, finishTree } from './tree.js';
import type { AnsibleGroup, AnsibleTree, WrittenVar } from './tree.js';
import { InventoryError } from '../errors.js';
import { splitShellWords } from './shell-words.js';
import { IssueList } from '../../yaml/issue-list.js';
import type { Located } from '../../yaml/issue-list.js';
import type { ValueNode } from '../../yaml/yaml-read.js';

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/;
const UNGROUPED = 'ungrouped';

/** The tree of an INI inventory, and the list its problems (and later ones about its values) go to. */
export function readIniTree(text: string, file: string): { tree: AnsibleTree; issues: IssueList } {
  const tree = emptyTree();
  const issues = addIniFile(text, file, tree);
  return { tree: finishTree(tree), issues };
}

/**
 * Adds what one INI file of an inventory made of several (a folder) says to `tree`; returns the
 * list its problems go to. `finishTree` once every file is read.
 */
export function addIniFile(text: string, file: string, tree: AnsibleTree): IssueList {
  const lines = splitLines(text);
  const lineCounter = new LineCounter();
  for (const line of lines) lineCounter.addNewLine(line.start);
  const issues = new IssueList(file, lineCounter, (found) => new InventoryError(found));
  const builder = new AnsibleTreeBuilder(issues, tree);
  // Groups with a [name] or [name:children] section; `all` and `ungrouped` always exist, and so
  // do the groups of files read before this one.
  const declared = new Set([ALL, UNGROUPED, ...tree.groups.keys()]);
  const references: { name: string; at: Located; message: string }[] = [];

  let group: AnsibleGroup | undefined;
  let state = 'hosts';
  // After a section that could not be read, its lines are skipped rather than put elsewhere.
  let skipping = false;
  for (const { start, raw } of lines) {
    const indent = raw.length - raw.trimStart().length;
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const at = located(start + indent);
    const section = SECTION.exec(line);
    if (section) {
      const [, name, kind = 'hosts'] = section as unknown as [string, string, string | undefined];
      if (kind !== 'hosts' && kind !== 'children' && kind !== 'vars') {
        builder.problem(at, `section [${name}:${kind}] has an unknown type "${kind}": a section is [group], [group:children] or [group:vars]`);
        skipping = true;
        continue;
      }
      skipping = false;
      group = builder.ensureGroup(name, at);
      state = kind;
      if (kind === 'vars') references.push({ name, at, message: `section [${name}:vars] is for a group that has no [${name}] or [${name}:children] section` });
      else declared.add(name);
      continue;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      builder.problem(at, `invalid section ${JSON.stringify(line)}: write [group], [group:children] or [group:vars], with no spaces`);
      skipping = true;
      continue;
    }
    if (skipping) continue;
    group ??= builder.ensureGroup(UNGROUPED, at);
    if (state === 'hosts') hostLine(builder, group, raw, start, at);
    else if (state === 'vars') varsLine(builder, group, raw, start, at);
    else {
      const child = GROUP_NAME.exec(line)?.[1];
      if (child === undefined) {
        builder.problem(at, `expected a group name in [${group.name}:children], got ${JSON.stringify(line)}`);
        continue;
      }
      builder.addChild(group, builder.ensureGroup(child, at), at);
      references.push({ name: child, at, message: `[${group.name}:children] names group "${child}", which has no [${child}] or [${child}:children] section` });
    }
  }
  for (const reference of references) if (!declared.has(reference.name)) builder.problem(reference.at, reference.message);
  return issues;
}

function hostLine(builder: AnsibleTreeBuilder, group: AnsibleGroup, raw: string, start: number, at: Located): void {
  const split = splitShellWords(raw, { comments: true });
  if ('problem' in split) {
    builder.problem(at, `the host line ${JSON.stringify(raw.trim())} ${split.problem}`);
    return;
  }
  const [key, ...assignments] = split.words;
  if (key === undefined) return;
  if (key.endsWith(':')) {
    builder.problem(at, `host ${JSON.stringify(key)} ends with ":", which is reserved for a port (host:port)`);
    return;
  }
  const vars: WrittenVar[] = [];
  for (const assignment of assignments) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) {
      builder.problem(at, `expected key=value after host ${JSON.stringify(key)}, got ${JSON.stringify(assignment)}`);
      return;
    }
    const name = assignment.slice(0, eq);
    // Problems with a value point at it (as in a YAML inventory); where it starts after quoting is a good guess.
    const column = raw.indexOf(`${name}=`);
    const where = column < 0 ? at : located(start + column + name.length + 1);
    vars.push({ name, value: pythonLiteral(assignment.slice(eq + 1), where), at: where });
  }
  builder.addHosts(group, key, at, vars);
}

function varsLine(builder: AnsibleTreeBuilder, group: AnsibleGroup, raw: string, start: number, at: Located): void {
  const eq = raw.indexOf('=');
  if (eq < 0) {
    builder.problem(at, `expected key=value in [${group.name}:vars], got ${JSON.stringify(raw.trim())}`);
    return;
  }
  const name = raw.slice(0, eq).trim();
  const valueText = raw.slice(eq + 1).trim();
  const valueAt = located(start + raw.indexOf(valueText, eq + 1));
  builder.setGroupVar(group, { name, value: pythonLiteral(valueText, valueAt), at: valueText === '' ? at : valueAt });
}

/**
 * A value as Python's ast.literal_eval reads it, for the literals inventories use; anything it
 * would refuse is the text itself, as Ansible keeps it. A comment after a literal is Python's.
 */
function pythonLiteral(text: string, at: Located): ValueNode {
  const literal = readLiteral(text) ?? readLiteral(text.replace(/\s+#.*$/, ''));
  const node = literal instanceof YAMLSeq ? literal : new Scalar(literal === undefined ? text : literal.value);
  node.range = at.range ? [...at.range] : null;
  return node;
}

function readLiteral(text: string): { value: string | number | boolean | null } | YAMLSeq | undefined {
  const trimmed = text.trim();
  if (trimmed === 'True' || trimmed === 'False') return { value: trimmed === 'True' };
  if (trimmed === 'None') return { value: null };
  if (/^[+-]?(0|[1-9][0-9]*)$/.test(trimmed)) return { value: Number(trimmed) };
  if (/^[+-]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(trimmed)) return { value: Number(trimmed) };
  const quoted = /^(['"])(.*)\1$/s.exec(trimmed);
  if (quoted && !unescaped(quoted[2]!, quoted[1]!)) return { value: unescape(quoted[2]!) };
  const list = /^\[(.*)\]$/s.exec(trimmed);
  if (list) {
    const seq = new YAMLSeq();
    const inner = list[1]!.trim();
    if (inner === '') return seq;
    for (const item of inner.replace(/,\s*$/, '').split(',')) {
      const read = readLiteral(item);
      if (read === undefined || read instanceof YAMLSeq) return undefined;
      seq.items.push(new Scalar(read.value));
    }
    return seq;
  }
  return undefined;
}

/** Whether the quote also appears unescaped inside: then the text is not one literal. */
function unescaped(inner: string, quote: string): boolean {
  return new RegExp(`(^|[^\\\\])(\\\\\\\\)*${quote}`).test(inner);
}

function unescape(inner: string): string {
  return inner.replace(/\\(.)/g, (_, ch: string) => ({ n: '\n', t: '\t', r: '\r' })[ch] ?? ch);
}

function located(offset: number): Located {
  return { range: [offset, offset, offset] };
}

function splitLines(text: string): { start: number; raw: string }[] {
  const lines: { start: number; raw: string }[] = [];
  let start = 0;
  for (const raw of text.split('\n')) {
    lines.push({ start, raw: raw.endsWith('\r') ? raw.slice(0, -1) : raw });
    start += raw.length + 1;
  }
  return lines;
}
