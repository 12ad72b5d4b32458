import { describe, expect, it } from 'vitest';
import { APISERVER_BOOLEAN_FLAGS, ETCD_BOOLEAN_FLAGS, parseFlags } from '../../src/effective/flags.js';

const etcd = { describe: (i: number) => `argv[${i}]`, component: 'etcd', booleans: ETCD_BOOLEAN_FLAGS, grammar: 'go-flag' } as const;
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

  it('marks a non-boolean flag without a value at the end, which Go refuses ("flag needs an argument")', () => {
    expect(value(['--cert-file'], 'cert-file')).toMatchObject({ value: '', rejected: '--cert-file has no value' });
    expect(parseFlags(['etcd', '--cert-file'], etcd).refusal).toMatch(/refuses --cert-file without a value/);
  });
});

const apiserver = { describe: (i: number) => `argv[${i}]`, component: 'kube-apiserver', booleans: APISERVER_BOOLEAN_FLAGS, grammar: 'pflag' } as const;

describe('parseFlags for kube-apiserver', () => {
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
});

describe('parseFlags: words that are not flags keep the component from starting', () => {
  // etcd: Go's flag package stops at the first non-flag word (flag.FlagSet.parseOne: "" and "-" are
  // not flags; "--" ends the flags), and etcdmain/config.go parse (v3.4.45 L296-298, v3.5.33
  // L344-346, v3.6.14 L151-153) refuses any word left over. kube-apiserver: pflag reads on
  // (interspersed), then cobra's Args of NewAPIServerCommand (cmd/kube-apiserver/app/server.go)
  // refuses every non-empty word left over; pflag's "--" ends the flags too.
  const rows: { name: string; grammar: 'etcd' | 'kube-apiserver'; argv: string[]; refusal: RegExp | undefined; still?: [string, string] }[] = [
    {
      name: 'a stray before a flag',
      grammar: 'etcd',
      argv: ['stray', '--client-cert-auth=true'],
      refusal: /"stray" \(argv\[1\]\) is not a flag.*without reading the flags after it/,
      still: ['client-cert-auth', 'true'],
    },
    {
      name: 'a stray at the end',
      grammar: 'etcd',
      argv: ['--client-cert-auth=true', 'stray'],
      refusal: /"stray" \(argv\[2\]\) is not a flag.*'%s' is not a valid flag", etcdmain\/config.go parse\)$/,
    },
    { name: 'an empty word', grammar: 'etcd', argv: ['--name=a', ''], refusal: /"" \(argv\[2\]\) is not a flag/ },
    { name: 'a lone dash', grammar: 'etcd', argv: ['-', '--name=a'], refusal: /"-" \(argv\[1\]\) is not a flag/ },
    { name: 'words after --', grammar: 'etcd', argv: ['--name=a', '--', '--data-dir=/d'], refusal: /"--data-dir=\/d" \(argv\[3\]\) is not a flag/ },
    { name: '-- at the end', grammar: 'etcd', argv: ['--name=a', '--'], refusal: undefined },
    {
      name: 'a boolean with a spaced value',
      grammar: 'etcd',
      argv: ['--client-cert-auth', 'false'],
      refusal: /does not accept a space between a boolean flag/,
    },
    { name: 'no stray', grammar: 'etcd', argv: ['--name', 'a', '--data-dir=/d'], refusal: undefined },
    {
      name: 'apiserver: a stray, flags after it still read',
      grammar: 'kube-apiserver',
      argv: ['stray', '--etcd-cafile=/ca'],
      refusal: /"stray" \(argv\[1\]\) is not a flag, and it takes no other arguments/,
      still: ['etcd-cafile', '/ca'],
    },
    { name: 'apiserver: an empty word is let through', grammar: 'kube-apiserver', argv: ['', '--etcd-cafile=/ca'], refusal: undefined },
    {
      name: 'apiserver: words after --',
      grammar: 'kube-apiserver',
      argv: ['--', '--etcd-cafile=/ca'],
      refusal: /"--etcd-cafile=\/ca" \(argv\[2\]\) is not a flag/,
    },
    { name: 'apiserver: a single dash long name is shorthands', grammar: 'kube-apiserver', argv: ['-etcd-cafile=/ca'], refusal: /unknown shorthand flag/ },
    { name: 'apiserver: -v is a shorthand it has', grammar: 'kube-apiserver', argv: ['-v=2'], refusal: undefined },
  ];

  it.each(rows)('$grammar: $name', ({ grammar, argv, refusal, still }) => {
    const parsed = parseFlags([grammar, ...argv], grammar === 'etcd' ? etcd : apiserver);
    if (refusal) expect(parsed.refusal).toMatch(refusal);
    else expect(parsed.refusal).toBeUndefined();
    if (still) expect(parsed.settings.get(still[0])?.value).toBe(still[1]);
  });
});

describe('parseFlags: words the model cannot evaluate', () => {
  const rows: { name: string; argv: string[]; expansions: { index: number; splits: boolean }[]; set: string[]; unknown: string[]; opaque: boolean }[] = [
    {
      name: 'a word that may be any flags makes the earlier ones unknown',
      argv: ['--name=a', '$OPTS', '--data-dir=/d'],
      expansions: [{ index: 2, splits: true }],
      set: ['data-dir'],
      unknown: ['name'],
      opaque: true,
    },
    {
      name: 'a quoted value of one flag',
      argv: ['--name=$N', '--data-dir=/d'],
      expansions: [{ index: 1, splits: false }],
      set: ['data-dir'],
      unknown: ['name'],
      opaque: false,
    },
    {
      name: 'the value word of a flag, quoted',
      argv: ['--name', '$N', '--data-dir=/d'],
      expansions: [{ index: 2, splits: false }],
      set: ['data-dir'],
      unknown: ['name'],
      opaque: false,
    },
    {
      name: 'the value word of a flag, unquoted',
      argv: ['--data-dir=/d', '--name', '$N'],
      expansions: [{ index: 3, splits: true }],
      set: [],
      unknown: ['name', 'data-dir'],
      opaque: true,
    },
    {
      name: 'a later flag is known again',
      argv: ['--name=$N', '--name=b'],
      expansions: [{ index: 1, splits: false }],
      set: ['name'],
      unknown: [],
      opaque: false,
    },
    { name: 'a word of unknown place', argv: ['--name=a'], expansions: [{ index: 2, splits: true }], set: [], unknown: ['name'], opaque: true },
  ];

  it.each(rows)('$name', ({ argv, expansions, set, unknown, opaque }) => {
    const all = ['etcd', ...argv];
    const parsed = parseFlags(all, { ...etcd, expansions: expansions.map((e) => ({ ...e, text: all[e.index] ?? '$X' })) });
    expect([...parsed.settings.keys()].sort()).toEqual(set.sort());
    expect([...parsed.unknownKeys.keys()].sort()).toEqual(unknown.sort());
    expect(parsed.opaque !== undefined).toBe(opaque);
    expect(parsed.refusal).toBeUndefined();
  });
});
