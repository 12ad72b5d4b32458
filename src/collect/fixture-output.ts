import type { FileRequest } from './file-follow-up.js';
import { ALWAYS_EXAMINED, ALWAYS_READ, CONFIG_DROP_IN_NAMES, MANIFEST_DIRS, MANIFEST_NAMES, nameMatches, UNIT_DIRS, YAML_DIRS } from './host-paths.js';
import type { ProbeMode } from './launcher.js';
import { ENVIRON_LINE_BREAK } from './parse-output.js';

// Answers the probe for a fixture host: what probe.sh would print on a machine with these
// processes and files. It serves the in-process demo fleet and the fast tests; the real probe is
// proven against real hosts (sshd + etcd in namespaces) in the end-to-end tests.

export interface FixtureProcess {
  pid: number;
  ppid: number;
  user: string;
  uid: number;
  argv: string[];
  /** ps STIME column. */
  stime?: string;
  tty?: string;
  time?: string;
  cwd?: string;
  /** Content of /proc/<pid>/cgroup, e.g. `0::/system.slice/etcd.service`. */
  cgroup?: string;
  /** The whole environment; the probe passes on only ETCD_* variables. */
  environ?: Record<string, string>;
}

export interface FixtureFile {
  type: 'file' | 'directory';
  mode: number;
  owner: string;
  group: string;
  uid: number;
  gid: number;
  content?: string;
}

export interface HostFixture {
  processes: FixtureProcess[];
  files: Record<string, FixtureFile>;
  /** How `sudo -n` answers for the login user. */
  sudo: 'nopasswd' | 'password' | 'none';
  /** The password sudo accepts when `sudo` is 'password'. */
  sudoPassword?: string;
  /** What `etcdctl member list` answers; absent: etcdctl is not installed. */
  memberList?: { name: string; peerURLs: string[] }[];
}

/** The probe's records (see probe.sh) as text: a plain record, and a data record with its payload. */
function framing(nonce: string) {
  return {
    record: (text: string) => `FB1:${nonce}:${text}\n`,
    data: (header: string, payload: string) => `FB1:${nonce}:data ${header}\n${payload}\nFB1:${nonce}:end\n`,
  };
}

/** What the member-list follow-up prints on a fixture host, in the probe's framing (see member-list.ts). */
export function answerMemberList(fixture: HostFixture, nonce: string): string {
  const { record, data } = framing(nonce);
  const status = (code: number) => record(`members-status ${code}`);
  if (!fixture.memberList) return data('members', '') + data('members-stderr', 'etcdctl is not installed on this host') + status(127);
  const members = fixture.memberList.map((m, i) => ({ ID: 1000 + i, name: m.name, peerURLs: m.peerURLs, clientURLs: [] }));
  const listed = JSON.stringify({ header: { cluster_id: 1, member_id: 1000, revision: 1, raft_term: 2 }, members });
  return data('members', `${listed}\n`) + data('members-stderr', '') + status(0);
}

/** What the probe looks into: processes whose executable is one of these (see probe.sh). */
const COMPONENT_EXECUTABLES = new Set(['etcd', 'kube-apiserver', 'k3s', 'rke2']);
const PROBE_PID = 4_194_000;
const TRUSTED_ACCOUNTS = new Set(['etcd', 'kube']);

export interface AnswerOptions {
  nonce: string;
  mode: ProbeMode;
  /** Login user and uid, for what an unprivileged run may read. */
  user: string;
  uid: number;
  sudoError?: string;
}

/** The ids probe.sh trusts on this host: root, and the system accounts etcd and kube (below 1000). */
function trustedIds(fixture: HostFixture): { uids: Set<number>; gids: Set<number> } {
  const uids = new Set([0]);
  const gids = new Set([0]);
  for (const process of fixture.processes) if (TRUSTED_ACCOUNTS.has(process.user) && process.uid < 1000) uids.add(process.uid);
  for (const file of Object.values(fixture.files)) {
    if (TRUSTED_ACCOUNTS.has(file.owner) && file.uid < 1000) uids.add(file.uid);
    if (TRUSTED_ACCOUNTS.has(file.group) && file.gid < 1000) gids.add(file.gid);
  }
  return { uids, gids };
}

/**
 * One probe session on a fixture host: what probe.sh prints, then what the follow-ups that read
 * more files print (file-follow-up.ts), each path reported once per session as in the probe's
 * shell. Like the probe, it reaches only what it looks at: the fixed paths of host-paths.ts, the
 * units of the processes it trusts, the entries of the directories it lists, and the fixture's
 * paths that what it read names (up to four rounds); the rest of the fixture is reached by
 * follow-ups only.
 */
export class FixtureSession {
  private readonly seen = new Set<string>();
  private readonly root: boolean;
  private readonly trust: { uids: Set<number>; gids: Set<number> };
  private readonly framed: ReturnType<typeof framing>;
  private out: string[] = [];

  constructor(
    private readonly fixture: HostFixture,
    private readonly options: AnswerOptions,
  ) {
    this.root = options.mode === 'root' || options.mode === 'sudo' || options.uid === 0;
    this.trust = trustedIds(fixture);
    this.framed = framing(options.nonce);
  }

  probe(): Buffer {
    const { fixture, options, root, trust } = this;
    const record = (text: string) => this.out.push(this.framed.record(text));
    const data = (header: string, payload: string) => this.out.push(this.framed.data(header, payload));
    record(`hello 2 ${root ? 0 : options.uid} ${options.mode} ${PROBE_PID}`);
    record(`trusted-uids ${[...trust.uids].join(' ')}`);
    record(`trusted-gids ${[...trust.gids].join(' ')}`);
    if (options.sudoError) data('sudo-error', options.sudoError);
    data('ps ef', renderPs(fixture.processes, options.user, trust));

    const named: string[] = [];
    const units = new Set(['etcd.service']);
    for (const process of fixture.processes) {
      const executable = baseName(process.argv[0] ?? '');
      if (!COMPONENT_EXECUTABLES.has(executable)) continue;
      record(`uid ${process.pid} ${process.uid} ${process.uid}`);
      if (!trust.uids.has(process.uid)) continue;
      data(`cmdline ${process.pid}`, `${process.argv.join('\0')}\0`);
      data(`cgroup ${process.pid}`, process.cgroup ?? '0::/');
      for (const line of (process.cgroup ?? '').split('\n')) if (line.endsWith('.service')) units.add(line.slice(line.lastIndexOf('/') + 1));
      named.push(process.argv.join('\n'));
      if (executable === 'kube-apiserver') continue;
      if (root || process.uid === options.uid) {
        data(`cwd ${process.pid}`, process.cwd ?? '/');
        const etcdVars = Object.entries(process.environ ?? {})
          .filter(([name]) => name.startsWith('ETCD_'))
          .map(([name, value]) => `${name}=${value.replaceAll('\n', ENVIRON_LINE_BREAK)}`)
          .join('\n');
        data(`environ ${process.pid}`, etcdVars);
        named.push(etcdVars);
        const cwd = (process.cwd ?? '/').replace(/\/$/, '');
        for (const path of Object.keys(fixture.files)) if (path.startsWith(`${cwd}/`) && /^[^/]+\.etcd$/.test(path.slice(cwd.length + 1))) named.push(path);
      } else {
        record(`environ-unreadable ${process.pid}`);
      }
    }

    const first: { kind: 'R' | 'S'; path: string }[] = [];
    for (const dir of MANIFEST_DIRS) for (const path of this.listed(dir, MANIFEST_NAMES)) first.push({ kind: 'R', path });
    for (const dir of YAML_DIRS) for (const path of this.listed(dir, CONFIG_DROP_IN_NAMES)) first.push({ kind: 'R', path });
    for (const path of ALWAYS_READ) first.push({ kind: 'R', path });
    for (const path of this.unitFiles(units)) first.push({ kind: 'R', path });
    for (const path of ALWAYS_EXAMINED) first.push({ kind: 'S', path });
    first.push(...this.references(named.join('\n')));
    this.rounds(first);
    record('done');
    return this.flush();
  }

  /** The answer to a follow-up that asks for more files. */
  files(request: FileRequest): Buffer {
    const asked = [...request.read.map((path) => ({ kind: 'R' as const, path })), ...request.stat.map((path) => ({ kind: 'S' as const, path }))];
    for (const { dir, names } of request.pick) for (const path of this.listed(dir, names)) asked.push({ kind: 'R', path });
    this.rounds(asked);
    this.out.push(this.framed.record('files-done'));
    return this.flush();
  }

  private flush(): Buffer {
    const text = this.out.join('');
    this.out = [];
    return Buffer.from(text);
  }

  /** As probe.sh's round(), four times: each path reported, the files read, the paths they name next. */
  private rounds(paths: { kind: 'R' | 'S'; path: string }[]): void {
    let next = paths;
    for (let round = 0; round < 4 && next.length > 0; round++) {
      const found: { kind: 'R' | 'S'; path: string }[] = [];
      for (const { kind, path } of next) found.push(...this.report(kind, path));
      next = found;
    }
  }

  /** The fixture's paths that a text names, as the probe follows what files and command lines name. */
  private references(text: string): { kind: 'R' | 'S'; path: string }[] {
    return namedPaths(this.fixture)
      .filter(({ pattern }) => pattern.test(text))
      .map(({ path }) => ({ kind: this.fixture.files[path]!.type === 'directory' ? ('S' as const) : ('R' as const), path }));
  }

  /** The entries of a directory matching the patterns, as probe.sh's pick() finds them (none when it may not list it). */
  private listed(dir: string, names: readonly string[]): string[] {
    const fact = this.fixture.files[dir];
    if (!fact || fact.type !== 'directory' || !this.mayList(fact) || this.hiddenBy(dir)) return [];
    return Object.keys(this.fixture.files)
      .filter((path) => path.startsWith(`${dir}/`) && !path.slice(dir.length + 1).includes('/'))
      .filter((path) => names.some((pattern) => nameMatches(pattern, baseName(path))))
      .sort()
      .slice(0, 64);
  }

  /** The unit files and drop-ins probe.sh reads for these units. */
  private unitFiles(units: Set<string>): string[] {
    const names = ['service'];
    for (const unit of units) {
      let base = unit.replace(/\.service$/, '');
      const at = base.indexOf('@');
      const instance = at < 0 ? '' : base.slice(at);
      if (at >= 0) {
        base = base.slice(0, at);
        names.push(`${base}@.service`);
      }
      names.push(unit);
      for (let dash = base.lastIndexOf('-'); dash > 0; dash = base.lastIndexOf('-')) {
        base = base.slice(0, dash);
        names.push(`${base}-.service`, ...(instance ? [`${base}-${instance}.service`, `${base}-@.service`] : []));
      }
    }
    return Object.keys(this.fixture.files).filter((path) =>
      UNIT_DIRS.some((dir) =>
        names.some(
          (name) =>
            path === `${dir}/${name}` ||
            (path.startsWith(`${dir}/${name}.d/`) && path.endsWith('.conf') && !path.slice(`${dir}/${name}.d/`.length).includes('/')),
        ),
      ),
    );
  }

  private mayList(dir: FixtureFile): boolean {
    if (this.root) return true;
    const bits = dir.uid === this.options.uid ? (dir.mode >> 6) & 7 : dir.mode & 7;
    return (bits & 5) === 5;
  }

  /** The nearest directory on the way to `path` that the reader may not search, if any. */
  private hiddenBy(path: string): string | undefined {
    if (this.root) return undefined;
    return ancestors(path).find((dir) => {
      const fact = this.fixture.files[dir];
      if (!fact || fact.type !== 'directory') return false;
      const bits = fact.uid === this.options.uid ? (fact.mode >> 6) & 7 : fact.mode & 7;
      return (bits & 1) === 0;
    });
  }

  /** One path as probe.sh reports it; the fixture paths a file it read names. */
  private report(kind: 'R' | 'S', path: string): { kind: 'R' | 'S'; path: string }[] {
    const { fixture, trust } = this;
    if (this.seen.has(path)) return [];
    this.seen.add(path);
    const record = (text: string) => this.out.push(this.framed.record(text));
    const data = (header: string, payload: string) => this.out.push(this.framed.data(header, payload));
    if (/[\x00-\x1f\x7f]/.test(path)) {
      data('refused control', path);
      return [];
    }
    if (!path.startsWith('/')) return [];
    const blocked = this.hiddenBy(path);
    if (blocked) {
      record(`hidden ${blocked.length} ${path}`);
      return [];
    }
    const file = fixture.files[path];
    if (!file) {
      record(`missing ${path}`);
      return [];
    }
    const stat = (f: FixtureFile) => {
      const typeBits = f.type === 'directory' ? 0o040000 : 0o100000;
      return `${(typeBits | f.mode).toString(16)} ${f.uid} ${f.gid} ${Buffer.byteLength(f.content ?? '')} ${f.owner} ${f.group}`;
    };
    const culprit = [...ancestors(path), path].find((p) => fixture.files[p] && !trustedFile(fixture.files[p], trust));
    if (culprit) {
      data(`untrusted ${path}`, `${culprit}\t${stat(fixture.files[culprit]!)}`);
      return [];
    }
    record(`stat ${stat(file)} ${path}`);
    if (kind !== 'R' || file.type !== 'file' || file.content === undefined) return [];
    const readable = this.root || (file.uid === this.options.uid ? (file.mode & 0o400) !== 0 : (file.mode & 0o004) !== 0);
    if (!readable) record(`unreadable ${path}`);
    else if (file.content.includes('PRIVATE KEY')) record(`secret ${path}`);
    else {
      data(`file ${path}`, file.content);
      return this.references(file.content);
    }
    return [];
  }
}

const PATTERNS = new WeakMap<HostFixture, { path: string; pattern: RegExp }[]>();

/** Each path of a fixture with the pattern of its mention in a text (a whole path, not a prefix of another), made once per fixture. */
function namedPaths(fixture: HostFixture): { path: string; pattern: RegExp }[] {
  let patterns = PATTERNS.get(fixture);
  if (!patterns) {
    patterns = Object.keys(fixture.files).map((path) => ({ path, pattern: new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![A-Za-z0-9._/-])`) }));
    PATTERNS.set(fixture, patterns);
  }
  return patterns;
}

/** What probe.sh prints on a fixture host (a session of its own, with no follow-up). */
export function answerProbe(fixture: HostFixture, options: AnswerOptions): Buffer {
  return new FixtureSession(fixture, options).probe();
}

/** As probe.sh judges a file or directory: no ordinary user can change it. */
function trustedFile(file: FixtureFile, trust: { uids: Set<number>; gids: Set<number> }): boolean {
  if (!trust.uids.has(file.uid) || (file.mode & 0o002) !== 0) return false;
  return (file.mode & 0o020) === 0 || trust.gids.has(file.gid);
}

function ancestors(path: string): string[] {
  const dirs: string[] = [];
  for (let at = path.lastIndexOf('/'); at > 0; at = path.lastIndexOf('/', at - 1)) dirs.unshift(path.slice(0, at));
  return ['/', ...dirs];
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** probe.sh's SCAN_PS sends at most this many bytes of a line, but for a trusted component's. */
const PS_LINE_CUT = 1024;

/** procps `ps -ef` layout: user names longer than 7 characters are cut to 7 plus `+`. */
function renderPs(processes: FixtureProcess[], loginUser: string, trust: { uids: Set<number> }): string {
  const rows = [
    ...processes,
    { pid: PROBE_PID, ppid: 1, user: loginUser, uid: 0, argv: ['sh', '-s'], stime: '12:00', tty: '?', time: '00:00:00' },
    { pid: PROBE_PID + 1, ppid: PROBE_PID, user: loginUser, uid: 0, argv: ['ps', '-ef'], stime: '12:00', tty: '?', time: '00:00:00' },
  ];
  const user = (name: string) => (name.length > 8 ? `${name.slice(0, 7)}+` : name);
  const lines = rows.map((p) => {
    const line = `${user(p.user).padEnd(8)} ${String(p.pid).padStart(7)} ${String(p.ppid).padStart(7)}  0 ${(p.stime ?? '11:37').padEnd(5)} ${(p.tty ?? '?').padEnd(8)} ${(p.time ?? '00:00:01').padStart(8)} ${p.argv.join(' ')}`;
    const trusted = COMPONENT_EXECUTABLES.has(baseName(p.argv[0] ?? '')) && trust.uids.has(p.uid);
    return line.length <= PS_LINE_CUT || trusted ? line : `${line.slice(0, PS_LINE_CUT)} [fleetbench: ${line.length - PS_LINE_CUT} more bytes not sent]`;
  });
  return [`UID          PID    PPID  C STIME TTY          TIME CMD`, ...lines].join('\n') + '\n';
}
