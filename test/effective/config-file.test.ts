import { describe, expect, it } from 'vitest';
import { readEtcdConfigFile } from '../../src/effective/config-file.js';
import { ETCD_BOOLEAN_FLAGS } from '../../src/effective/flags.js';

const read = (text: string) => {
  const result = readEtcdConfigFile('/etc/etcd/etcd.conf.yml', text, ETCD_BOOLEAN_FLAGS);
  if (!result.ok) throw new Error(result.error);
  return result.settings;
};

describe('readEtcdConfigFile', () => {
  it('maps the transport sections to flag names and keeps the line of each key', () => {
    const settings = read('name: a\nclient-transport-security:\n  cert-file: /s.crt\n  client-cert-auth: true\npeer-transport-security:\n  auto-tls: false\n');
    expect(settings.get('cert-file')?.value).toBe('/s.crt');
    expect(settings.get('client-cert-auth')?.evidence).toEqual({
      source: '/etc/etcd/etcd.conf.yml line 4',
      key: 'client-transport-security.client-cert-auth',
      value: 'true',
    });
    expect(settings.get('peer-auto-tls')?.value).toBe('false');
  });

  it('reads booleans as go-yaml v2 does: yes and on are true; a quoted "true" is a string etcd rejects', () => {
    const settings = read('client-transport-security:\n  client-cert-auth: "true"\n  auto-tls: yes\npeer-transport-security:\n  client-cert-auth: on\n');
    expect(settings.get('auto-tls')?.value).toBe('true');
    expect(settings.get('peer-client-cert-auth')?.value).toBe('true');
    expect(settings.get('client-cert-auth')?.rejected).toMatch(/would refuse to start with "true" \(the quotes make it a string\)/);
  });

  it('reports a file that is not YAML instead of throwing', () => {
    expect(readEtcdConfigFile('/c', 'name: [unclosed', ETCD_BOOLEAN_FLAGS)).toMatchObject({ ok: false });
  });
});
