import { describe, expect, it } from 'vitest';
import { applyLimit, LimitError, splitLimit } from '../../src/inventory/limit.js';
import type { Inventory, Role, Target } from '../../src/model.js';
import { thrownMessage } from '../support/thrown.js';

function target(name: string, cluster: string, roles: Role[] = ['etcd', 'control-plane']): Target {
  return { name, cluster, address: name, port: 22, user: 'ops', roles, become: true, identityFiles: [] };
}

// Two clusters of an Ansible inventory (with kubespray's groups), in inventory order.
const FLEET: Inventory = {
  source: 'hosts.yaml',
  targets: [
    target('cp1.dc1.example', 'prod-dc1'),
    target('cp2.dc1.example', 'prod-dc1'),
    target('cp3.dc1.example', 'prod-dc1'),
    target('etcd-a.dc2.example', 'prod-dc2', ['etcd']),
    target('api1.dc2.example', 'prod-dc2', ['control-plane']),
    target('lab1', 'lab'),
  ],
  groups: {
    all: ['cp1.dc1.example', 'cp2.dc1.example', 'cp3.dc1.example', 'etcd-a.dc2.example', 'api1.dc2.example', 'lab1'],
    etcd: ['cp1.dc1.example', 'cp2.dc1.example', 'cp3.dc1.example', 'etcd-a.dc2.example'],
    kube_control_plane: ['cp1.dc1.example', 'cp2.dc1.example', 'cp3.dc1.example', 'api1.dc2.example'],
    dc2: ['etcd-a.dc2.example', 'api1.dc2.example'],
    calico_rr: [],
  },
};

const names = (limit: string, inventory = FLEET) => applyLimit(inventory, splitLimit(limit)).map((t) => t.name);

function refusal(limit: string): string {
  return thrownMessage(() => applyLimit(FLEET, splitLimit(limit)), LimitError);
}

describe('splitLimit', () => {
  it('splits on commas, or else on colons outside brackets, as Ansible does', () => {
    expect(splitLimit('a, b ,c')).toEqual(['a', 'b', 'c']);
    expect(splitLimit('a:&b:!c')).toEqual(['a', '&b', '!c']);
    expect(splitLimit('etcd[0:1]:lab')).toEqual(['etcd[0:1]', 'lab']);
    expect(splitLimit('fd00:10:2::30')).toEqual(['fd00:10:2::30']);
    expect(splitLimit('a:b,c')).toEqual(['a:b', 'c']);
  });
});

describe('applyLimit: Ansible host patterns on the targets', () => {
  it('takes host names, Ansible groups, clusters and roles, in inventory order', () => {
    expect(names('lab1')).toEqual(['lab1']);
    expect(names('dc2')).toEqual(['etcd-a.dc2.example', 'api1.dc2.example']);
    expect(names('prod-dc1')).toEqual(['cp1.dc1.example', 'cp2.dc1.example', 'cp3.dc1.example']);
    expect(names('control-plane')).toEqual(['cp1.dc1.example', 'cp2.dc1.example', 'cp3.dc1.example', 'api1.dc2.example', 'lab1']);
    expect(names('lab1,prod-dc1')).toEqual(['cp1.dc1.example', 'cp2.dc1.example', 'cp3.dc1.example', 'lab1']);
  });

  it('unions, intersects and excludes in Ansible order: plain terms, then &, then !', () => {
    // etcd is the Ansible group and the role, which lab1 also has.
    expect(names('!cp2.dc1.example:etcd')).toEqual(['cp1.dc1.example', 'cp3.dc1.example', 'etcd-a.dc2.example', 'lab1']);
    expect(names('etcd:&kube_control_plane')).toEqual(['cp1.dc1.example', 'cp2.dc1.example', 'cp3.dc1.example']);
    expect(names('!prod-*')).toEqual(['lab1']);
  });

  it("matches globs and character classes as Python's fnmatch, and ~regex from the start of the name", () => {
    expect(names('cp*.dc1.example')).toEqual(['cp1.dc1.example', 'cp2.dc1.example', 'cp3.dc1.example']);
    expect(names('cp[13].*')).toEqual(['cp1.dc1.example', 'cp3.dc1.example']);
    expect(names('cp[!13].*')).toEqual(['cp2.dc1.example']);
    expect(names('?ab1')).toEqual(['lab1']);
    expect(names('~(etcd-|api)')).toEqual(['etcd-a.dc2.example', 'api1.dc2.example']);
    // From the start: group dc2 matches, host names with dc2 inside do not.
    expect(names('~dc2')).toEqual(['etcd-a.dc2.example', 'api1.dc2.example']);
    expect(names('~.*dc2')).toEqual(['etcd-a.dc2.example', 'api1.dc2.example']);
    expect(names('~cp')).toEqual(['cp1.dc1.example', 'cp2.dc1.example', 'cp3.dc1.example']);
  });

  it('picks hosts by position with subscripts, from 0, the end included', () => {
    expect(names('dc2[0]')).toEqual(['etcd-a.dc2.example']);
    expect(names('etcd[-1]')).toEqual(['lab1']);
    expect(names('etcd[1:2]')).toEqual(['cp2.dc1.example', 'cp3.dc1.example']);
    expect(names('etcd[2:]')).toEqual(['cp3.dc1.example', 'etcd-a.dc2.example', 'lab1']);
    expect(refusal('etcd[9]')).toBe('"etcd[9]": "etcd" names 5 hosts, which have no position 9 (from 0)');
    expect(refusal('etcd[1-2]')).toMatch(/^"etcd\[1-2\]": write the positions as \[1:2\]/);
  });

  it('refuses a term that names nothing, with the nearest name, and a limit that leaves nothing', () => {
    expect(refusal('prod-dc3,lab1')).toBe('"prod-dc3" names no host, group or cluster of the inventory; did you mean prod-dc1?');
    expect(refusal('lab1:!lab9')).toBe('"!lab9" names no host, group or cluster of the inventory; did you mean lab1?');
    expect(refusal('calico_rr')).toBe('"calico_rr" names no host, group or cluster of the inventory');
    expect(refusal('lab1:&dc2')).toBe('"lab1,&dc2" leaves no host to scan');
    expect(refusal('~(')).toMatch(/^"~\(" is not a valid regular expression: /);
  });

  it('reads native inventories with clusters and roles as their groups', () => {
    const native: Inventory = { source: 'fleet.yaml', targets: FLEET.targets };
    expect(names('prod-dc2:&etcd', native)).toEqual(['etcd-a.dc2.example']);
    expect(names('all:!prod-dc1:!prod-dc2', native)).toEqual(['lab1']);
  });
});
