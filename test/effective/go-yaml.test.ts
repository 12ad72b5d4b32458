import { describe, expect, it } from 'vitest';
import { readGoYaml, resolvePlain } from '../../src/effective/go-yaml.js';

// go-yaml v2's resolution of plain scalars (gopkg.in/yaml.v2 v2.4.0 resolve.go resolveMapList and
// resolve()), which decides what etcd, k3s and RKE2 get from their YAML files.
describe('resolvePlain', () => {
  it.each([
    ['y', { kind: 'bool', value: true }],
    ['Yes', { kind: 'bool', value: true }],
    ['ON', { kind: 'bool', value: true }],
    ['n', { kind: 'bool', value: false }],
    ['off', { kind: 'bool', value: false }],
    ['~', { kind: 'null' }],
    ['Null', { kind: 'null' }],
    ['010', { kind: 'int', value: 8n }],
    ['0x1F', { kind: 'int', value: 31n }],
    ['0b101', { kind: 'int', value: 5n }],
    ['1_000', { kind: 'int', value: 1000n }],
    ['-1', { kind: 'int', value: -1n }],
    ['08', { kind: 'float', value: 8 }],
    ['1e3', { kind: 'float', value: 1000 }],
    ['.5', { kind: 'float', value: 0.5 }],
    ['5s', { kind: 'string', value: '5s' }],
    ['2024-01-02', { kind: 'string', value: '2024-01-02' }],
    ['yes please', { kind: 'string', value: 'yes please' }],
    ['TRUE', { kind: 'bool', value: true }],
    ['tRUE', { kind: 'string', value: 'tRUE' }],
  ])('%s', (text, expected) => {
    expect(resolvePlain(text)).toEqual(expected);
  });
});

describe('readGoYaml', () => {
  it('keeps quoted scalars as strings and plain ones resolved', () => {
    const read = readGoYaml('a: "yes"\nb: yes\n');
    expect(read).toMatchObject({
      ok: true,
      root: {
        kind: 'map',
        entries: [
          { key: 'a', value: { kind: 'string', quoted: true } },
          { key: 'b', value: { kind: 'bool', value: true } },
        ],
      },
    });
  });

  it('refuses a merge of something that is not a mapping, as go-yaml does', () => {
    expect(readGoYaml('a: &x 1\nb:\n  <<: *x\n')).toMatchObject({ ok: false, error: expect.stringMatching(/map merge requires map/) as unknown });
  });

  it('stops at alias bombs', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`),
    ].join('\n');
    expect(readGoYaml(`${bomb}\n`)).toMatchObject({ ok: false, error: expect.stringMatching(/too many alias expansions/) as unknown });
  });
});
