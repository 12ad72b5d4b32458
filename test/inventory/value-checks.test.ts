import { describe, expect, it } from 'vitest';
import { clusterNameProblem, hostProblem, isPort, userProblem } from '../../src/inventory/value-checks.js';

describe('hostProblem', () => {
  it('accepts host names, IPv4 and IPv6 literals', () => {
    for (const ok of ['cp1', 'cp1.dc1.example.com', 'etcd_a.lab', '10.0.1.11', 'fd00:10:2::30', '::1', '::ffff:10.0.0.1']) {
      expect(hostProblem(ok), ok).toBeUndefined();
    }
  });

  it('rejects empty values and option-like values', () => {
    expect(hostProblem('')).toBe('is empty');
    expect(hostProblem('-oProxyCommand=sh')).toBe('starts with "-", which ssh would read as an option');
  });

  it('rejects whitespace and control characters', () => {
    expect(hostProblem('cp1 cp2')).toBe('contains whitespace or a control character');
    expect(hostProblem('cp1\n')).toBe('contains whitespace or a control character');
    expect(hostProblem('cp1\u0007')).toBe('contains whitespace or a control character');
  });

  it('rejects characters outside host names, naming the first one', () => {
    expect(hostProblem('cp1;reboot')).toBe('contains ";", which is not allowed in a host name (letters, digits, ".", "-" and "_" are)');
    expect(hostProblem('root@cp1')).toBe('contains "@", which is not allowed in a host name (letters, digits, ".", "-" and "_" are)');
    expect(hostProblem('$(id)')).toBe('contains "$", which is not allowed in a host name (letters, digits, ".", "-" and "_" are)');
    expect(hostProblem('ćp1')).toBe('contains "ć", which is not allowed in a host name (letters, digits, ".", "-" and "_" are)');
  });

  it('rejects malformed labels', () => {
    expect(hostProblem('cp1..example')).toBe('has an empty label (a leading, trailing or doubled ".")');
    expect(hostProblem('.cp1')).toBe('has an empty label (a leading, trailing or doubled ".")');
    expect(hostProblem('cp1.example.')).toBe('has an empty label (a leading, trailing or doubled ".")');
    expect(hostProblem('cp1-.example')).toBe('has a label (part between dots) that starts or ends with "-"');
    expect(hostProblem(`${'a'.repeat(64)}.example`)).toBe('has a label (part between dots) longer than 63 characters');
    expect(hostProblem(`${'a.'.repeat(127)}ab`)).toBe('is longer than 253 characters');
  });

  it('rejects invalid IPv4 and IPv6 literals', () => {
    const ipv4 = 'looks like an IPv4 address but is not one (four numbers 0-255, no leading zeros)';
    expect(hostProblem('10.0.1.300')).toBe(ipv4);
    expect(hostProblem('10.0.1')).toBe(ipv4);
    expect(hostProblem('010.0.1.1')).toBe(ipv4);
    const ipv6 = 'is not a valid IPv6 address (write it without brackets or zone, e.g. fd00:10::11)';
    expect(hostProblem('[fd00::1]')).toBe(ipv6);
    expect(hostProblem('fe80::1%eth0')).toBe(ipv6);
    expect(hostProblem('fd00:::1')).toBe(ipv6);
    expect(hostProblem('cp1:22')).toBe(ipv6);
  });
});

describe('userProblem', () => {
  it('accepts POSIX user names', () => {
    for (const ok of ['audit', 'ops', '_svc', 'svc.audit-2', 'a'.repeat(32)]) expect(userProblem(ok), ok).toBeUndefined();
  });

  it('rejects empty, long and malformed names', () => {
    const malformed = 'is not a valid user name (it must start with a letter or "_" and contain only letters, digits, "_", "." and "-")';
    expect(userProblem('')).toBe('is empty');
    expect(userProblem('a'.repeat(33))).toBe('is longer than 32 characters');
    expect(userProblem('9ops')).toBe(malformed);
    expect(userProblem('-oops')).toBe(malformed);
    expect(userProblem('ops user')).toBe(malformed);
    expect(userProblem('ops@corp')).toBe(malformed);
  });
});

describe('clusterNameProblem', () => {
  it('accepts names of letters, digits, "_", "." and "-"', () => {
    expect(clusterNameProblem('prod-dc1')).toBeUndefined();
    expect(clusterNameProblem('2024.lab_a')).toBeUndefined();
  });

  it('rejects other names', () => {
    expect(clusterNameProblem('')).toBe('is empty');
    expect(clusterNameProblem('prod dc1')).toBe(
      'is not a valid cluster name (it must start with a letter or digit and contain only letters, digits, "_", "." and "-")',
    );
    expect(clusterNameProblem('-prod')).toMatch(/^is not a valid cluster name/);
    expect(clusterNameProblem('x'.repeat(64))).toBe('is longer than 63 characters');
  });
});

describe('isPort', () => {
  it('accepts whole numbers from 1 to 65535 only', () => {
    expect([1, 22, 2222, 65535].map(isPort)).toEqual([true, true, true, true]);
    expect([0, -22, 65536, 22.5, Number.NaN].map(isPort)).toEqual([false, false, false, false, false]);
  });
});
