import { describe, expect, it } from 'vitest';
import { InventoryError } from '../../src/inventory/errors.js';
import { parseNativeInventory } from '../../src/inventory/native.js';

const opts = { homeDir: '/home/tester', localUser: 'tester' };

describe('jump hosts in the native inventory', () => {
  it('reaches hosts through a ProxyJump-style chain, outermost hop deepest, with the same keys', () => {
    const inventory = parseNativeInventory(
      [
        'defaults:',
        '  user: audit',
        '  identityFile: ~/.ssh/fleet',
        'clusters:',
        '  dc1:',
        '    defaults:',
        '      jump: ops@gw.example:2222,bastion.dc1',
        '    hosts:',
        '      - name: cp1',
        '      - name: cp2',
        '        jump: none',
      ].join('\n'),
      '/srv/fleet.yaml',
      opts,
    );
    const [cp1, cp2] = inventory.targets;
    expect(cp1!.jump).toEqual({
      name: 'bastion.dc1',
      cluster: 'dc1',
      address: 'bastion.dc1',
      port: 22,
      user: 'tester',
      roles: [],
      become: false,
      identityFiles: ['/home/tester/.ssh/fleet'],
      jump: {
        name: 'gw.example',
        cluster: 'dc1',
        address: 'gw.example',
        port: 2222,
        user: 'ops',
        roles: [],
        become: false,
        identityFiles: ['/home/tester/.ssh/fleet'],
      },
    });
    expect(cp2!.jump).toBeUndefined();
  });

  it('reports a jump it cannot read, with its position', () => {
    expect(() => parseNativeInventory('clusters:\n  c:\n    hosts:\n      - name: cp1\n        jump: "ops@,x"\n', '/f.yaml', opts)).toThrow(InventoryError);
    try {
      parseNativeInventory('clusters:\n  c:\n    hosts:\n      - name: cp1\n        jump: "-oProxyCommand=x"\n', '/f.yaml', opts);
    } catch (error) {
      expect((error as InventoryError).issues[0]).toMatchObject({ line: 5, column: 15 });
      expect((error as InventoryError).issues[0]!.message).toMatch(/write jump as \[user@\]host\[:port\]/);
    }
  });
});
