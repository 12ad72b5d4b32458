import { describe, expect, it } from 'vitest';
import { APISERVER_BOOLEAN_FLAGS, ETCD_BOOLEAN_FLAGS, parseFlags } from '../../src/effective/flags.js';

const etcd = { describe: (i: number) => `argv[${i}]`, component: 'etcd', booleans: ETCD_BOOLEAN_FLAGS };
const value = (argv: string[], key: string) => parseFlags(['etcd', ...argv], etcd).settings.get(key);

describe('parseFlags with Go flag semantics (etcd)', () => {
  it('reads --flag=value, -flag=value, --flag value and -flag value alike', () => {
    expect(value(['--cert-file=/a.crt'], 'cert-file')?.value).toBe('/a.crt');
    expect(value(['-cert-file=/a.crt'], 'cert-file')?.value).toBe('/a.crt');
    expect(value(['--cert-file', '/a.crt'], 'cert-file')?.value).toBe('/a.crt');
    expect(value(['-cert-file', '/a.crt'], 'cert-file')?.value).toBe('/a.crt');
  });

  it('reads a bare boolean as true, without taking the next flag as its value', () => {
    const settings = parseFlags(['etcd', '--client-cert-auth', '--peer-auto-tls=false'], etcd).settings;
    expect(settings.get('client-cert-auth')?.value).toBe('true');
    expect(settings.get('peer-auto-tls')?.value).toBe('false');
  });

  it('keeps Go boolean spellings as written for ParseBool to judge', () => {
    for (const spelling of ['1', 't', 'T', 'TRUE', 'true', 'True', '0', 'F']) {
      expect(value([`--client-cert-auth=${spelling}`], 'client-cert-auth')?.value).toBe(spelling);
    }
  });

  it('lets the last occurrence win and keeps the earlier ones as overridden evidence', () => {
    const setting = value(['--auto-tls=true', '--auto-tls=false'], 'auto-tls');
    expect(setting?.value).toBe('false');
    expect(setting?.evidence.source).toBe('argv[2]');
    expect(setting?.overridden).toEqual([{ source: 'argv[1]', key: '--auto-tls', value: 'true' }]);
  });

  it('reads the space form of a boolean as meant but marks it rejected, as etcd would not start', () => {
    const setting = value(['--auto-tls', 'false', '--name=a'], 'auto-tls');
    expect(setting?.value).toBe('false');
    expect(setting?.rejected).toMatch(/does not accept a space between a boolean flag and its value/);
    expect(value(['--auto-tls', 'false', '--name=a'], 'name')?.value).toBe('a');
  });

  it('removes literal quotes to read the intent, and marks the value rejected', () => {
    const setting = value(['--client-cert-auth="true"'], 'client-cert-auth');
    expect(setting?.value).toBe('true');
    expect(setting?.evidence.value).toBe('"true"');
    expect(setting?.rejected).toMatch(/reach etcd literally/);
  });

  it('records words that are not flags as strays', () => {
    expect(parseFlags(['etcd', 'stray', '--name=a'], etcd).strays).toEqual(['stray']);
    expect(parseFlags(['etcd', '--name=a', '--', '--x'], etcd).strays).toEqual(['--x']);
  });

  it('marks a non-boolean flag without a value', () => {
    expect(value(['--cert-file'], 'cert-file')).toMatchObject({ value: '', rejected: '--cert-file has no value' });
  });
});

describe('parseFlags for kube-apiserver', () => {
  const apiserver = { describe: () => 'manifest', component: 'kube-apiserver', booleans: APISERVER_BOOLEAN_FLAGS };
  it('does not let a boolean flag swallow the value of the next flag', () => {
    const settings = parseFlags(['kube-apiserver', '--allow-privileged', '--etcd-cafile', '/ca.crt'], apiserver).settings;
    expect(settings.get('allow-privileged')?.value).toBe('true');
    expect(settings.get('etcd-cafile')?.value).toBe('/ca.crt');
  });
});
