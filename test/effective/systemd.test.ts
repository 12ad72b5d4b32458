import { describe, expect, it } from 'vitest';
import type { FileFact } from '../../src/model.js';
import { parseEnvFile } from '../../src/effective/env-file.js';
import type { ListingsSeen, UnitConfig } from '../../src/effective/systemd.js';
import { dropInNames, execArgv, readUnit } from '../../src/effective/systemd.js';
import { expandSpecifiers, extractWords, unitEntries } from '../../src/effective/systemd-syntax.js';

const file = (path: string, content: string): FileFact => ({ path, exists: true, type: 'file', content });

function host(entries: Record<string, string | FileFact>): Record<string, FileFact> {
  return Object.fromEntries(Object.entries(entries).map(([path, content]) => [path, typeof content === 'string' ? file(path, content) : content]));
}

function unit(files: Record<string, FileFact>, name = 'etcd.service', seen?: ListingsSeen): UnitConfig {
  const read = readUnit(name, files, seen);
  if (!read.found) throw new Error(read.reason);
  return read.unit;
}

const envOf = (config: UnitConfig) => Object.fromEntries([...config.env].map(([name, entry]) => [name, entry.value]));

// The cases of systemd.exec(5), systemd.service(5), systemd.unit(5) and systemd.syntax(7), each
// read as systemd-stable v256 does (v252 where it differs).
describe('EnvironmentFile= format (src/basic/env-file.c parse_env_file_internal)', () => {
  it.each([
    ['ETCD_NAME = a  ', { ETCD_NAME: 'a' }],
    ['ETCD_NAME=a # c', { ETCD_NAME: 'a # c' }],
    ['ETCD_NAME="a b"', { ETCD_NAME: 'a b' }],
    ["ETCD_NAME='a\\nb'", { ETCD_NAME: 'a\\nb' }],
    ['ETCD_NAME="a\\nb"', { ETCD_NAME: 'a\\nb' }],
    ['ETCD_NAME="a\\"b\\$c"', { ETCD_NAME: 'a"b$c' }],
    ['ETCD_NAME="x" y', { ETCD_NAME: 'xy' }],
    ['ETCD_NAME=a"b"', { ETCD_NAME: 'a"b"' }],
    ['X=${Y}', { X: '${Y}' }],
    ['ETCD_NAME=', { ETCD_NAME: '' }],
    ['FOO', {}],
    ['ETCD_NAME=a\\\n  b', { ETCD_NAME: 'a  b' }],
    ["ETCD_NAME='one\ntwo'", { ETCD_NAME: 'one\ntwo' }],
    ['  # comment\n; another\nA=1', { A: '1' }],
    ['A=1\r\nB=2\r\n', { A: '1', B: '2' }],
    ['A=1\nA=2', { A: '2' }],
  ])('%j', (text, expected) => {
    expect(Object.fromEntries([...parseEnvFile(text).values].map(([name, entry]) => [name, entry.value]))).toEqual(expected);
  });

  it('drops export lines and invalid names, as systemd does ("Ignoring invalid environment assignment")', () => {
    const parsed = parseEnvFile('export ETCD_NAME=a\nETCD-NAME=b\nETCD_DATA_DIR=/d\n');
    expect([...parsed.values.keys()]).toEqual(['ETCD_DATA_DIR']);
    expect(parsed.invalid).toEqual([
      { line: 1, key: 'export ETCD_NAME' },
      { line: 2, key: 'ETCD-NAME' },
    ]);
  });

  it('reads the line after a comment ending in a backslash (v254 and later), and says older systemd does not', () => {
    const parsed = parseEnvFile('# note \\\nETCD_NAME=a\n');
    expect(parsed.values.get('ETCD_NAME')).toEqual({ value: 'a', line: 2, versionNote: 'systemd before 254 reads line 2 as part of the comment before it' });
  });
});

describe('unit file syntax (conf-parser.c, extract-word.c)', () => {
  it('joins continuation lines with a space, skipping comments inside them', () => {
    expect(unitEntries('[Service]\nExecStart=/usr/bin/etcd \\\n# a comment\n  --name=a\n')).toEqual([
      { section: '[Service]', key: 'ExecStart', value: '/usr/bin/etcd    --name=a', line: 2 },
    ]);
  });

  it.each([
    ['"A=x y" B=z', ['A=x y', 'B=z']],
    ['A=a"b c"d', ['A=ab cd']],
    ["A='x\\ty'", ['A=x\ty']],
    ['A=\\x41', ['A=A']],
    ['A=$B', ['A=$B']],
  ])('splits Environment=%s into %j', (text, words) => {
    expect(extractWords(text, { cunescape: true }).words).toEqual(words);
  });

  it('stops at an unclosed quote or an unknown escape', () => {
    expect(extractWords('A=1 "B=2', { cunescape: true })).toEqual({ words: ['A=1'], error: 'an unclosed "' });
    expect(extractWords('A=\\q', { cunescape: true }).error).toBe('an unknown escape \\q');
  });

  it('expands unit specifiers, refuses unknown ones and cannot know the host ones', () => {
    expect(expandSpecifiers('/etc/default/%N-%i 50%%', 'etcd@main.service', '/etc/systemd/system/etcd@.service')).toEqual({
      ok: true,
      value: '/etc/default/etcd@main-main 50%',
    });
    expect(expandSpecifiers('P=50%', 'etcd.service', '/x')).toMatchObject({ ok: false, error: expect.stringMatching(/does not exist/) as unknown });
    expect(expandSpecifiers('ETCD_NAME=%H', 'etcd.service', '/x')).toEqual({ ok: false, unknown: '%H' });
  });
});

describe('readUnit: environment precedence (systemd.exec(5), exec-invoke.c)', () => {
  it('lets EnvironmentFile= override Environment=, whatever the order and the file (F.4 #70, the drift that was not)', () => {
    const config = unit(
      host({
        '/etc/systemd/system/etcd.service': '[Service]\nEnvironmentFile=/etc/etcd.env\nExecStart=/usr/local/bin/etcd\n',
        '/etc/systemd/system/etcd.service.d/90-old.conf': '[Service]\nEnvironment="ETCD_PEER_CLIENT_CERT_AUTH=false"\n',
        '/etc/etcd.env': 'ETCD_PEER_CLIENT_CERT_AUTH=true\n',
      }),
    );
    expect(config.env.get('ETCD_PEER_CLIENT_CERT_AUTH')).toEqual({ value: 'true', source: '/etc/etcd.env line 1' });
  });

  it('lets the later of two environment files win (#71), an empty EnvironmentFile= reset the list (#72)', () => {
    const files = host({
      '/etc/systemd/system/etcd.service': '[Service]\nEnvironmentFile=/a.env\nEnvironmentFile=/b.env\nExecStart=/usr/bin/etcd\n',
      '/a.env': 'X=a\nY=a\n',
      '/b.env': 'X=b\n',
    });
    expect(envOf(unit(files))).toEqual({ X: 'b', Y: 'a' });
    files['/etc/systemd/system/etcd.service.d/reset.conf'] = file(
      '/etc/systemd/system/etcd.service.d/reset.conf',
      '[Service]\nEnvironmentFile=\nEnvironmentFile=/b.env\n',
    );
    expect(envOf(unit(files))).toEqual({ X: 'b' });
  });

  it('applies UnsetEnvironment= last, by name or exact assignment (#75, #76)', () => {
    const files = host({
      '/etc/systemd/system/etcd.service': '[Service]\nEnvironment=A=1 B=2 C=3\nUnsetEnvironment=A B=9 C=3\nExecStart=/usr/bin/etcd\n',
    });
    expect(envOf(unit(files))).toEqual({ B: '2' });
  });

  it('resets Environment= with an empty assignment, later ones winning', () => {
    const files = host({
      '/etc/systemd/system/etcd.service': '[Service]\nEnvironment=A=1 B=1\nEnvironment=\nEnvironment=B=2\nEnvironment=B=3\nExecStart=/usr/bin/etcd\n',
    });
    expect(envOf(unit(files))).toEqual({ B: '3' });
  });

  it('refuses to start without a required environment file, skips a missing "-" one (#74)', () => {
    const files = host({
      '/etc/systemd/system/etcd.service': '[Service]\nEnvironmentFile=-/etc/default/etcd\nEnvironmentFile=/etc/etcd.env\nExecStart=/usr/bin/etcd\n',
    });
    files['/etc/default/etcd'] = { path: '/etc/default/etcd', exists: false };
    files['/etc/etcd.env'] = { path: '/etc/etcd.env', exists: false };
    const config = unit(files);
    expect(config.refused).toMatch(/EnvironmentFile=\/etc\/etcd\.env .* does not exist and has no "-" prefix/);
    expect(config.missingEnv).toEqual([]);
  });

  it('lists what it could not read: an unreadable file, a wildcard, a host specifier', () => {
    const files = host({
      '/etc/systemd/system/etcd.service':
        '[Service]\nEnvironmentFile=/etc/etcd.env\nEnvironmentFile=-/etc/etcd.d/*.env\nEnvironmentFile=-/etc/%H.env\nExecStart=/usr/bin/etcd\n',
    });
    files['/etc/etcd.env'] = { path: '/etc/etcd.env', exists: true, unreadable: 'not readable by audit' };
    expect(unit(files).missingEnv).toEqual([
      '/etc/etcd.env (not readable by audit)',
      '/etc/etcd.d/*.env (the files it matches have not been listed)',
      '/etc/%H.env (it uses %H, which depends on the host)',
    ]);
  });

  it('reads every file a wildcard matches, in glob order, once the directory was listed (#73); no match stops a start without "-"', () => {
    const files = host({
      '/etc/systemd/system/etcd.service': '[Service]\nEnvironmentFile=/etc/etcd.d/*.env\nExecStart=/usr/bin/etcd\n',
      '/etc/etcd.d/20-tls.env': 'ETCD_CLIENT_CERT_AUTH=true\nX=20\n',
      '/etc/etcd.d/10-base.env': 'ETCD_CLIENT_CERT_AUTH=false\nX=10\n',
      '/etc/etcd.d/10-base.env.bak': 'X=bak\n',
      '/etc/etcd.d': { path: '/etc/etcd.d', exists: true, type: 'directory', mode: 0o755 },
    });
    const before = unit(files);
    expect(before.unlisted).toEqual([{ dir: '/etc/etcd.d', names: ['*.env'] }]);
    const listed = unit(files, 'etcd.service', { listed: ['/etc/etcd.d/*.env'], privilege: 'root' });
    expect(envOf(listed)).toEqual({ ETCD_CLIENT_CERT_AUTH: 'true', X: '20' });
    expect(listed.sources.slice(1)).toEqual(['/etc/etcd.d/10-base.env', '/etc/etcd.d/20-tls.env']);
    const none = unit(
      host({
        '/etc/systemd/system/etcd.service': '[Service]\nEnvironmentFile=/etc/none/*.env\nExecStart=/usr/bin/etcd\n',
        '/etc/none': { path: '/etc/none', exists: false },
      }),
      'etcd.service',
      {
        listed: ['/etc/none/*.env'],
        privilege: 'root',
      },
    );
    expect(none.refused).toMatch(/matches no file and has no "-" prefix/);
  });

  it('keeps a host-specifier value as unknown, and drops a word with a bad specifier (#92)', () => {
    const config = unit(host({ '/etc/systemd/system/etcd.service': '[Service]\nEnvironment=ETCD_NAME=%H P=50%\nExecStart=/usr/bin/etcd\n' }));
    expect(config.env.get('ETCD_NAME')?.unknown).toBe('it uses %H, which depends on the host');
    expect(config.env.has('P')).toBe(false);
  });

  it('says what PassEnvironment= brings in from the manager (#77)', () => {
    expect(unit(host({ '/etc/systemd/system/etcd.service': '[Service]\nPassEnvironment=ETCD_NAME\nExecStart=/usr/bin/etcd\n' })).notes[0]).toMatch(
      /PassEnvironment=ETCD_NAME passes the service manager's own values/,
    );
  });
});

describe('readUnit: which files (path-lookup.c, dropin.c, conf-files.c)', () => {
  it('takes the unit file from the first directory of the search path (#100), a masked one masks (#101)', () => {
    const files = host({
      '/usr/lib/systemd/system/etcd.service': '[Service]\nExecStart=/usr/bin/etcd --name=lib\n',
      '/etc/systemd/system/etcd.service': '[Service]\nExecStart=/usr/bin/etcd --name=etc\n',
    });
    expect(unit(files).path).toBe('/etc/systemd/system/etcd.service');
    files['/etc/systemd/system/etcd.service'] = file('/etc/systemd/system/etcd.service', '');
    expect(readUnit('etcd.service', files)).toEqual({ found: false, reason: expect.stringMatching(/masks etcd\.service/) as unknown });
    files['/etc/systemd/system/etcd.service'] = {
      path: '/etc/systemd/system/etcd.service',
      exists: false,
      unreadable: 'it leads under /proc, /sys or /dev: not read by reference',
    };
    expect(readUnit('etcd.service', files).found).toBe(false);
  });

  it('does not fall back to a lower directory when the first unit file cannot be read', () => {
    const files = host({ '/usr/lib/systemd/system/etcd.service': '[Service]\nExecStart=/usr/bin/etcd\n' });
    files['/etc/systemd/system/etcd.service'] = { path: '/etc/systemd/system/etcd.service', exists: true, unreadable: 'not readable by audit' };
    expect(readUnit('etcd.service', files)).toEqual({ found: false, reason: '/etc/systemd/system/etcd.service could not be read (not readable by audit)' });
  });

  it('lets an /etc drop-in hide the /usr/lib one of the same name (#102) and applies all others in file-name order (#103)', () => {
    const config = unit(
      host({
        '/usr/lib/systemd/system/etcd.service': '[Service]\nExecStart=/usr/bin/etcd\n',
        '/usr/lib/systemd/system/etcd.service.d/10.conf': '[Service]\nEnvironment=A=usr\n',
        '/etc/systemd/system/etcd.service.d/10.conf': '[Service]\nEnvironment=A=etc\n',
        '/etc/systemd/system/etcd.service.d/50.conf': '[Service]\nEnvironment=B=etc50\n',
        '/run/systemd/system/etcd.service.d/20.conf': '[Service]\nEnvironment=B=run20 C=run20\n',
      }),
    );
    expect(envOf(config)).toEqual({ A: 'etc', B: 'etc50', C: 'run20' });
    expect(config.sources).toEqual([
      '/usr/lib/systemd/system/etcd.service',
      '/etc/systemd/system/etcd.service.d/10.conf',
      '/run/systemd/system/etcd.service.d/20.conf',
      '/etc/systemd/system/etcd.service.d/50.conf',
    ]);
  });

  it('reads service.d/ type drop-ins last in precedence: a name-specific one of the same name wins (#104)', () => {
    const config = unit(
      host({
        '/etc/systemd/system/etcd.service': '[Service]\nExecStart=/usr/bin/etcd\n',
        '/etc/systemd/system/service.d/10.conf': '[Service]\nEnvironment=A=type B=type\n',
        '/usr/lib/systemd/system/etcd.service.d/10.conf': '[Service]\nEnvironment=A=named\n',
        '/etc/systemd/system/service.d/20.conf': '[Service]\nEnvironment=C=type20\n',
      }),
    );
    expect(envOf(config)).toEqual({ A: 'named', C: 'type20' });
  });

  it('reads the dash-prefix drop-ins of etcd-main.service (#105) and the template of an instance', () => {
    expect(dropInNames('etcd-main-a.service')).toEqual(['etcd-main-a.service', 'etcd-main-.service', 'etcd-.service']);
    expect(dropInNames('etcd-x@a.service')).toEqual(['etcd-x@a.service', 'etcd-x@.service', 'etcd-.service', 'etcd-@a.service', 'etcd-@.service']);
    const config = unit(
      host({
        '/usr/lib/systemd/system/etcd@.service': '[Service]\nExecStart=/usr/bin/etcd --name=%i\n',
        '/etc/systemd/system/etcd@.service.d/tls.conf': '[Service]\nEnvironment=ETCD_CLIENT_CERT_AUTH=true\n',
      }),
      'etcd@main.service',
    );
    expect(config.path).toBe('/usr/lib/systemd/system/etcd@.service');
    expect(envOf(config)).toEqual({ ETCD_CLIENT_CERT_AUTH: 'true' });
    expect(execArgv(config)?.argv).toEqual(['/usr/bin/etcd', '--name=main']);
  });
});

describe('ExecStart= (systemd.service(5), replace_env_argv)', () => {
  const argvOf = (execStart: string, env = "OPTS=--a=1 '--b=2 3'\nN=node1\n") =>
    execArgv(
      unit(
        host({
          '/etc/systemd/system/etcd.service': `[Service]\nEnvironmentFile=/etc/etcd.env\n${execStart}\n`,
          '/etc/etcd.env': env,
        }),
      ),
    )?.argv;

  it.each([
    ['ExecStart=/usr/bin/etcd $OPTS', ['/usr/bin/etcd', '--a=1', '--b=2 3']],
    ['ExecStart=/usr/bin/etcd ${OPTS}', ['/usr/bin/etcd', "--a=1 '--b=2 3'"]],
    ['ExecStart=/usr/bin/etcd --name=$N', ['/usr/bin/etcd', '--name=$N']],
    ['ExecStart=/usr/bin/etcd --name=${N}', ['/usr/bin/etcd', '--name=node1']],
    ['ExecStart=:/usr/bin/etcd $OPTS', ['/usr/bin/etcd', '$OPTS']],
    ['ExecStart=/usr/bin/etcd $UNSET --x', ['/usr/bin/etcd', '--x']],
    ['ExecStart=-@/usr/bin/etcd etcd-main --name=a', ['/usr/bin/etcd', '--name=a']],
    ['ExecStart=/usr/bin/etcd "--name=a b" $$OPTS', ['/usr/bin/etcd', '--name=a b', '$OPTS']],
  ])('%s', (execStart, argv) => {
    expect(argvOf(execStart)).toEqual(argv);
  });

  it('refuses a second ExecStart= without a reset, unless Type=oneshot (#99)', () => {
    const files = host({
      '/etc/systemd/system/etcd.service': '[Service]\nType=notify\nExecStart=/usr/bin/etcd\n',
      '/etc/systemd/system/etcd.service.d/flags.conf': '[Service]\nExecStart=/usr/bin/etcd --client-cert-auth\n',
    });
    expect(unit(files).refused).toMatch(/has 2 ExecStart= commands/);
    files['/etc/systemd/system/etcd.service.d/flags.conf'] = file(
      '/etc/systemd/system/etcd.service.d/flags.conf',
      '[Service]\nExecStart=\nExecStart=/usr/bin/etcd --client-cert-auth\n',
    );
    const reset = unit(files);
    expect(reset.refused).toBeUndefined();
    expect(execArgv(reset)?.argv).toEqual(['/usr/bin/etcd', '--client-cert-auth']);
  });

  it('says which variables of the command it could not know', () => {
    const files = host({ '/etc/systemd/system/etcd.service': '[Service]\nEnvironmentFile=/etc/etcd.env\nExecStart=/usr/bin/etcd $OPTS\n' });
    files['/etc/etcd.env'] = { path: '/etc/etcd.env', exists: true, unreadable: 'not readable by audit' };
    expect(execArgv(unit(files))).toEqual({ argv: ['/usr/bin/etcd', '$OPTS'], unknown: [{ index: 1, text: '$OPTS', splits: true }] });
  });
});
