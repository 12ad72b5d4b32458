import { describe, expect, it } from 'vitest';
import { isMap, isSeq } from 'yaml';
import { parseYamlSource, scalarString } from '../../src/effective/yaml-source.js';

describe('parseYamlSource', () => {
  it('gives the line of every node', () => {
    const source = parseYamlSource('a: 1\nb:\n  - x\n  - y\n');
    const root = source.doc.contents;
    const b = isMap(root) ? root.get('b', true) : undefined;
    expect(isSeq(b) && b.items.map((item) => source.lineOf(item))).toEqual([3, 4]);
    expect(source.lineOf(undefined)).toBeUndefined();
  });

  it('returns parse errors instead of throwing them', () => {
    expect(parseYamlSource('a: [1\nb: 2\n').errors).toEqual([expect.stringMatching(/Flow sequence/)]);
  });

  it('accepts a key given twice, as go-yaml does', () => {
    expect(parseYamlSource('a: 1\na: 2\n').errors).toEqual([]);
  });

  it('reads yes/no/on/off as booleans only in YAML 1.1', () => {
    const value = (text: string, yaml11: boolean) => (parseYamlSource(text, { yaml11 }).doc.toJS() as { a: unknown }).a;
    expect([value('a: yes', true), value('a: off', true), value('a: yes', false)]).toEqual([true, false, 'yes']);
  });
});

describe('scalarString: a value as the text a Go program gets', () => {
  it.each([
    ['text', 'text'],
    [2379, '2379'],
    [0.5, '0.5'],
    [true, 'true'],
    [10n, '10'],
    [null, ''],
    [undefined, ''],
    [{ a: 1 }, '{"a":1}'],
  ])('%s -> %s', (value, text) => {
    expect(scalarString(value)).toBe(text);
  });
});
