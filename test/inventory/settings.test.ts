import { LineCounter, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { InventoryError } from '../../src/inventory/errors.js';
import { IssueList } from '../../src/yaml/issue-list.js';
import { cascade, readSettings, SETTING_KEYS } from '../../src/inventory/settings.js';
import type { Settings } from '../../src/inventory/settings.js';
import { follow, readMapping } from '../../src/yaml/yaml-read.js';

function read(text: string): { settings: Settings | undefined; messages: string[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const r = {
    doc,
    issues: new IssueList('f.yaml', lineCounter, (found) => new InventoryError(found)),
    identity: { homeDir: '/home/tester', relativeTo: '/srv/fleet' },
  };
  const fields = readMapping(r, follow(r, doc.contents), { range: [0, 0, 0] }, 'defaults', SETTING_KEYS);
  const settings = fields && readSettings(r, fields);
  try {
    r.issues.throwIfAny();
  } catch (error) {
    if (error instanceof InventoryError) return { settings, messages: error.message.split('\n') };
    throw error;
  }
  return { settings, messages: [] };
}

describe('readSettings', () => {
  it('reads every setting, resolving identity paths', () => {
    const { settings, messages } = read('user: ops\nport: 2222\nbecome: true\nidentityFiles: [~/.ssh/a, ./keys/b, /etc/c]\nroles: [etcd, worker]\n');
    expect(messages).toEqual([]);
    expect(settings).toEqual({
      user: 'ops',
      port: 2222,
      become: true,
      identityFiles: ['/home/tester/.ssh/a', '/srv/fleet/keys/b', '/etc/c'],
      roles: ['etcd', 'worker'],
    });
  });

  it('turns a single identityFile into a one-entry list, and keeps an empty identityFiles list', () => {
    expect(read('identityFile: keys/dc1\n').settings).toEqual({ identityFiles: ['/srv/fleet/keys/dc1'] });
    expect(read('identityFiles: []\n').settings).toEqual({ identityFiles: [] });
  });

  it('reports each invalid value at the value and leaves it unset', () => {
    const { settings, messages } = read(
      ['user: "root;id"', 'port: 70000', 'become: yes', 'identityFiles: [~ops/key, 5]', 'roles: [etcd, master, etcd, 3]', ''].join('\n'),
    );
    expect(settings).toEqual({});
    expect(messages).toEqual([
      'f.yaml:1:7: user "root;id" is not a valid user name (it must start with a letter or "_" and contain only letters, digits, "_", "." and "-")',
      'f.yaml:2:7: port must be a whole number from 1 to 65535, got the number 70000',
      'f.yaml:3:9: become must be true or false, got the text "yes"',
      'f.yaml:4:17: identityFiles "~ops/key" uses ~user, which is not supported; write the full path or ~/ for your own home',
      'f.yaml:4:27: identityFiles must name a file as text, got the number 5',
      'f.yaml:5:15: unknown role "master"; roles are: etcd, control-plane, worker',
      'f.yaml:5:23: role "etcd" is listed twice',
      'f.yaml:5:29: a role must be a name, got the number 3; roles are: etcd, control-plane, worker',
    ]);
  });

  it('rejects a port given as text or with a fraction, and an empty roles list', () => {
    expect(read('port: "22"\n').messages).toEqual(['f.yaml:1:7: port must be a whole number from 1 to 65535, got the text "22"']);
    expect(read('port: 22.5\n').messages).toEqual(['f.yaml:1:7: port must be a whole number from 1 to 65535, got the number 22.5']);
    expect(read('roles: []\n').messages).toEqual(['f.yaml:1:8: roles must list at least one of: etcd, control-plane, worker']);
  });

  it('refuses identityFile and identityFiles together', () => {
    expect(read('identityFile: a\nidentityFiles: [b]\n').messages).toEqual(['f.yaml:2:1: set either identityFile or identityFiles, not both']);
  });
});

describe('cascade', () => {
  it('lets the most specific level that sets a key win, key by key', () => {
    expect(cascade({ user: 'audit', port: 22, become: true, roles: ['etcd', 'control-plane'] }, { user: 'ops' }, { port: 2222, roles: ['etcd'] })).toEqual({
      user: 'ops',
      port: 2222,
      become: true,
      roles: ['etcd'],
    });
  });

  it('replaces the identity file list instead of merging it', () => {
    expect(cascade({ identityFiles: ['/k/fleet', '/k/dc1'] }, { identityFiles: ['/k/host'] })).toEqual({
      identityFiles: ['/k/host'],
    });
    expect(cascade({ identityFiles: ['/k/fleet'] }, { identityFiles: [] })).toEqual({ identityFiles: [] });
  });

  it('keeps the inherited value where a level has it unset', () => {
    expect(cascade({ user: 'audit', become: false }, { user: undefined, become: undefined })).toEqual({
      user: 'audit',
      become: false,
    });
  });
});
