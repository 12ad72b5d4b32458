import { ALWAYS_EXAMINED, ALWAYS_READ } from './host-paths.js';
import type { ProbeMode } from './launcher.js';

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

/** Paths the probe always reports on, present or not (see probe.sh). */
const ALWAYS_VISITED = [...ALWAYS_READ, ...ALWAYS_EXAMINED];

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

export function answerProbe(fixture: HostFixture, options: AnswerOptions): Buffer {
  const { nonce } = options;
  const root = options.mode === 'root' || options.mode === 'sudo' || options.uid === 0;
  const out: string[] = [];
  const framed = framing(nonce);
  const record = (text: string) => out.push(framed.record(text));
  const data = (header: string, payload: string) => out.push(framed.data(header, payload));
  const trust = trustedIds(fixture);

  record(`hello 2 ${root ? 0 : options.uid} ${options.mode} ${PROBE_PID}`);
  record(`trusted-uids ${[...trust.uids].join(' ')}`);
  record(`trusted-gids ${[...trust.gids].join(' ')}`);
  if (options.sudoError) data('sudo-error', options.sudoError);
  data('ps ef', renderPs(fixture.processes, options.user));
  record('ps-status ef 0');

  for (const process of fixture.processes) {
    const executable = baseName(process.argv[0] ?? '');
    if (!COMPONENT_EXECUTABLES.has(executable)) continue;
    record(`uid ${process.pid} ${process.uid} ${process.uid}`);
    if (!trust.uids.has(process.uid)) continue;
    data(`cmdline ${process.pid}`, `${process.argv.join('\0')}\0`);
    data(`cgroup ${process.pid}`, process.cgroup ?? '0::/');
    if (executable === 'kube-apiserver') continue;
    if (root || process.uid === options.uid) {
      data(`cwd ${process.pid}`, process.cwd ?? '/');
      const etcdVars = Object.entries(process.environ ?? {}).filter(([name]) => name.startsWith('ETCD_'));
      data(`environ ${process.pid}`, etcdVars.map(([name, value]) => `${name}=${value}`).join('\n'));
    } else {
      record(`environ-unreadable ${process.pid}`);
    }
  }

  const stat = (file: FixtureFile) => {
    const typeBits = file.type === 'directory' ? 0o040000 : 0o100000;
    return `${(typeBits | file.mode).toString(16)} ${file.uid} ${file.gid} ${Buffer.byteLength(file.content ?? '')} ${file.owner} ${file.group}`;
  };
  const paths = [...new Set([...Object.keys(fixture.files), ...ALWAYS_VISITED])];
  for (const path of paths) {
    const file = fixture.files[path];
    if (!file) {
      record(`missing ${path}`);
      continue;
    }
    const culprit = [...ancestors(path), path].find((p) => fixture.files[p] && !trustedFile(fixture.files[p], trust));
    if (culprit) {
      data(`untrusted ${path}`, `${culprit}\t${stat(fixture.files[culprit]!)}`);
      continue;
    }
    record(`stat ${stat(file)} ${path}`);
    if (file.type !== 'file' || file.content === undefined) continue;
    const readable = root || (file.uid === options.uid ? (file.mode & 0o400) !== 0 : (file.mode & 0o004) !== 0);
    if (!readable) record(`unreadable ${path}`);
    else if (file.content.includes('PRIVATE KEY')) record(`secret ${path}`);
    else data(`file ${path}`, file.content);
  }
  record('done');
  return Buffer.from(out.join(''));
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

/** procps `ps -ef` layout: user names longer than 7 characters are cut to 7 plus `+`. */
function renderPs(processes: FixtureProcess[], loginUser: string): string {
  const rows = [
    ...processes,
    { pid: PROBE_PID, ppid: 1, user: loginUser, uid: 0, argv: ['sh', '-s'], stime: '12:00', tty: '?', time: '00:00:00' },
    { pid: PROBE_PID + 1, ppid: PROBE_PID, user: loginUser, uid: 0, argv: ['ps', '-ef'], stime: '12:00', tty: '?', time: '00:00:00' },
  ];
  const user = (name: string) => (name.length > 8 ? `${name.slice(0, 7)}+` : name);
  const lines = rows.map(
    (p) =>
      `${user(p.user).padEnd(8)} ${String(p.pid).padStart(7)} ${String(p.ppid).padStart(7)}  0 ${(p.stime ?? '11:37').padEnd(5)} ${(p.tty ?? '?').padEnd(8)} ${(p.time ?? '00:00:01').padStart(8)} ${p.argv.join(' ')}`,
  );
  return [`UID          PID    PPID  C STIME TTY          TIME CMD`, ...lines].join('\n') + '\n';
}
