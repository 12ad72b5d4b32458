import { describe, expect, it } from 'vitest';
import type { ExpansionVariable } from '../../src/effective/kubelet-expansion.js';
import { expandKubelet } from '../../src/effective/kubelet-expansion.js';

// The kubelet's $(VAR) expansion, row by row from the cases of
// k8s.io/kubernetes third_party/forked/golang/expansion/expand_test.go (TestMapReference, TestMapping).

const variables = new Map<string, ExpansionVariable>([
  ['VAR_A', { value: 'A' }],
  ['VAR_B', { value: 'B' }],
  ['VAR_C', { value: 'C' }],
  ['VAR_EMPTY', { value: '' }],
  ['POD_IP', { value: '', unknown: 'it is set from valueFrom' }],
]);

describe('expandKubelet', () => {
  it.each([
    ['whole string', '$(VAR_A)', 'A'],
    ['repeat', '$(VAR_A)-$(VAR_A)', 'A-A'],
    ['beginning', '$(VAR_A)-1', 'A-1'],
    ['middle', '___$(VAR_B)___', '___B___'],
    ['end', '___$(VAR_C)', '___C'],
    ['compound', '$(VAR_A)_$(VAR_B)_$(VAR_C)', 'A_B_C'],
    ['escape and reference', '$$$(VAR_A)', '$A'],
    ['escaped reference', '$$(VAR_A)', '$(VAR_A)'],
    ['double escape', '$$$$(VAR_A)', '$$(VAR_A)'],
    ['undefined: kept as written', '$(VAR_DNE)', '$(VAR_DNE)'],
    ['empty value', '$(VAR_EMPTY)', ''],
    ['unclosed reference', '$(VAR_A', '$(VAR_A'],
    ['unclosed after a reference', '$(VAR_A)$(VAR_B', 'A$(VAR_B'],
    ['operator before something else', '$VAR_A', '$VAR_A'],
    ['trailing operator', 'foo$', 'foo$'],
    ['lone operator', '$', '$'],
    ['empty name', '$()', '$()'],
    ['nested parenthesis: the first closer ends the name', '$(VAR_A(B))', '$(VAR_A(B))'],
    ['no expansion', 'foo', 'foo'],
  ])('%s: %s', (_, input, value) => {
    expect(expandKubelet(input, variables)).toEqual({ value, unknownNames: [] });
  });

  it('names a variable whose value cannot be known here, and only when it is used', () => {
    expect(expandKubelet('--advertise-client-urls=https://$(POD_IP):2379', variables)).toEqual({
      value: '--advertise-client-urls=https://$(POD_IP):2379',
      unknownNames: ['POD_IP'],
    });
    expect(expandKubelet('$$(POD_IP)', variables)).toEqual({ value: '$(POD_IP)', unknownNames: [] });
  });
});
