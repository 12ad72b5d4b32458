// Typed reads from a parsed YAML document that report what is wrong, and where, instead of
// throwing, so that one run of the validator finds every problem in the file.

import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Document, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { IssueList, Located } from './issue-list.js';

/** A node with aliases (`*name`) already followed. */
export type ValueNode = Scalar | YAMLMap | YAMLSeq;

export interface YamlReader {
  doc: Document;
  issues: IssueList;
}

/** One `key: value` of a mapping. */
export interface Field {
  key: Scalar;
  name: string;
  value: ValueNode | null;
  /** Where to point for a problem with the value: the value, or the key when the value is missing. */
  at: Located;
}

export function follow(r: YamlReader, node: unknown): ValueNode | null {
  if (isAlias(node)) return node.resolve(r.doc) ?? null;
  return isScalar(node) || isMap(node) || isSeq(node) ? node : null;
}

/** How a value reads to a user, for "must be X, got Y" messages. */
export function describe(node: ValueNode | null): string {
  if (node === null) return 'nothing';
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  const value: unknown = node.value;
  if (value === null || value === undefined) return 'nothing';
  if (typeof value === 'string') return `the text ${JSON.stringify(value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  return 'a value of another type';
}

/** Whether the node is absent or an empty value (`key:` with nothing after it). */
export function isEmpty(node: ValueNode | null): boolean {
  return node === null || (isScalar(node) && (node.value === null || node.value === undefined));
}

/**
 * Reads a mapping whose keys must come from `allowed`. Unknown keys are reported with the
 * list of allowed ones (and a hint when only the case differs), then skipped.
 */
export function readMapping(r: YamlReader, node: ValueNode | null, at: Located, what: string, allowed: readonly string[]): Map<string, Field> | undefined {
  if (!isMap(node)) {
    r.issues.add(node, `${what} must be a mapping (key: value lines), got ${describe(node)}`, at);
    return undefined;
  }
  const fields = new Map<string, Field>();
  for (const field of readPairs(r, node, what)) {
    if (allowed.includes(field.name)) {
      fields.set(field.name, field);
      continue;
    }
    const sameButCase = allowed.find((key) => key.toLowerCase() === field.name.toLowerCase());
    const hint = sameButCase === undefined ? '' : ` (did you mean "${sameButCase}"?)`;
    r.issues.add(field.key, `unknown key ${JSON.stringify(field.name)} in ${what}${hint}; allowed keys: ${allowed.join(', ')}`);
  }
  return fields;
}

/** The pairs of a mapping whose keys are text, in file order; other keys are reported. */
export function readPairs(r: YamlReader, map: YAMLMap, what: string): Field[] {
  const fields: Field[] = [];
  for (const pair of map.items) {
    const key = follow(r, pair.key);
    if (!isScalar(key) || typeof key.value !== 'string') {
      r.issues.add(key, `keys in ${what} must be text, got ${describe(key)}; quote it if it is meant as a name`, map);
      continue;
    }
    const value = follow(r, pair.value);
    fields.push({ key, name: key.value, value, at: value ?? key });
  }
  return fields;
}

/** The text of a field, or undefined (reported) when it is something else. */
export function readText(r: YamlReader, field: Field): string | undefined {
  if (isScalar(field.value) && typeof field.value.value === 'string') return field.value.value;
  r.issues.add(field.at, `${field.name} must be text, got ${describe(field.value)}${quoteHint(field.value)}`);
  return undefined;
}

/** YAML reads a value starting with "[" as a list, which catches host patterns such as `[a:c].example`. */
export function quoteHint(node: ValueNode | null): string {
  return isSeq(node) ? ' (quote a value that starts with "[", e.g. "[a:c].example")' : '';
}

/** The items of a list field, or undefined (reported) when it is something else. */
export function readList(r: YamlReader, field: Field, example: string): (ValueNode | null)[] | undefined {
  if (isSeq(field.value)) return field.value.items.map((item) => follow(r, item));
  r.issues.add(field.at, `${field.name} must be a list such as ${example}, got ${describe(field.value)}`);
  return undefined;
}
