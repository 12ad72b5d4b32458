import { describe, expect, it } from 'vitest';
import { InventoryError } from '../../../src/inventory/errors.js';
import { parseInventory } from '../../../src/inventory/load.js';
import type { Target } from '../../../src/model.js';

const FILE = '/srv/kubespray/inventory/mycluster/inventory.ini';
const OPTS = { homeDir: '/home/tester', localUser: 'tester' };
const ini = (...lines: string[]) => `${lines.join('\n')}\n`;
const read = (text: string) => parseInventory(text, FILE, OPTS).targets;
const summary = (targets: Target[]) =>
  targets.map(
    (t) =>
      `${t.cluster} ${t.name} ${t.user}@${t.address}:${t.port} [${t.roles.join(',')}] become=${t.become}${t.jump ? ` via ${t.jump.user}@${t.jump.address}` : ''}`,
  );

function issues(text: string): string[] {
  try {
    parseInventory(text, FILE, OPTS);
  } catch (error) {
    if (!(error instanceof InventoryError)) throw error;
    return error.issues.map((i) => `${i.line}:${i.column}: ${i.message}`);
  }
  throw new Error('expected an InventoryError');
}

describe('Ansible INI inventories', () => {
  it("reads kubespray's sample inventory.ini: stacked etcd through [etcd:children], comments after hosts", () => {
    const targets = read(
      ini(
        '# This inventory describe a HA typology with stacked etcd (== same nodes as control plane)',
        '; and 3 worker nodes',
        '[kube_control_plane]',
        'node1 ansible_host=95.54.0.12  # ip=10.3.0.1 etcd_member_name=etcd1',
        'node2 ansible_host=95.54.0.13  # ip=10.3.0.2 etcd_member_name=etcd2',
        '  node3 ansible_host=95.54.0.14 ip=10.3.0.3 etcd_member_name=etcd3',
        '',
        '[etcd:children]',
        'kube_control_plane',
        '',
        '[kube_node]',
        'node4 ansible_host=95.54.0.15',
        '',
        '[all:vars]',
        'ansible_user = ubuntu',
        'ansible_become=yes',
      ),
    );
    expect(summary(targets)).toEqual([
      'inventory node1 ubuntu@95.54.0.12:22 [etcd,control-plane] become=true',
      'inventory node2 ubuntu@95.54.0.13:22 [etcd,control-plane] become=true',
      'inventory node3 ubuntu@95.54.0.14:22 [etcd,control-plane] become=true',
      'inventory node4 ubuntu@95.54.0.15:22 [worker] become=true',
    ]);
  });

  it('reads values as Python literals, host patterns and ports, quoted ssh options, and Ansible precedence', () => {
    const targets = read(
      ini(
        'cp[1:2]:2200 ansible_become=True',
        'cp3 ansible_port=2222 ansible_ssh_common_args="-o ProxyJump=ops@gw.example.com" ansible_user=\'admin\'',
        '',
        '[etcd]',
        'cp[1:3]',
        '',
        '[etcd:vars]',
        'ansible_user="etcd-admin"   ',
        // A comment after a Python literal is Python's; after bare text it would be part of the value.
        "fleetbench_cluster = 'prod'  # the cluster",
        '',
        '[all:vars]',
        'ansible_user=everyone',
        'ansible_become=False',
      ),
    );
    expect(summary(targets)).toEqual([
      'prod cp1 etcd-admin@cp1:2200 [etcd] become=true',
      'prod cp2 etcd-admin@cp2:2200 [etcd] become=true',
      'prod cp3 admin@cp3:2222 [etcd] become=false via ops@gw.example.com',
    ]);
  });

  it('reports every problem at its line and column, as a YAML inventory does', () => {
    expect(
      issues(
        ini(
          '[etcd]', //                                     1
          'node1 ansible_host', //                         2
          'node2 ansible_port=ssh', //                     3
          "node3 ansible_host='10.0.0.3", //               4
          '[etcd:childrn]', //                             5
          'ignored', //                                    6
          '[bad group]', //                                7
          '[ghost:vars]', //                               8
          'x=1', //                                        9
          '[k8s_cluster:children]', //                    10
          'etcd', //                                      11
          'missing', //                                   12
        ),
      ),
    ).toEqual([
      '2:1: expected key=value after host "node1", got "ansible_host"',
      '3:20: ansible_port must be a whole number from 1 to 65535, got the text "ssh" (for host node2)',
      `4:1: the host line "node3 ansible_host='10.0.0.3" has a single quote that is never closed`,
      '5:1: section [etcd:childrn] has an unknown type "childrn": a section is [group], [group:children] or [group:vars]',
      '7:1: invalid section "[bad group]": write [group], [group:children] or [group:vars], with no spaces',
      '8:1: section [ghost:vars] is for a group that has no [ghost] or [ghost:children] section',
      '12:1: [k8s_cluster:children] names group "missing", which has no [missing] or [missing:children] section',
    ]);
  });
});
