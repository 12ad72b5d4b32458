import { describe, expect, it } from 'vitest';
import { splitHostKey } from '../../../src/inventory/ansible/host-key.js';

describe('splitHostKey', () => {
  it('reads names, patterns and addresses without a port as they are', () => {
    expect(splitHostKey('node1')).toEqual({ pattern: 'node1' });
    expect(splitHostKey('node[01:50]')).toEqual({ pattern: 'node[01:50]' });
    expect(splitHostKey('db-[a:f:2].example')).toEqual({ pattern: 'db-[a:f:2].example' });
    expect(splitHostKey('fd00::5')).toEqual({ pattern: 'fd00::5' });
  });

  it('splits a port after the only ":" outside ranges, or after a bracketed IPv6 address', () => {
    expect(splitHostKey('node1:2222')).toEqual({ pattern: 'node1', port: 2222 });
    expect(splitHostKey('10.0.0.5:2222')).toEqual({ pattern: '10.0.0.5', port: 2222 });
    expect(splitHostKey('node[1:3]:2201')).toEqual({ pattern: 'node[1:3]', port: 2201 });
    expect(splitHostKey('[fd00::5]:2222')).toEqual({ pattern: 'fd00::5', port: 2222 });
    expect(splitHostKey('[fd00::5]')).toEqual({ pattern: 'fd00::5' });
  });

  it('reports text after ":" that is not a port', () => {
    expect(splitHostKey('node1:ssh')).toEqual({ problem: 'has "ssh" after ":", where a port number belongs (host:port)' });
    expect(splitHostKey('node1:')).toEqual({ problem: 'has "" after ":", where a port number belongs (host:port)' });
  });
});
