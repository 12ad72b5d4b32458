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

describe('parseFlags: each form etcd reads, in one table', () => {
  const rows: { argv: string[]; key: string; value: string | undefined; written?: string; word?: number; rejected?: RegExp }[] = [
    { argv: ['--name=a'], key: 'name', value: 'a', word: 1 },
    { argv: ['-name=a'], key: 'name', value: 'a', word: 1 },
    { argv: ['--name', 'a'], key: 'name', value: 'a', word: 2 },
    { argv: ['-name', 'a'], key: 'name', value: 'a', word: 2 },
    { argv: ['--initial-cluster=a=https://a:2380,b=https://b:2380'], key: 'initial-cluster', value: 'a=https://a:2380,b=https://b:2380' },
    { argv: ['--name='], key: 'name', value: '', written: '' },
    { argv: ['--name', '--data-dir=/d'], key: 'name', value: '', rejected: /^--name has no value$/ },
    { argv: ['--client-cert-auth'], key: 'client-cert-auth', value: 'true', written: '' },
    { argv: ['-client-cert-auth'], key: 'client-cert-auth', value: 'true', written: '' },
    { argv: ['--client-cert-auth', '--name=a'], key: 'client-cert-auth', value: 'true', written: '' },
    { argv: ['--client-cert-auth', 'stray'], key: 'client-cert-auth', value: 'true', written: '' },
    { argv: ['--client-cert-auth', 'False'], key: 'client-cert-auth', value: 'False', word: 2, rejected: /write --client-cert-auth=False$/ },
    { argv: ['--client-cert-auth', '"true"'], key: 'client-cert-auth', value: 'true', written: '"true"', rejected: /does not accept a space/ },
    { argv: ["--name='a'"], key: 'name', value: 'a', written: "'a'", rejected: /the quotes in --name='a' reach etcd literally/ },
    { argv: ['--name=a', '--name=b', '--name=c'], key: 'name', value: 'c', word: 3 },
    { argv: ['--', '--name=a'], key: 'name', value: undefined },
  ];

  it.each(rows)('$argv -> $key=$value', ({ argv, key, value, written, word, rejected }) => {
    const setting = parseFlags(['etcd', ...argv], etcd).settings.get(key);
    expect(setting?.value).toBe(value);
    if (written !== undefined) expect(setting?.evidence.value).toBe(written);
    if (word !== undefined) expect(setting?.evidence.source).toBe(`argv[${word}]`);
    if (rejected) expect(setting?.rejected).toMatch(rejected);
    else expect(setting?.rejected).toBeUndefined();
  });

  it('keeps every earlier occurrence, oldest first', () => {
    const setting = value(['--name=a', '--name=b', '--name=c'], 'name');
    expect(setting?.overridden.map((e) => e.value)).toEqual(['a', 'b']);
  });

  it('lists the words that are neither flags nor their values, where etcd would stop', () => {
    expect(parseFlags(['etcd', '--client-cert-auth', 'stray', '--name=a', 'more'], etcd).strays).toEqual(['stray', 'more']);
    expect(parseFlags(['etcd', '--name', 'a', '--data-dir=/d'], etcd).strays).toEqual([]);
  });
});
