import { describe, expect, it } from 'vitest';
import { expandHostPattern, HostPatternError, MAX_HOSTS_PER_PATTERN } from '../../src/inventory/host-pattern.js';

function errorOf(pattern: string): string {
  try {
    expandHostPattern(pattern);
  } catch (error) {
    expect(error).toBeInstanceOf(HostPatternError);
    return (error as HostPatternError).message;
  }
  throw new Error(`expected ${pattern} to be rejected`);
}

describe('expandHostPattern', () => {
  it('returns a pattern without ranges unchanged', () => {
    expect(expandHostPattern('etcd-a.dc1.example')).toEqual(['etcd-a.dc1.example']);
  });

  it('expands a numeric range in the middle of a name', () => {
    expect(expandHostPattern('cp[1:3].dc1.example')).toEqual(['cp1.dc1.example', 'cp2.dc1.example', 'cp3.dc1.example']);
  });

  it('keeps the width of zero-padded bounds', () => {
    expect(expandHostPattern('node[08:11]')).toEqual(['node08', 'node09', 'node10', 'node11']);
    expect(expandHostPattern('n[098:100]')).toEqual(['n098', 'n099', 'n100']);
  });

  it('does not pad bounds without a leading zero', () => {
    expect(expandHostPattern('n[9:11]')).toEqual(['n9', 'n10', 'n11']);
  });

  it('expands letter ranges, lower and upper case', () => {
    expect(expandHostPattern('etcd-[a:d]')).toEqual(['etcd-a', 'etcd-b', 'etcd-c', 'etcd-d']);
    expect(expandHostPattern('rack[X:Z]')).toEqual(['rackX', 'rackY', 'rackZ']);
  });

  it('applies a step, stopping at or before the end', () => {
    expect(expandHostPattern('w[1:10:2]')).toEqual(['w1', 'w3', 'w5', 'w7', 'w9']);
    expect(expandHostPattern('w[01:10:3]')).toEqual(['w01', 'w04', 'w07', 'w10']);
    expect(expandHostPattern('z[a:g:3]')).toEqual(['za', 'zd', 'zg']);
  });

  it('gives the cartesian product of several ranges, leftmost slowest', () => {
    expect(expandHostPattern('r[1:2]-n[a:c]')).toEqual(['r1-na', 'r1-nb', 'r1-nc', 'r2-na', 'r2-nb', 'r2-nc']);
  });

  it('accepts a single-value range', () => {
    expect(expandHostPattern('cp[5:5]')).toEqual(['cp5']);
  });

  it('expands ranges inside an address', () => {
    expect(expandHostPattern('10.0.1.[11:13]')).toEqual(['10.0.1.11', '10.0.1.12', '10.0.1.13']);
  });

  it('rejects a range whose start is after its end', () => {
    expect(errorOf('cp[3:1]')).toBe('bad range "[3:1]": start 3 is after end 1');
    expect(errorOf('cp[f:a]')).toBe('bad range "[f:a]": start f is after end a');
  });

  it('rejects mixed, multi-letter and malformed bounds', () => {
    const help = 'expected [start:end] or [start:end:step] with numbers ([1:3], zero-padded [01:10]) or single letters ([a:f])';
    expect(errorOf('cp[a:3]')).toBe(`bad range "[a:3]": ${help}`);
    expect(errorOf('cp[a:Z]')).toBe(`bad range "[a:Z]": ${help}`);
    expect(errorOf('cp[aa:zz]')).toBe(`bad range "[aa:zz]": ${help}`);
    expect(errorOf('cp[1]')).toBe(`bad range "[1]": ${help}`);
    expect(errorOf('cp[]')).toBe(`bad range "[]": ${help}`);
    expect(errorOf('cp[1:2:3:4]')).toBe(`bad range "[1:2:3:4]": ${help}`);
    expect(errorOf('cp[-1:3]')).toBe(`bad range "[-1:3]": ${help}`);
  });

  it('rejects a zero or non-numeric step', () => {
    expect(errorOf('w[1:10:0]')).toBe('bad range "[1:10:0]": the step must be a whole number of at least 1');
    expect(errorOf('w[1:10:x]')).toBe('bad range "[1:10:x]": the step must be a whole number of at least 1');
  });

  it('rejects zero-padded bounds of different widths', () => {
    expect(errorOf('n[01:100]')).toBe('bad range "[01:100]": zero-padded bounds must have the same number of digits, e.g. [01:10] or [001:100]');
  });

  it('rejects bounds too long to count exactly', () => {
    expect(errorOf('n[1:1234567890123456]')).toBe('bad range "[1:1234567890123456]": bounds may have at most 15 digits');
  });

  it('rejects unbalanced brackets, naming the position', () => {
    expect(errorOf('cp[1:3.example')).toBe('"[" at position 3 is never closed with "]"');
    expect(errorOf('cp[1:[2:3]')).toBe('"[" at position 3 is never closed with "]"');
    expect(errorOf('cp1:3].example')).toBe('"]" at position 6 has no matching "["');
  });

  it(`allows up to ${MAX_HOSTS_PER_PATTERN} hosts and refuses more before building them`, () => {
    const hosts = expandHostPattern('n[1:100]-[1:1000]');
    expect(hosts).toHaveLength(100_000);
    expect(hosts[0]).toBe('n1-1');
    expect(hosts[99_999]).toBe('n100-1000');
    expect(errorOf('n[1:100001]')).toBe('expands to 100001 hosts, more than the limit of 100000 per pattern; split it into smaller ranges');
    expect(errorOf('n[1:999999999999]-[1:999999999999]')).toMatch(/^expands to 9\.99\S* hosts, more than the limit/);
  });
});
