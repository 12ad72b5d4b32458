import { describe, expect, it } from 'vitest';
import type { EtcdFileRead } from '../../src/effective/config-file.js';
import { readEtcdConfigFile } from '../../src/effective/config-file.js';

const PATH = '/etc/etcd/etcd.conf.yml';

function read(text: string): EtcdFileRead {
  const result = readEtcdConfigFile(PATH, text);
  if (!result.ok) throw new Error(result.error);
  return result;
}

const value = (text: string, flag: string) => read(text).settings.get(flag)?.value;

// The cases of etcd's config file, each with what etcd does with it: "replica" results were
// decoded with the real sigs.k8s.io/yaml and gopkg.in/yaml.v2 into etcd's struct layout; "src"
// ones follow etcd-io/etcd v3.4.45 embed/config.go configFromFile and v3.5.33/v3.6.14 likewise.
describe('readEtcdConfigFile: TLS settings are read only inside the transport sections', () => {
  it('reads a section into the flags it stands for, with the line of each key (client-cert-auth=true: replica)', () => {
    const file = read(
      'name: a\nclient-transport-security:\n  cert-file: /s.crt\n  key-file: /s.key\n  client-cert-auth: true\n  trusted-ca-file: /ca.crt\npeer-transport-security:\n  auto-tls: false\n  cert-file: /p.crt\n',
    );
    expect(file.settings.get('client-cert-auth')?.evidence).toEqual({
      source: `${PATH} line 5`,
      key: 'client-transport-security.client-cert-auth',
      value: 'true',
    });
    expect(file.settings.get('cert-file')?.value).toBe('/s.crt');
    expect(file.settings.get('trusted-ca-file')?.value).toBe('/ca.crt');
    expect(file.settings.get('peer-auto-tls')?.value).toBe('false');
    expect(file.settings.get('peer-cert-file')?.value).toBe('/p.crt');
    expect(file.refused).toBeUndefined();
  });

  it('ignores top-level client-cert-auth, cert-file, trusted-ca-file and auto-tls, and says where they belong (replica: ClientCertAuth stays false)', () => {
    const file = read('client-cert-auth: true\ntrusted-ca-file: /ca\ncert-file: /c\nauto-tls: false\npeer-client-cert-auth: true\n');
    expect([...file.settings.keys()]).toEqual([]);
    expect(file.ignored.get('client-cert-auth')).toEqual([
      {
        source: `${PATH} line 1, ignored by etcd: a TLS setting at the top level, where etcd does not read it; it belongs under client-transport-security (embed/config.go securityConfig)`,
        key: 'client-cert-auth',
        value: 'true',
      },
    ]);
    expect(file.ignored.get('peer-client-cert-auth')?.[0]?.source).toMatch(/belongs under peer-transport-security/);
    expect(file.ignored.get('auto-tls')?.[0]?.value).toBe('false');
  });

  it('ignores peer- spellings inside peer-transport-security (etcd-io/etcd#12887) and cipher-suites inside a section (#11587)', () => {
    const file = read(
      'peer-transport-security:\n  peer-cert-file: /p\n  peer-key-file: /k\nclient-transport-security:\n  cipher-suites: [TLS_AES_128_GCM_SHA256]\n',
    );
    expect(file.settings.has('peer-cert-file')).toBe(false);
    expect(file.ignored.get('peer-cert-file')?.[0]).toMatchObject({ key: 'peer-transport-security.peer-cert-file', value: '/p' });
    expect(file.ignored.get('peer-cert-file')?.[0]?.source).toMatch(/spelled without peer-/);
    expect(file.ignored.get('cipher-suites')?.[0]?.source).toMatch(/top-level key/);
  });

  it('reads the top-level TLS keys that do count: cipher-suites (a list), tls-min-version, self-signed-cert-validity', () => {
    const file = read(
      'cipher-suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]\ntls-min-version: TLS1.3\nself-signed-cert-validity: 2\n',
    );
    expect(file.settings.get('cipher-suites')?.value).toBe('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384');
    expect(file.settings.get('tls-min-version')?.evidence.source).toBe(`${PATH} line 2 (read by etcd 3.4.25 and later, 3.5.8 and later)`);
    expect(file.settings.get('self-signed-cert-validity')?.value).toBe('2');
  });

  it('takes an empty or null section as no TLS at all, without refusing (replica)', () => {
    const file = read('client-transport-security:\npeer-transport-security: ~\n');
    expect(file.settings.size).toBe(0);
    expect(file.refused).toBeUndefined();
  });
});

describe('readEtcdConfigFile: keys as encoding/json matches them', () => {
  it('matches keys case-insensitively, sections included (replica)', () => {
    const file = read('NAME: upper\nData-Dir: /x\nCLIENT-TRANSPORT-SECURITY:\n  Client-Cert-Auth: true\n');
    expect(file.settings.get('name')?.value).toBe('upper');
    expect(file.settings.get('data-dir')?.value).toBe('/x');
    expect(file.settings.get('client-cert-auth')?.evidence.key).toBe('CLIENT-TRANSPORT-SECURITY.Client-Cert-Auth');
  });

  it.each([
    ['the later of two equal keys', 'name: a\nname: b\n', 'b'],
    ['the exact lowercase spelling over another, in either order', 'name: b\nNAME: A\n', 'b'],
    ['the exact lowercase spelling over another, in either order', 'Name: A\nname: b\n', 'b'],
    ['among spellings, the one that sorts last', 'NAME: A\nName: B\n', 'B'],
  ])('keeps %s (replica)', (_, text, expected) => {
    expect(value(text, 'name')).toBe(expected);
  });

  it('keeps the losing occurrence as overridden evidence', () => {
    expect(read('name: a\nname: b\n').settings.get('name')?.overridden).toEqual([{ source: `${PATH} line 1`, key: 'name', value: 'a' }]);
  });

  it('ignores unknown keys and keys of other releases without refusing (replica; enable-v2 on 3.6)', () => {
    const file = read('foo: bar\nenable-v2: true\n');
    expect(file.ignored.get('foo')?.[0]?.source).toMatch(/not a key of its config file/);
    expect(file.settings.get('enable-v2')?.evidence.source).toMatch(/read by etcd 3\.4 and 3\.5/);
    expect(file.refused).toBeUndefined();
  });

  it('leaves a null or empty value at its default, and says so (replica)', () => {
    const file = read('name:\ndata-dir: ~\nclient-transport-security:\n  client-cert-auth: null\n');
    expect(file.settings.size).toBe(0);
    expect(file.ignored.get('client-cert-auth')?.[0]?.source).toMatch(/an empty value: etcd keeps the default/);
  });

  it('reads only the first YAML document (replica)', () => {
    expect(value('name: a\n---\nname: b\n', 'name')).toBe('a');
  });

  it('reads JSON, anchors and go-yaml v2 merge keys (a merged key overrides one written before it)', () => {
    expect(value('{"name": "j", "client-transport-security": {"client-cert-auth": true}}', 'client-cert-auth')).toBe('true');
    const merged = read('base: &b\n  client-cert-auth: true\n  cert-file: /base\nclient-transport-security:\n  cert-file: /own\n  <<: *b\n');
    expect(merged.settings.get('client-cert-auth')?.value).toBe('true');
    expect(merged.settings.get('cert-file')?.value).toBe('/base');
  });

  it('notes the undocumented Go-field keys and what configFromFile does with them (ClientTLSInfo: replica)', () => {
    const file = read('ClientTLSInfo:\n  CRLFile: /x.crl\n');
    expect(file.notes.get('client-cert-auth')?.[0]).toMatch(/decodes it into its Go field Config\.ClientTLSInfo: configFromFile overwrites/);
    expect(file.refused).toBeUndefined();
  });

  it('cannot tell a listener set through a Go-field key when the documented key is absent', () => {
    const file = read('ListenClientUrls: [{Scheme: http, Host: "0.0.0.0:2379"}]\n');
    expect(file.unknownKeys.get('listen-client-urls')).toMatch(/through the undocumented key ListenClientUrls/);
    expect(read('ListenClientUrls: [{Scheme: http}]\nlisten-client-urls: https://127.0.0.1:2379\n').unknownKeys.size).toBe(0);
  });
});

describe('readEtcdConfigFile: values etcd refuses to start with', () => {
  it.each([
    [
      'a quoted "true" for a boolean (replica)',
      'client-transport-security:\n  client-cert-auth: "true"\n',
      'client-cert-auth',
      /is a string \("true": the quotes make it one\), where etcd wants a boolean/,
    ],
    [
      'a number for a string (charmed-kubernetes/bundle#619)',
      'initial-cluster-token: 767704\n',
      'initial-cluster-token',
      /is a number \(767704\), where etcd wants a string/,
    ],
    ['an integer retention (rancher/rke2#11219)', 'auto-compaction-retention: 1\n', 'auto-compaction-retention', /where etcd wants a string/],
    ['true for a string (replica)', 'name: true\n', 'name', /is a boolean \(true\)/],
    ['"5" for a uint (replica)', 'max-snapshots: "5"\n', 'max-snapshots', /is a string/],
    ['-1 for a uint (replica)', 'max-snapshots: -1\n', 'max-snapshots', /zero or more/],
    ['1.5 for a uint (replica)', 'max-snapshots: 1.5\n', 'max-snapshots', /zero or more/],
    ['"5s" for a duration (etcd-io/etcd#13480)', 'grpc-keepalive-min-time: 5s\n', 'grpc-keepalive-min-time', /whole number of nanoseconds/],
    ['a string for a list (replica)', 'log-outputs: stderr\n', 'log-outputs', /a YAML list of strings/],
    ['a comma string for a list (replica)', 'cipher-suites: "A,B"\n', 'cipher-suites', /a YAML list of strings/],
    ['a list for the URL string (replica)', 'listen-client-urls: [http://a:1, http://b:2]\n', 'listen-client-urls', /one string of comma-separated URLs/],
  ])('%s', (_, text, flag, problem) => {
    const file = read(text);
    expect(file.settings.get(flag)?.rejected).toMatch(problem);
    expect(file.refused).toMatch(new RegExp(`^etcd would refuse to start with ${PATH}: `));
  });

  it.each([
    [
      'yes, on, Y for a boolean (go-yaml v2 resolve.go)',
      'client-transport-security:\n  client-cert-auth: yes\n  auto-tls: on\npeer-transport-security:\n  client-cert-auth: Y\n',
    ],
    ['a duration in nanoseconds (replica: 5s)', 'grpc-keepalive-min-time: 5000000000\n'],
    ['a whole float for an integer (json.Marshal prints 5.0 as 5)', 'max-snapshots: 5.0\n'],
    ['a quoted "yes" for a string (replica)', 'name: "yes"\n'],
  ])('accepts %s', (_, text) => {
    expect(read(text).refused).toBeUndefined();
  });

  it('reads the YAML 1.1 booleans as etcd gets them', () => {
    const file = read('client-transport-security:\n  client-cert-auth: yes\n  auto-tls: off\n');
    expect(file.settings.get('client-cert-auth')).toMatchObject({ value: 'true', evidence: { value: 'yes' } });
    expect(file.settings.get('auto-tls')?.value).toBe('false');
  });

  it('refuses a scalar where a section goes (replica)', () => {
    expect(read('client-transport-security: x\n').refused).toMatch(/client-transport-security is a string \("x"\), where etcd wants a mapping of TLS settings/);
  });

  it.each([
    ['a host name where etcd binds (checkBindURLs)', 'listen-client-urls: https://etcd.example.com:2379\n', /binds only to an IP address or localhost/],
    ['a path in a URL (types.NewURLs)', 'listen-peer-urls: https://10.0.0.1:2380/x\n', /has a path/],
    ['another scheme (types.NewURLs)', 'listen-client-urls: tcp://10.0.0.1:2379\n', /scheme must be http, https, unix or unixs/],
  ])('refuses %s', (_, text, problem) => {
    expect(read(text).refused).toMatch(problem);
  });

  it('reports YAML etcd cannot parse: a tab indenting a section (replica), a file that is no mapping', () => {
    expect(readEtcdConfigFile(PATH, 'client-transport-security:\n\tcert-file: /c\n')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/Tabs/) as unknown,
    });
    expect(readEtcdConfigFile(PATH, '- a\n')).toMatchObject({ ok: false, error: expect.stringMatching(/not a YAML mapping/) as unknown });
    expect(readEtcdConfigFile(PATH, 'name: [unclosed')).toMatchObject({ ok: false });
  });

  it('takes an empty file as all defaults (replica)', () => {
    expect(read('').settings.size).toBe(0);
  });
});
