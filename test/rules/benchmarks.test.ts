import { expect, it } from 'vitest';
import { benchmarkName, parseBenchmark } from '../../src/rules/benchmarks.js';

it.each([
  ['1.12', '1.12'],
  ['cis-1.12', '1.12'],
  ['CIS-1.5', '1.5'],
  ['cis1.8', '1.8'],
  ['v1.10', '1.10'],
  [' 1.9 ', '1.9'],
  ['1.7', undefined],
  ['1.1', undefined],
  ['cis-', undefined],
  ['', undefined],
])('parseBenchmark(%j) is %s', (text, version) => {
  expect(parseBenchmark(text)).toBe(version);
});

it('names a benchmark as results do', () => {
  expect(benchmarkName('1.12')).toBe('cis-1.12');
});
