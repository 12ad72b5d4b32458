import { LineCounter, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { InventoryError } from '../../src/inventory/errors.js';
import { IssueList } from '../../src/yaml/issue-list.js';
import { describe as describeNode, follow, isEmpty, readList, readMapping, readText } from '../../src/yaml/yaml-read.js';
import type { YamlReader } from '../../src/yaml/yaml-read.js';

function readerFor(text: string): { r: YamlReader; messages: () => string[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const r = { doc, issues: new IssueList('f.yaml', lineCounter, (found) => new InventoryError(found)) };
  const messages = (): string[] => {
    try {
      r.issues.throwIfAny();
    } catch (error) {
      if (error instanceof InventoryError) return error.message.split('\n');
      throw error;
    }
    return [];
  };
  return { r, messages };
}

const AT_START = { range: [0, 0, 0] as [number, number, number] };

describe('readMapping', () => {
  it('returns known keys in file order and reports unknown ones with the allowed list', () => {
    const { r, messages } = readerFor('user: ops\nUSER: x\njump: bastion\nport: 22\n');
    const fields = readMapping(r, follow(r, r.doc.contents), AT_START, 'defaults', ['user', 'port']);
    expect([...(fields?.keys() ?? [])]).toEqual(['user', 'port']);
    expect(messages()).toEqual([
      'f.yaml:2:1: unknown key "USER" in defaults (did you mean "user"?); allowed keys: user, port',
      'f.yaml:3:1: unknown key "jump" in defaults; allowed keys: user, port',
    ]);
  });

  it('reports a value that is not a mapping, and non-text keys', () => {
    const { r, messages } = readerFor('- a\n');
    expect(readMapping(r, follow(r, r.doc.contents), AT_START, 'the inventory', [])).toBeUndefined();
    const other = readerFor('22: x\n');
    expect(readMapping(other.r, follow(other.r, other.r.doc.contents), AT_START, 'a host', ['name'])?.size).toBe(0);
    expect(messages()).toEqual(['f.yaml:1:1: the inventory must be a mapping (key: value lines), got a list']);
    expect(other.messages()).toEqual(['f.yaml:1:1: keys in a host must be text, got the number 22; quote it if it is meant as a name']);
  });

  it('follows aliases to the anchored node', () => {
    const { r, messages } = readerFor('base: &b { user: ops }\nother: *b\n');
    const top = readMapping(r, follow(r, r.doc.contents), AT_START, 'top', ['base', 'other']);
    const other = top?.get('other');
    const inner = other && readMapping(r, other.value, other.at, 'other', ['user']);
    const user = inner?.get('user');
    expect(user && readText(r, user)).toBe('ops');
    expect(messages()).toEqual([]);
  });
});

describe('readText and readList', () => {
  it('report the wrong type at the value', () => {
    const { r, messages } = readerFor('name: [a]\nroles: etcd\n');
    const top = readMapping(r, follow(r, r.doc.contents), AT_START, 'top', ['name', 'roles']);
    const name = top?.get('name');
    const roles = top?.get('roles');
    expect(name && readText(r, name)).toBeUndefined();
    expect(roles && readList(r, roles, '[etcd]')).toBeUndefined();
    expect(messages()).toEqual([
      'f.yaml:1:7: name must be text, got a list (quote a value that starts with "[", e.g. "[a:c].example")',
      'f.yaml:2:8: roles must be a list such as [etcd], got the text "etcd"',
    ]);
  });
});

describe('describe and isEmpty', () => {
  it('say what a value is in words', () => {
    const { r } = readerFor('a: x\nb: 5\nc: true\nd:\ne: {}\nf: []\n');
    const top = readMapping(r, follow(r, r.doc.contents), AT_START, 'top', ['a', 'b', 'c', 'd', 'e', 'f']);
    const described = ['a', 'b', 'c', 'd', 'e', 'f'].map((key) => describeNode(top?.get(key)?.value ?? null));
    expect(described).toEqual(['the text "x"', 'the number 5', 'true', 'nothing', 'a mapping', 'a list']);
    expect(isEmpty(top?.get('d')?.value ?? null)).toBe(true);
    expect(isEmpty(top?.get('e')?.value ?? null)).toBe(false);
    expect(isEmpty(null)).toBe(true);
  });
});
