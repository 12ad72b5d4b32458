import { describe, expect, it } from 'vitest';
import { applyTlsEffects } from '../../src/effective/etcd-tls.js';
import { ETCD_BOOLEAN_FLAGS, parseFlags } from '../../src/effective/flags.js';
import type { ResolvedConfig } from '../../src/effective/host-components.js';

function etcd(...flags: string[]): ResolvedConfig {
  const parsed = parseFlags(['etcd', ...flags], { describe: () => 'argv', component: 'etcd', booleans: ETCD_BOOLEAN_FLAGS, grammar: 'go-flag' });
  const config: ResolvedConfig = { component: 'etcd', label: 'etcd', settings: parsed.settings, searched: () => [] };
  applyTlsEffects(config);
  return config;
}

const SECURE = ['--listen-client-urls=https://10.0.0.1:2379', '--listen-peer-urls=https://10.0.0.1:2380'];
const CERTS = ['--cert-file=/c', '--key-file=/k', '--peer-cert-file=/pc', '--peer-key-file=/pk'];

// What etcd does with its TLS settings after reading them: embed/config.go ClientSelfCert and
// PeerSelfCert, embed/etcd.go configureClientListeners and configurePeerListeners,
// pkg/transport/listener.go ServerConfig (etcd-io/etcd v3.4.45, the same in 3.5 and 3.6).
describe('applyTlsEffects', () => {
  it('changes nothing on https listeners with certificates and client-cert-auth', () => {
    const config = etcd(...SECURE, ...CERTS, '--client-cert-auth', '--trusted-ca-file=/ca', '--peer-client-cert-auth', '--peer-trusted-ca-file=/ca');
    expect([...config.settings.values()].filter((s) => s.ineffective !== undefined)).toEqual([]);
    expect(config.refused).toBeUndefined();
    expect(config.notes).toBeUndefined();
  });

  it('drops peer-client-cert-auth and the peer CA when peer auto TLS replaces the peer TLS (no peer cert or key given)', () => {
    const config = etcd(...SECURE, '--cert-file=/c', '--key-file=/k', '--peer-auto-tls', '--peer-client-cert-auth=true', '--peer-trusted-ca-file=/ca');
    expect(config.settings.get('peer-client-cert-auth')?.ineffective).toMatch(
      /^--peer-auto-tls is on and neither --peer-cert-file nor --peer-key-file is given, so etcd replaces its whole peer TLS configuration with a self-signed certificate \(embed\/config\.go PeerSelfCert/,
    );
    expect(config.settings.get('peer-trusted-ca-file')?.ineffective).toMatch(/--peer-trusted-ca-file is dropped/);
    expect(config.refused).toBeUndefined();
  });

  it('leaves auto TLS without effect while a certificate or a key is given ("ignoring client auto TLS since certs given")', () => {
    const config = etcd(...SECURE, '--cert-file=/c', '--auto-tls', '--client-cert-auth');
    expect(config.settings.get('auto-tls')?.ineffective).toMatch(/ignoring client auto TLS since certs given/);
    expect(config.settings.get('client-cert-auth')?.ineffective).toBeUndefined();
  });

  it('says client-cert-auth does nothing on a plain http listener, the default one included', () => {
    const mixed = etcd('--listen-client-urls=https://10.0.0.1:2379,http://127.0.0.1:2379', '--cert-file=/c', '--key-file=/k', '--client-cert-auth');
    expect(mixed.settings.get('client-cert-auth')?.ineffective).toMatch(/^etcd serves clients at http:\/\/127\.0\.0\.1:2379 without TLS/);
    expect(mixed.settings.get('cert-file')?.ineffective).toBeUndefined();
    const byDefault = etcd('--cert-file=/c', '--key-file=/k', '--client-cert-auth');
    expect(byDefault.settings.get('client-cert-auth')?.ineffective).toMatch(/http:\/\/localhost:2379 \(etcd's default, as --listen-client-urls is not set\)/);
    expect(byDefault.settings.get('cert-file')?.ineffective).toMatch(/only at http:\/\/localhost:2379.*ignores --cert-file/);
  });

  it('refuses https listeners without a certificate, unless auto TLS makes one', () => {
    expect(etcd(...SECURE, '--peer-cert-file=/pc', '--peer-key-file=/pk').refused).toMatch(
      /listens for clients at https:\/\/10\.0\.0\.1:2379 with TLS, but has no --cert-file/,
    );
    expect(etcd(...SECURE, '--auto-tls', '--peer-auto-tls').refused).toBeUndefined();
  });

  it('notes that a trusted CA alone makes the TLS layer require client certificates, though client-cert-auth is off', () => {
    const config = etcd(...SECURE, ...CERTS, '--trusted-ca-file=/ca');
    expect(config.notes?.get('client-cert-auth')).toEqual([
      "--trusted-ca-file /ca alone makes etcd's TLS listeners (https://10.0.0.1:2379) require and verify client certificates (pkg/transport/listener.go TLSInfo.ServerConfig: RequireAndVerifyClientCert when TrustedCAFile is set or ClientCertAuth), but etcd does not authenticate clients by them (its client-cert-auth stays false: no user is taken from a certificate)",
    ]);
  });

  it('notes that client-cert-auth without a trusted CA verifies against the system roots', () => {
    expect(etcd(...SECURE, ...CERTS, '--client-cert-auth').notes?.get('client-cert-auth')?.[0]).toMatch(/system CA roots/);
  });

  it('refuses a listener etcd cannot bind (a host name)', () => {
    expect(etcd('--listen-client-urls=https://etcd.example.com:2379', ...CERTS).refused).toMatch(/binds only to an IP address or localhost/);
  });
});
