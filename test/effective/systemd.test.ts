import { describe, expect, it } from 'vitest';
import type { FileFact } from '../../src/model.js';
import { readEnvFile, readUnit } from '../../src/effective/systemd.js';

const file = (path: string, content: string): FileFact => ({ path, exists: true, type: 'file', content });

describe('readEnvFile', () => {
  it('reads KEY=value lines, removing quotes and skipping comments and export', () => {
    const env = readEnvFile(
      '/etc/etcd/etcd.conf',
      '#ETCD_AUTO_TLS="true"\nETCD_NAME="node 1"\nexport ETCD_CLIENT_CERT_AUTH=true\n\n; note\nETCD_DATA_DIR=\'/var/lib/etcd\'\n',
    );
    expect([...env]).toEqual([
      ['ETCD_NAME', { value: 'node 1', source: '/etc/etcd/etcd.conf line 2' }],
      ['ETCD_CLIENT_CERT_AUTH', { value: 'true', source: '/etc/etcd/etcd.conf line 3' }],
      ['ETCD_DATA_DIR', { value: '/var/lib/etcd', source: '/etc/etcd/etcd.conf line 6' }],
    ]);
  });
});

describe('readUnit', () => {
  it('combines Environment= and EnvironmentFile= (with specifiers) and drop-ins, later ones winning', () => {
    const files: Record<string, FileFact> = {
      '/lib/systemd/system/etcd.service': file(
        '/lib/systemd/system/etcd.service',
        '[Service]\nEnvironment=ETCD_NAME=%H ETCD_DATA_DIR=/var/lib/etcd/default\nEnvironmentFile=-/etc/default/%p\nExecStart=/usr/bin/etcd $DAEMON_ARGS\n',
      ),
      '/etc/default/etcd': file('/etc/default/etcd', 'ETCD_DATA_DIR=/srv/etcd\n'),
      '/etc/systemd/system/etcd.service.d/10-tls.conf': file(
        '/etc/systemd/system/etcd.service.d/10-tls.conf',
        '[Service]\nEnvironment="ETCD_CLIENT_CERT_AUTH=true"\n',
      ),
    };
    const unit = readUnit('etcd.service', files)!;
    expect(unit.path).toBe('/lib/systemd/system/etcd.service');
    expect(unit.env.get('ETCD_DATA_DIR')).toEqual({ value: '/srv/etcd', source: '/etc/default/etcd line 1' });
    expect(unit.env.get('ETCD_CLIENT_CERT_AUTH')?.source).toBe('/etc/systemd/system/etcd.service.d/10-tls.conf line 2');
    expect(unit.execStart).toEqual({ argv: ['/usr/bin/etcd', '$DAEMON_ARGS'], source: '/lib/systemd/system/etcd.service line 4' });
    expect(unit.missingEnv).toEqual([]);
  });

  it('lists an environment file it names but could not read (a "-" prefix makes a missing one fine)', () => {
    const files: Record<string, FileFact> = {
      '/etc/systemd/system/etcd.service': file(
        '/etc/systemd/system/etcd.service',
        '[Service]\nEnvironmentFile=/etc/etcd.env\nEnvironmentFile=-/etc/etcd/extra.env\nExecStart=/usr/local/bin/etcd\n',
      ),
      '/etc/etcd.env': { path: '/etc/etcd.env', exists: true, type: 'file', unreadable: 'not readable by audit' },
      '/etc/etcd/extra.env': { path: '/etc/etcd/extra.env', exists: false },
    };
    expect(readUnit('etcd.service', files)!.missingEnv).toEqual(['/etc/etcd.env (not readable by audit)']);
  });
});
