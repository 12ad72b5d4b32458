import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { firstLaunch, launcherCommand } from '../../src/collect/launcher.js';
import { parseProbeOutput } from '../../src/collect/parse-output.js';
import { probeScript } from '../../src/collect/probe.js';
import type { Finding, ScanResult } from '../../src/model.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { CLI } from '../support/cli.js';
import { ETCD_COMMANDS, startEtcdFleet } from '../support/netns/etcd/etcd-fleet.js';
import type { EtcdFleet } from '../support/netns/etcd/etcd-fleet.js';
import type { Layout } from '../support/netns/etcd/layout.js';
import { loadLayouts } from '../support/netns/etcd/layout.js';
import { missingPrerequisites } from '../support/netns/prerequisites.js';
import type { FileSpec, HostSpec, ServiceSpec } from '../support/netns/spec.js';
import { runOverSsh } from '../support/netns/ssh-client.js';

// An ordinary user on an audited host ("tenant", uid >= 1000, no sudo) attacks the root probe while
// fleetbench scans, on namespace hosts with real OpenSSH sshd, sudo and etcd. Each test is one
// attack of the threat model; every one of them broke an earlier probe. The tenant's programs are
// in test/support/tenant/. Needs root; skipped elsewhere, but never in CI.

const missing = await missingPrerequisites(ETCD_COMMANDS);
const mustRun = process.env.FLEETBENCH_CI === '1';
const skip = missing.length > 0 && !mustRun;

const TENANT = 'tenant';
const HOME = `/home/${TENANT}`;
const CANARY = `fleetbench-canary-${randomBytes(8).toString('hex')}`;
const CANARY_FILE = '/etc/fleetbench-canary';
const PASSWORD = `pw-${randomBytes(6).toString('hex')}`;
// Links the tenant keeps flipping between a small file, /dev/zero, a FIFO and the canary.
const FLIPPING = Array.from({ length: 8 }, (_, i) => `/tmp/work/config${i}`);
// A working directory whose path, printed, reads as lines naming the canary and the flipping links;
// and, in the stray root etcd's working directory, a name with a newline that its data dir glob matches.
const NEWLINE_CWD = `/tmp/work/x\nR ${CANARY_FILE}\n${FLIPPING.map((link) => `R ${link}\n`).join('')}y`;
const NEWLINE_NAME = '/tmp/work/x\ny.etcd';
const TENANT_ENV = { PATH: '/usr/local/bin:/usr/bin:/bin', HOME };

const tenantFile = (name: string) => readFile(join(PACKAGE_ROOT, 'test', 'support', 'tenant', name), 'utf8');

/** A program named etcd, run by the tenant: node, started through ~/bin/etcd, listening where its flags say. */
function fakeEtcd(name: string, port: number, flags: string[], cwd = HOME): ServiceSpec {
  return { name, argv: [`${HOME}/bin/etcd`, `${HOME}/listen.mjs`, String(port), `${HOME}/${name}.log`, ...flags], env: TENANT_ENV, user: TENANT, cwd };
}

function tenantService(name: string, script: string, args: string[]): ServiceSpec {
  return { name, argv: [process.execPath, `${HOME}/${script}`, ...args], env: TENANT_ENV, user: TENANT, cwd: HOME };
}

// An administrator's wrapper that makes `stat` hang (for STAT_DELAY's seconds where that file exists;
// every probe stats what it found): the probe must still end at its deadline.
const STAT_DELAY = '/etc/fleetbench-stat-delay';
const HANGING_STAT: FileSpec = {
  path: '/usr/local/bin/stat',
  content: `#!/bin/sh\nsleep "$(cat ${STAT_DELAY} 2>/dev/null || echo 120)"\nexec /usr/bin/stat "$@"\n`,
  mode: 0o755,
  owner: 'root:root',
};

const sudoScript = (body: string): FileSpec => ({ path: '/usr/local/bin/sudo', content: `#!/bin/sh\n${body}\n`, mode: 0o755, owner: 'root:root' });

/** What each host adds to its kubeadm-single layout: the tenant's programs and, per host, the setting of one attack. */
async function hostAdditions(): Promise<Record<string, Partial<HostSpec>>> {
  const programs = await Promise.all(['watch-proc.mjs', 'listen.mjs', 'flip.mjs'].map(async (name) => ({ name, content: await tenantFile(name) })));
  const common: FileSpec[] = [
    { path: `${HOME}/bin`, directory: true, owner: `${TENANT}:${TENANT}` },
    { path: `${HOME}/bin/etcd`, symlink: process.execPath },
    ...programs.map((p): FileSpec => ({ path: `${HOME}/${p.name}`, content: p.content, owner: `${TENANT}:${TENANT}` })),
    { path: CANARY_FILE, content: `${CANARY}\n`, mode: 0o600, owner: 'root:root' },
  ];
  const tlsFlags = [
    '--client-cert-auth=true',
    `--cert-file=${HOME}/fake/server.crt`,
    `--key-file=${HOME}/fake/server.key`,
    `--trusted-ca-file=${HOME}/fake/ca.crt`,
    '--peer-client-cert-auth=true',
    `--data-dir=${HOME}/fake/data`,
  ];
  return {
    't-forge': {
      files: common,
      services: [
        tenantService('watch', 'watch-proc.mjs', [`${HOME}/seen.jsonl`]),
        fakeEtcd('fake-etcd', 23790, ['--listen-client-urls=https://127.0.0.1:23790', ...tlsFlags, '--', 'FB1:00000000000000000000000000000000:done']),
      ],
    },
    't-hostile': {
      files: common,
      services: [
        // A root etcd someone started in a directory every user may write: its default data dir is there.
        {
          name: 'stray-etcd',
          argv: [
            'etcd',
            '--name=stray',
            '--listen-client-urls=http://127.0.0.1:32379',
            '--advertise-client-urls=http://127.0.0.1:32379',
            '--listen-peer-urls=http://127.0.0.1:32380',
            '--initial-advertise-peer-urls=http://127.0.0.1:32380',
            '--initial-cluster=stray=http://127.0.0.1:32380',
            '--listen-metrics-urls=http://127.0.0.1:32381',
          ],
          env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
          cwd: '/tmp/work',
        },
        tenantService('flip', 'flip.mjs', [`/tmp/work/small,/dev/zero,/tmp/work/fifo,${CANARY_FILE}`, '/tmp/work/flip.etcd', ...FLIPPING]),
        fakeEtcd(
          'fake-etcd',
          23791,
          [
            '--listen-client-urls=https://127.0.0.1:23791',
            `--config-file=${FLIPPING[0]}`,
            `--trusted-ca-file=${CANARY_FILE}`,
            '--cert-file=/etc/shadow',
            `--data-dir=${CANARY_FILE}`,
          ],
          NEWLINE_CWD,
        ),
      ],
    },
    't-listener': {
      files: common,
      services: [
        fakeEtcd('fake-etcd', 23790, [
          '--listen-client-urls=https://127.0.0.1:23790',
          `--key-file=${CANARY_FILE}`,
          '--trusted-ca-file=/etc/shadow',
          `--cert-file=${CANARY_FILE}`,
        ]),
      ],
    },
    't-slow': { files: [...common, HANGING_STAT] },
    // The same where tail is busybox's, which knows no --pid: the watchdog keeps looking by itself.
    't-slow-busybox': {
      files: [
        ...common,
        HANGING_STAT,
        { path: '/usr/local/bin/tail', content: '#!/bin/sh\nexec /usr/bin/busybox tail "$@"\n', mode: 0o755, owner: 'root:root' },
      ],
    },
    // A sudo that records what it was given: with NOPASSWD, it must never be given the password.
    't-pw-nopasswd': {
      files: [
        ...common,
        sudoScript(
          '{ echo "argv: $*"; echo "FB_PW: ${FB_PW:-}"; [ -z "${SUDO_ASKPASS:-}" ] || echo "askpass: $("$SUDO_ASKPASS" FB_PW)"; } >> /tmp/fake-sudo.log\nexec /usr/bin/sudo "$@"',
        ),
      ],
    },
    // A sudo that asks for the password, then prints it in its error.
    't-pw-echo': {
      sudo: { password: PASSWORD },
      files: [
        ...common,
        sudoScript(
          'case " $* " in *" -n "*) exec /usr/bin/sudo "$@";; esac\npw=$("$SUDO_ASKPASS" FB_PW)\necho "sudo: the password $pw was given to me" >&2\necho "sudo: $pw: not accepted" >&2\nexit 1',
        ),
      ],
    },
  };
}

describe.skipIf(skip)(`an ordinary user attacking the probe${skip ? ` (skipped: ${missing.join('; ')})` : ''}`, () => {
  let etcd: EtcdFleet;
  const host = (name: string) => etcd.fleet.host(name);
  const asTenant = (name: string, command: string, args: string[]) => host(name).run(command, args, { user: TENANT, env: TENANT_ENV });

  /** A native inventory of some of the hosts, each a cluster of its own. */
  const inventory = async (names: string[]): Promise<string> => {
    const path = join(etcd.fleet.dir, `${names.join('+')}.yaml`);
    const clusters = Object.fromEntries(names.map((name) => [name, { hosts: [{ name, address: host(name).address, roles: ['etcd', 'control-plane'] }] }]));
    await writeFile(path, stringify({ defaults: { user: etcd.fleet.user, become: true }, clusters }));
    return path;
  };
  const scan = async (names: string[], extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}, timeoutMs = 60_000) => {
    const run = await etcd.fleet.runInFabric(
      process.execPath,
      [
        CLI,
        'scan',
        '-i',
        await inventory(names),
        '--format',
        'json',
        '--known-hosts',
        etcd.fleet.knownHostsFile,
        '--private-key',
        etcd.fleet.keyFile,
        ...extraArgs,
      ],
      { env: { ...process.env, SSH_AUTH_SOCK: '', HOME: etcd.fleet.dir, ...env }, timeoutMs },
    );
    const result = run.stdout.trim() === '' ? undefined : (JSON.parse(run.stdout) as ScanResult);
    return { ...run, result };
  };
  const finding = (result: ScanResult | undefined, hostName: string, rule: string): Finding => {
    const found = result?.findings.find((f) => f.host === hostName && f.ruleId === rule);
    if (!found) throw new Error(`no ${rule} finding for ${hostName}`);
    return found;
  };
  /** The probe as fleetbench sends it, run over real OpenSSH and sudo: exactly the bytes that leave the host. */
  const probeOver = async (name: string, nonce: string) => {
    const run = await runOverSsh(etcd.fleet, name, launcherCommand(firstLaunch(true, etcd.fleet.user, false)), {
      input: probeScript({ nonce, deadlineSeconds: 30 }),
      timeoutMs: 40_000,
    });
    return { ...run, snapshot: parseProbeOutput(Buffer.from(run.stdout, 'latin1'), { target: name, nonce, collectedAt: '', user: etcd.fleet.user }) };
  };
  /** Processes on the host now that were not in `before`, but the tenant's: what the probe left behind. */
  const processes = async (name: string) => {
    const ps = await host(name).run('/bin/ps', ['-eo', 'pid=,user=,args=']);
    return ps.stdout
      .trim()
      .split('\n')
      .map((line) => /^\s*(\d+)\s+(\S+)\s+(.*)$/.exec(line)!)
      .map(([, pid, user, args]) => ({ pid: Number(pid), user: user!, args: args! }))
      .filter((p) => !p.args.startsWith('/bin/ps -eo'));
  };
  const leftovers = async (name: string, before: { pid: number }[]) => {
    const known = new Set(before.map((p) => p.pid));
    return (await processes(name)).filter((p) => !known.has(p.pid) && p.user !== TENANT);
  };
  const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  beforeAll(async () => {
    if (missing.length > 0) throw new Error(`FLEETBENCH_CI=1, but this machine cannot run the end-to-end tests: ${missing.join('; ')}`);
    const [single] = (await loadLayouts()).filter((layout) => layout.cluster === 'kubeadm-single');
    const additions = await hostAdditions();
    const layouts = Object.keys(additions).map((name): Layout => {
      const files = single!.files.map((file) =>
        // The forge host's real etcd does not check client certificates: 2.2 must stay FAIL.
        name === 't-forge' && 'text' in file && file.path.endsWith('etcd.yaml')
          ? { ...file, text: file.text.replace('--client-cert-auth=true', '--client-cert-auth=false') }
          : file,
      );
      return { ...single!, cluster: name, hosts: [name], files };
    });
    etcd = await startEtcdFleet(layouts, {
      extendHost: (spec) => {
        const extra = additions[spec.name] ?? {};
        return {
          ...spec,
          ...(extra.sudo ? { sudo: extra.sudo } : {}),
          accounts: [...(spec.accounts ?? []), { name: TENANT, system: false }],
          files: [...(spec.files ?? []), ...(extra.files ?? [])],
          services: [...(spec.services ?? []), ...(extra.services ?? [])],
        };
      },
    });
    await host('t-forge').startService('watch');
    await host('t-forge').startService('fake-etcd');
    // The hostile host's directory every user may write, with what the tenant puts in it.
    const hostile = host('t-hostile');
    await hostile.run('sh', ['-c', 'mkdir -m 1777 /tmp/work']);
    await hostile.startService('stray-etcd');
    const prepared = await asTenant('t-hostile', 'sh', [
      '-c',
      `cd /tmp/work && mkfifo fifo && echo small > small && mkdir -p "$1/z.etcd" && mkdir "$2" && ln -s ${CANARY_FILE} evil.etcd && mkdir 'a b.etcd'`,
      'sh',
      NEWLINE_CWD,
      NEWLINE_NAME,
    ]);
    if (prepared.code !== 0) throw new Error(`the tenant could not prepare /tmp/work: ${prepared.stderr}`);
    for (const service of ['flip', 'fake-etcd']) await hostile.startService(service);
    // The real etcd of the listener host goes down; only the tenant's "etcd" is left there.
    await host('t-listener').run('kill', [String(etcd.hosts.find((h) => h.name === 't-listener')!.pids.etcd)]);
    await host('t-listener').startService('fake-etcd');
    await settle(1_000);
  }, 180_000);

  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
    await etcd?.stop();
  }, 60_000);

  it('cannot read the framing nonce, so cannot forge a record: a real FAIL stays FAIL', async () => {
    const nonce = randomBytes(16).toString('hex');
    const direct = await probeOver('t-forge', nonce);
    const scanned = await scan(['t-forge']);
    await settle(500);
    const seen = (await asTenant('t-forge', 'cat', [`${HOME}/seen.jsonl`])).stdout;
    const records = seen
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { kind: string; pid: number; text: string });
    // The tenant saw the probe's processes go by (it looked), but never its nonce, in no argv and no environment.
    expect(records.some((r) => r.kind === 'argv' && r.text.startsWith('sh -s sudo'))).toBe(true);
    expect(records.filter((r) => r.text.includes(nonce))).toEqual([]);
    // Nor that of the scan, whatever it was: no argument list but the tenant's own held a random token or a record marker.
    const ownArgv = (r: { text: string }) => r.text.startsWith(`${HOME}/`);
    const randomToken = (text: string) => (text.match(/[0-9a-f]{32}/g) ?? []).some((token) => new Set(token).size >= 8);
    expect(records.filter((r) => r.kind === 'argv' && !ownArgv(r) && (randomToken(r.text) || /FB1:[0-9a-f]{16}/.test(r.text)))).toEqual([]);
    // Only its own environments were readable to it.
    const ownPids = new Set((await processes('t-forge')).filter((p) => p.user === TENANT).map((p) => p.pid));
    expect(records.filter((r) => r.kind === 'environ' && !ownPids.has(r.pid)).map((r) => r.text.slice(0, 80))).toEqual([]);

    expect(direct.snapshot.privilege).toBe('sudo');
    expect(direct.stdout).not.toContain('PRIVATE KEY');
    // Of a process's environment only ETCD_* variables leave the host.
    for (const environ of Object.values(direct.snapshot.environ)) for (const name of Object.keys(environ)) expect(name).toMatch(/^ETCD_/);

    expect(scanned.code, scanned.stderr).toBe(1);
    const realPid = etcd.hosts.find((h) => h.name === 't-forge')!.pids.etcd;
    const clientAuth = finding(scanned.result, 't-forge', 'etcd-client-cert-auth');
    expect(clientAuth.status).toBe('FAIL');
    expect(clientAuth.evidence[0]).toEqual({ source: `process ${realPid} command line`, key: '--client-cert-auth', value: 'false' });
    const fake = scanned.result!.hosts[0]!.problems.find((p) => p.reason.includes('not audited'));
    expect(fake?.reason).toMatch(/^runs \/home\/tenant\/bin\/etcd as uid \d{4,} \(tenant\), not as root or the etcd or kube system account/);
    expect(JSON.stringify(scanned.result!.findings)).not.toContain(`${fake!.subject} command line`);
  });

  it('still sees etcd when the tenant crowds the process list past what one string of an environment may hold', async () => {
    // 600 processes with 250-byte command lines: `ps -ef` prints more than 128 KiB (Linux's
    // MAX_ARG_STRLEN), which the probe's awk once received in its environment and then could not start.
    const crowd = await asTenant('t-forge', 'sh', [
      '-c',
      'z=$(printf " 0%.0s" $(seq 120)); i=0; while [ $i -lt 600 ]; do setsid sleep 600 $z </dev/null >/dev/null 2>&1 & i=$((i + 1)); done',
    ]);
    expect(crowd.code, crowd.stderr).toBe(0);
    try {
      const listed = await host('t-forge').run('sh', ['-c', 'ps -ef | wc -c']);
      expect(Number(listed.stdout.trim())).toBeGreaterThan(128 * 1024);
      const scanned = await scan(['t-forge']);
      expect(scanned.code, scanned.stderr).toBe(1);
      const clientAuth = finding(scanned.result, 't-forge', 'etcd-client-cert-auth');
      expect(clientAuth.status).toBe('FAIL');
      const realPid = etcd.hosts.find((h) => h.name === 't-forge')!.pids.etcd;
      expect(clientAuth.evidence[0]).toEqual({ source: `process ${realPid} command line`, key: '--client-cert-auth', value: 'false' });
    } finally {
      await asTenant('t-forge', 'pkill', ['-u', TENANT, '-x', 'sleep']);
    }
  });

  it('still audits the host when the tenant fills the process list with megabytes of arguments', async () => {
    // 150 shells with an argument of 128,000 bytes each, every third named etcd: `ps -ef` (procps
    // prints up to 128 KiB of each command line) prints 19 MB, more than the 16 MiB a scan reads
    // from a host (--max-output), which would leave the host unaudited. (`; :` keeps each shell
    // alive beside its sleep, argument and all.)
    const crowd = await asTenant('t-forge', 'sh', [
      '-c',
      [
        "big=$(head -c 128000 /dev/zero | tr '\\000' A)",
        'mkdir -p "$HOME/shell" && ln -sf /bin/sh "$HOME/shell/etcd"',
        'i=0; while [ $i -lt 150 ]; do p=/bin/sh; [ $((i % 3)) = 0 ] && p=$HOME/shell/etcd',
        `  setsid "$p" -c 'sleep 600; :' crowd "$big" </dev/null >/dev/null 2>&1 & i=$((i + 1)); done`,
      ].join('\n'),
    ]);
    expect(crowd.code, crowd.stderr).toBe(0);
    try {
      await settle(500);
      const listed = await host('t-forge').run('sh', ['-c', 'ps -ef | wc -c']);
      expect(Number(listed.stdout.trim())).toBeGreaterThan(16 * 1_048_576);
      const scanned = await scan(['t-forge']);
      expect(scanned.code, scanned.stderr).toBe(1);
      expect(scanned.result!.hosts[0]).toMatchObject({ reached: true, privilege: 'sudo' });
      const realPid = etcd.hosts.find((h) => h.name === 't-forge')!.pids.etcd;
      const clientAuth = finding(scanned.result, 't-forge', 'etcd-client-cert-auth');
      expect(clientAuth.status).toBe('FAIL');
      expect(clientAuth.evidence[0]).toEqual({ source: `process ${realPid} command line`, key: '--client-cert-auth', value: 'false' });
      // The probe sent a kilobyte of each of those lines and said how much it left out; all of the real etcd's.
      const direct = await probeOver('t-forge', randomBytes(16).toString('hex'));
      const crowded = direct.snapshot.processes.filter((p) => p.command.includes(' crowd '));
      expect(crowded).toHaveLength(150);
      for (const p of crowded) expect(p.command).toMatch(/ \[fleetbench: \d{6} more bytes not sent\]$/);
      expect(direct.stdout.length).toBeLessThan(1_048_576);
      expect(direct.snapshot.processes.find((p) => p.pid === realPid)?.argv).toContain('--client-cert-auth=false');
    } finally {
      await asTenant('t-forge', 'sh', ['-c', "pkill -f ' crowd '; pkill -x sleep; true"]);
    }
  });

  it('never reads a file an ordinary user names, whatever the name: a root-only canary never leaves the host', async () => {
    const direct = await probeOver('t-hostile', randomBytes(16).toString('hex'));
    expect(direct.code, direct.stderr).toBe(0);
    expect(direct.stdout).not.toContain(CANARY);
    expect(direct.stdout).not.toMatch(/^root:[^:\n]*:\d+:/m);
    const scanned = await scan(['t-hostile']);
    expect(scanned.result, scanned.stderr).toBeDefined();
    expect(JSON.stringify(scanned.result)).not.toContain(CANARY);
    // The newline-named directory in the stray etcd's working directory is refused whole, never split into a path to read.
    const problems = scanned.result!.hosts[0]!.problems;
    expect(problems).toContainEqual({ subject: NEWLINE_NAME, reason: 'the path holds a control character: refused, never split, followed or read' });
    expect(problems.find((p) => p.subject === '/tmp/work/evil.etcd')?.reason).toBe(
      'not followed: /tmp/work can be written by every user (mode 1777), so an ordinary user could change what it says',
    );
    // The stray root etcd keeps its data where anyone may write: its data-dir controls cannot be judged, and say why.
    const dataDir = finding(scanned.result, 't-hostile', 'etcd-data-dir-perms');
    expect(dataDir.status).toBe('ERROR');
    expect(dataDir.reason).toContain('/tmp/work/stray.etcd');
    expect(dataDir.reason).toContain('not followed: /tmp/work can be written by every user (mode 1777)');
  });

  it("cannot hide etcd's files by flooding a root etcd's working directory with data dir names", async () => {
    const verdicts = (result: ScanResult | undefined) => (result?.findings ?? []).map((f) => ({ rule: f.ruleId, status: f.status, reason: f.reason }));
    const before = await scan(['t-hostile']);
    // 10,000 names of 250 bytes matching *.etcd where the stray root etcd runs: listed whole, they
    // would make one stat command line of 2.5 MB, more than execve takes, and every file of the
    // real etcd, stat'ed in the same round, would be missing.
    const name = 'a'.repeat(240);
    const flooded = await asTenant('t-hostile', 'sh', ['-c', `cd /tmp/work && seq 10000 | sed 's/^/${name}/; s/$/.etcd/' | xargs touch`]);
    expect(flooded.code, flooded.stderr).toBe(0);
    try {
      const after = await scan(['t-hostile']);
      expect(after.result?.hosts[0]).toMatchObject({ reached: true, privilege: 'sudo' });
      // The same verdicts for the same reasons; the stray etcd's data dir, past the first names the
      // probe looks at there, is asked for by name in a follow-up.
      expect(verdicts(after.result)).toEqual(verdicts(before.result));
      expect(verdicts(after.result).find((v) => v.rule === 'etcd-data-dir-perms')?.reason).toContain('/tmp/work/stray.etcd');
    } finally {
      const removed = await asTenant('t-hostile', 'find', ['/tmp/work', '-maxdepth', '1', '-name', `${name}*.etcd`, '-delete']);
      expect(removed.code, removed.stderr).toBe(0);
    }
  });

  it('cannot make the probe block, spin or outlive the scan with symlinks flipped to /dev/zero, a FIFO or a secret', async () => {
    for (let round = 0; round < 5; round++) {
      const before = await processes('t-hostile');
      const scanned = await scan(['t-hostile'], ['--timeout', '20']);
      expect(scanned.result?.hosts[0]).toMatchObject({ reached: true, privilege: 'sudo' });
      expect(scanned.result!.hosts[0]!.durationMs).toBeLessThan(10_000);
      expect(JSON.stringify(scanned.result)).not.toContain(CANARY);
      await settle(1_500);
      expect(await leftovers('t-hostile', before)).toEqual([]);
    }
  });

  it("never lets root's etcdctl reach a listener of a process an ordinary user named etcd", async () => {
    const scanned = await scan(['t-listener', 't-forge']);
    expect(scanned.result, scanned.stderr).toBeDefined();
    expect((await asTenant('t-listener', 'cat', [`${HOME}/fake-etcd.log`])).stdout).toBe('');
    expect((await asTenant('t-forge', 'cat', [`${HOME}/fake-etcd.log`])).stdout).toBe('');
    // Where the real etcd is down, the verdicts rest on its manifest (what a restart runs), never on
    // the tenant's "etcd", which is named as not audited.
    const certFile = finding(scanned.result, 't-listener', 'etcd-cert-file');
    expect(certFile.reason).toMatch(/^etcd is not running; etcd manifest \/etc\/kubernetes\/manifests\/etcd.yaml says/);
    expect(certFile.evidence.map((e) => e.source)).toEqual(['/etc/kubernetes/manifests/etcd.yaml line 17', '/etc/kubernetes/manifests/etcd.yaml line 22']);
    const fake = scanned.result!.hosts.find((h) => h.name === 't-listener')!.problems.find((p) => p.reason.includes('not audited'));
    expect(fake?.subject).toMatch(/^process \d+$/);
    // Only this host's findings: each host has a pid namespace of its own, so t-forge may well have a process of that number.
    expect(JSON.stringify(scanned.result!.findings.filter((f) => f.host === 't-listener'))).not.toContain(`${fake!.subject} `);
    // Where it runs, the member list came from it.
    expect(scanned.result!.clusters.find((c) => c.name === 't-forge')?.memberCountBasis).toContain('etcdctl member list shows 1 member');
  });

  it.each(['t-slow', 't-slow-busybox'])('ends the probe with everything it started at its deadline, and as soon as the client goes away (%s)', async (name) => {
    // A probe that runs for seconds is left to end: where tail is GNU's, the watchdog waits in it
    // past the first second (no program started each second); busybox's knows no --pid.
    await host(name).run('sh', ['-c', `echo 4 > ${STAT_DELAY}`]);
    const waiting = new Set<string>();
    let scanned;
    try {
      const scanning = { done: false };
      const slow = scan([name], ['--timeout', '30']).finally(() => (scanning.done = true));
      while (!scanning.done) {
        for (const p of await processes(name)) if (/^tail -s 1 -f --pid=\d+ \/dev\/null$/.test(p.args)) waiting.add(p.args);
        await settle(250);
      }
      scanned = await slow;
    } finally {
      await host(name).run('rm', ['-f', STAT_DELAY]);
    }
    expect(scanned.result?.hosts[0], scanned.stderr).toMatchObject({ reached: true, privilege: 'sudo' });
    expect(scanned.result!.hosts[0]!.error).toBeUndefined();
    expect(waiting.size).toBe(name === 't-slow' ? 1 : 0);

    const before = await processes(name);
    const timedOut = await scan([name], ['--timeout', '4']);
    expect(timedOut.result?.hosts[0]).toMatchObject({ reached: false, errorKind: 'timeout' });
    await settle(2_000);
    expect(await leftovers(name, before)).toEqual([]);

    // The client is killed while the probe runs: sshd's session ends, and the probe with it.
    const killed = await scan([name], ['--timeout', '60'], {}, 3_000);
    expect(killed.signal).toBe('SIGKILL');
    await settle(3_000);
    expect(await leftovers(name, before)).toEqual([]);
  });

  it('gives the sudo password only to a sudo that asks for it, and never shows what a sudo echoes of it', async () => {
    const outputs = ['json', 'csv', 'html', 'xml', 'txt'].map((ext) => join(etcd.fleet.dir, `pw.${ext}`));
    const scanned = await scan(
      ['t-pw-nopasswd', 't-pw-echo'],
      outputs.flatMap((path) => ['-o', path]),
      { FLEETBENCH_SUDO_PASSWORD: PASSWORD },
    );
    const given = await host('t-pw-nopasswd').run('cat', ['/tmp/fake-sudo.log']);
    expect(given.stdout).toContain('argv: -n');
    expect(given.stdout).not.toContain(PASSWORD);
    expect(scanned.result!.hosts.find((h) => h.name === 't-pw-nopasswd')).toMatchObject({ reached: true, privilege: 'sudo' });

    const echoed = scanned.result!.hosts.find((h) => h.name === 't-pw-echo')!;
    expect(echoed).toMatchObject({ reached: true, privilege: 'unprivileged' });
    expect(echoed.problems[0]!.reason).toContain('sudo refused (sudo: [redacted]: not accepted)');
    const written = await Promise.all(outputs.map((path) => readFile(path, 'utf8')));
    for (const text of [scanned.stdout, scanned.stderr, ...written]) expect(text).not.toContain(PASSWORD);
  });
});
