import { describe, expect, it } from 'vitest';
import { describeKeys, describeRoute, hopForCluster } from '../../src/inventory/jump-targets.js';
import type { Target } from '../../src/model.js';

const base: Target = { name: 'cp1', cluster: 'dc1', address: '10.0.1.11', port: 22, user: 'ops', roles: ['etcd'], become: true, identityFiles: [] };
const proxy = { command: 'ssh -W 203.0.113.10:22 cloud-gw', shell: '/bin/sh' };
const outer: Target = { ...base, name: 'edge', address: '203.0.113.10', user: 'jump', port: 2222, roles: [], become: false, proxyCommand: proxy };
const inner: Target = { ...base, name: 'inner-gw', address: '10.9.0.1', user: 'gw', roles: [], become: false, jump: outer };

describe('how fleetbench inventory shows the way to a host', () => {
  it('writes a jump chain outermost hop first, as ProxyJump does, with the ProxyCommand the first hop is reached by', () => {
    expect(describeRoute(base)).toBe('');
    expect(describeRoute({ ...base, jump: inner })).toBe('jump@203.0.113.10:2222,gw@10.9.0.1 (edge by ProxyCommand ssh -W 203.0.113.10:22 cloud-gw)');
    expect(describeRoute({ ...base, proxyCommand: { command: 'nc 10.0.1.11 22', shell: '/bin/sh' } })).toBe('ProxyCommand nc 10.0.1.11 22');
  });

  it('says which keys and agent a host is offered', () => {
    expect(describeKeys(base)).toBe('(defaults); agent');
    expect(describeKeys({ ...base, identityFiles: ['/k/a', '/k/b'], identitiesOnly: true, identityAgent: '/run/agent.sock' })).toBe(
      '/k/a,/k/b; agent /run/agent.sock (IdentitiesOnly)',
    );
    expect(describeKeys({ ...base, noDefaultIdentityFiles: true, identityAgent: 'none' })).toBe('(none); no agent');
  });

  it('copies a hop chain for each target, in its cluster, keeping how each hop is reached', () => {
    const copy = hopForCluster(inner, 'dc2');
    expect(copy).toEqual({ ...inner, cluster: 'dc2', jump: { ...outer, cluster: 'dc2' } });
    expect(copy.jump).not.toBe(outer);
  });
});
