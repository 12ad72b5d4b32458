import type { FileFact, FileType, HostSnapshot, Privilege, Problem, ProcessInfo } from '../model.js';
import type { ProbeMode } from './launcher.js';
import { listingKeys, PROBE_PICKS } from './host-paths.js';
import { parsePs } from './ps.js';

/** The probe's output could not be understood, or cannot have come from the probe alone: no snapshot can be made from it. */
export class ProbeOutputError extends Error {
  override name = 'ProbeOutputError';
}

/** The record format probe.sh writes (its `hello` says which). */
const FORMAT = '2';
/** Untrusted processes named like a component that a host's notes name one by one. */
const UNTRUSTED_NAMED = 20;
/** Stands for a line break within a value in the probe's `environ` payload (see parseEnvironLines). */
export const ENVIRON_LINE_BREAK = '\u0001';

interface RawRecord {
  kind: string;
  args: string;
  payload?: Buffer;
}

/** The last record of the probe (`done`) or of a follow-up that reads more files (`files-done`, see file-follow-up.ts). */
export type FinalKind = 'done' | 'files-done';

/** The probe's last record: after it, its shell waits for the client's next command. */
export function finalRecord(nonce: string, kind: FinalKind = 'done'): Buffer {
  return Buffer.from(`FB1:${nonce}:${kind}\n`);
}

/** The start of the probe's first record: a session without it never ran the probe. */
export function startRecord(nonce: string): Buffer {
  return Buffer.from(`FB1:${nonce}:hello `);
}

/**
 * Splits probe output into records, up to its final record (`complete` says whether it came).
 * Bytes outside records (login banners, rc-file noise) are ignored.
 */
export function readRecords(output: Buffer, nonce: string, final: FinalKind = 'done'): { records: RawRecord[]; complete: boolean } {
  const marker = Buffer.from(`FB1:${nonce}:`);
  const endMarker = Buffer.from(`\nFB1:${nonce}:end\n`);
  const records: RawRecord[] = [];
  let complete = false;
  let at = findAtLineStart(output, marker, 0);
  while (at >= 0) {
    const headerStart = at + marker.length;
    const newline = output.indexOf(0x0a, headerStart);
    if (newline < 0) break;
    const header = output.toString('utf8', headerStart, newline);
    const space = header.indexOf(' ');
    const kind = space < 0 ? header : header.slice(0, space);
    const args = space < 0 ? '' : header.slice(space + 1);
    let next = newline + 1;
    if (kind === 'data') {
      const payloadEnd = output.indexOf(endMarker, newline);
      if (payloadEnd < 0) break;
      const dataSpace = args.indexOf(' ');
      records.push({
        kind: dataSpace < 0 ? args : args.slice(0, dataSpace),
        args: dataSpace < 0 ? '' : args.slice(dataSpace + 1),
        // The header's newline is also the payload's start when the payload is empty.
        payload: payloadEnd < newline + 1 ? Buffer.alloc(0) : output.subarray(newline + 1, payloadEnd),
      });
      next = payloadEnd + endMarker.length;
    } else if (kind === final) {
      complete = true;
      next = newline + 1;
      // Nothing of the probe comes after its last record: a second one was not written by it.
      if (findAtLineStart(output, marker, next) >= 0)
        throw new ProbeOutputError('the probe output goes on after its last record: it cannot have come from the probe alone');
      break;
    } else {
      records.push({ kind, args });
    }
    at = findAtLineStart(output, marker, next);
  }
  return { records, complete };
}

function findAtLineStart(buffer: Buffer, needle: Buffer, from: number): number {
  let at = buffer.indexOf(needle, from);
  while (at > 0 && buffer[at - 1] !== 0x0a) at = buffer.indexOf(needle, at + 1);
  return at;
}

/**
 * What makes a record unique: the probe writes each of these once (per process, per path). Only
 * someone who knew the nonce could write a second one, so a repeat ends the host in ERROR rather
 * than letting either copy decide a verdict.
 */
function uniqueKey(record: RawRecord): string | undefined {
  switch (record.kind) {
    case 'refused':
      return undefined;
    case 'ps':
      return `ps ${record.args}`;
    case 'stat':
      return `stat ${statPath(record.args) ?? record.args}`;
    case 'hidden':
      return `hidden ${record.args.slice(record.args.indexOf(' ') + 1)}`;
    default:
      return record.args === '' ? record.kind : `${record.kind} ${record.args}`;
  }
}

const STAT = /^([0-9a-f]+) (\d+) (\d+) (\d+) (\S+) (\S+) (.+)$/;

function statPath(args: string): string | undefined {
  return STAT.exec(args)?.[7];
}

const FILE_TYPES: Record<number, FileType> = { 0o100000: 'file', 0o040000: 'directory', 0o120000: 'symlink' };

export interface ParseOptions {
  target: string;
  nonce: string;
  collectedAt: string;
  /** The login user, for messages about what an unprivileged run could not read. */
  user: string;
  /** The listings the follow-ups made (`dir/pattern`), besides those the probe always makes. */
  listed?: string[];
  /** What sudo said when it refused to run the probe (see probe-session.ts), which then ran without it. */
  sudoRefusal?: string;
}

/**
 * Turns the probe's output into a snapshot, with the answers of the follow-ups that read more
 * files in the probe's shell (each ending with `files-done`), as if the probe had read them itself.
 * Throws ProbeOutputError when there is nothing to go on, or when a record repeats across them.
 */
export function parseProbeOutput(output: Buffer, options: ParseOptions, followUps: Buffer[] = []): HostSnapshot {
  const first = readRecords(output, options.nonce);
  const hello = first.records.find((r) => r.kind === 'hello');
  if (!hello) throw new ProbeOutputError('the probe did not start (no output from it)');
  if (!first.complete) throw new ProbeOutputError('the probe output ended before the probe finished');
  const records = [...first.records];
  const problems: Problem[] = [];
  for (const answer of followUps) {
    const more = readRecords(answer, options.nonce, 'files-done');
    if (more.complete) records.push(...more.records);
    else problems.push({ subject: 'follow-up', reason: 'the host did not finish reading the files the configuration names (the probe ran out of time?)' });
  }
  const seen = new Set<string>();
  for (const record of records) {
    const key = uniqueKey(record);
    if (key === undefined) continue;
    if (seen.has(key)) throw new ProbeOutputError(`the probe output repeats its "${key.split(' ')[0]}" record: it cannot have come from the probe alone`);
    seen.add(key);
  }

  const [format, uidText, modeText, pidText] = hello.args.split(' ');
  if (format !== FORMAT) throw new ProbeOutputError(`the host answered in probe format ${JSON.stringify(format)}, not ${FORMAT}`);
  const uid = Number(uidText);
  const mode = modeText as ProbeMode;
  const probePid = Number(pidText);
  const privilege: Privilege = uid === 0 ? (mode === 'sudo' ? 'sudo' : 'root') : 'unprivileged';
  const reader = privilege === 'unprivileged' ? options.user : 'root';
  const ids = (kind: string) => new Set((records.find((r) => r.kind === kind)?.args ?? '0').split(' ').filter(Boolean).map(Number));
  const trust = { uids: ids('trusted-uids'), gids: ids('trusted-gids') };

  const cmdlines = new Map<number, string[]>();
  const uids = new Map<number, { real: number; effective: number }>();
  const units = new Map<number, string>();
  const containers = new Set<number>();
  const cwds = new Map<number, string>();
  const environ: Record<number, Record<string, string>> = {};
  const files: Record<string, FileFact> = {};
  let psText: string | undefined;

  if (options.sudoRefusal !== undefined) problems.push({ subject: 'sudo', reason: sudoProblem(options.sudoRefusal, options.user) });
  for (const record of records) {
    const text = record.payload?.toString('utf8') ?? '';
    switch (record.kind) {
      // From the launcher with a password at hand, which runs the probe without sudo itself.
      case 'sudo-error':
        problems.push({ subject: 'sudo', reason: sudoProblem(text, options.user) });
        break;
      case 'ps':
        // A failed `ps -ef` is followed by plain `ps`; the last one printed is the usable one.
        psText = text;
        break;
      case 'cmdline': {
        const argv = text.split('\0');
        if (argv.at(-1) === '') argv.pop();
        if (argv.length > 0) cmdlines.set(Number(record.args), argv);
        break;
      }
      case 'uid': {
        const [pid, real, effective] = record.args.split(' ');
        if (real !== undefined && /^\d+$/.test(real))
          uids.set(Number(pid), { real: Number(real), effective: /^\d+$/.test(effective ?? '') ? Number(effective) : Number(real) });
        break;
      }
      case 'cgroup': {
        if (/kubepods|cri-containerd|crio-|docker-|libpod/.test(text)) containers.add(Number(record.args));
        const unit = text
          .split('\n')
          .map((line) => line.split('/').at(-1) ?? '')
          .find((name) => name.endsWith('.service'));
        if (unit) units.set(Number(record.args), unit);
        break;
      }
      case 'cwd':
        cwds.set(Number(record.args), text);
        break;
      case 'environ':
        environ[Number(record.args)] = parseEnvironLines(text);
        break;
      case 'environ-unreadable':
        problems.push({ subject: `environment of pid ${record.args}`, reason: `not readable by ${reader}` });
        break;
      case 'refused': {
        const reason = REFUSED[record.args] ?? 'refused';
        files[text] = { path: text, exists: false, unreadable: reason };
        problems.push({ subject: text, reason });
        break;
      }
      case 'untrusted': {
        const reason = untrustedReason(record.args, text, trust);
        files[record.args] = { path: record.args, exists: false, unreadable: reason };
        problems.push({ subject: record.args, reason });
        break;
      }
      default:
        readFileRecord(record, text, files, reader);
    }
  }

  if (psText === undefined) throw new ProbeOutputError('the probe returned no process list');
  const rows = parsePs(psText);
  if (rows.length === 0) problems.push({ subject: 'process list', reason: `ps printed nothing usable: ${firstLine(psText)}` });
  // The probe's own last line (a process's line starts with its user or pid), when it held back lines past its budget.
  const notSent = /^fleetbench: lines not sent: (\d+), past (\d+) bytes$/m.exec(psText);
  if (notSent) {
    const budget = Number(notSent[2]);
    problems.push({
      subject: 'process list',
      reason: `${notSent[1]} lines of processes that are not audited were left out, past ${budget % 1_048_576 === 0 ? `${budget / 1_048_576} MiB` : `${budget} bytes`}: someone on this host runs very many processes, or very long command lines`,
    });
  }
  const probeTree = descendants(rows, probePid);
  // Anyone may start a program named etcd, thousands of them: the first few are named, the rest counted.
  let untrusted = 0;

  const processes: ProcessInfo[] = rows
    .filter((row) => !probeTree.has(row.pid))
    .map((row) => {
      const argv = cmdlines.get(row.pid);
      const process: ProcessInfo = {
        pid: row.pid,
        ppid: row.ppid,
        user: row.user,
        command: row.command,
        argv: argv ?? row.command.split(/\s+/),
        argvSource: argv ? 'proc-cmdline' : 'ps',
      };
      const ids = uids.get(row.pid);
      if (ids !== undefined) {
        process.uid = ids.real;
        process.trusted = trust.uids.has(ids.real) && trust.uids.has(ids.effective);
        if (!process.trusted && ++untrusted <= UNTRUSTED_NAMED) {
          problems.push({
            subject: `process ${row.pid}`,
            reason: `runs ${process.argv[0] ?? 'a component'} as uid ${ids.real === ids.effective ? ids.real : `${ids.real} (effective ${ids.effective})`} (${row.user}), not as root or the etcd or kube system account: not audited, and nothing it names was followed`,
          });
        }
      }
      const cwd = cwds.get(row.pid);
      if (cwd !== undefined) process.cwd = cwd;
      const unit = units.get(row.pid);
      if (unit !== undefined) process.unit = unit;
      if (containers.has(row.pid)) process.container = true;
      return process;
    });

  if (untrusted > UNTRUSTED_NAMED) {
    problems.push({
      subject: 'other processes',
      reason: `${untrusted - UNTRUSTED_NAMED} more processes named etcd, kube-apiserver, k3s or rke2 run by other accounts than root, etcd or kube: not audited`,
    });
  }
  const listed = [...PROBE_PICKS.flatMap(listingKeys), ...(options.listed ?? [])];
  return { target: options.target, collectedAt: options.collectedAt, privilege, processes, files, environ, listed, problems };
}

const REFUSED: Record<string, string> = {
  control: 'the path holds a control character: refused, never split, followed or read',
  special: 'it leads under /proc, /sys or /dev: not read by reference',
  link: 'a symlink that cannot be followed (more than 8 hops, or a target that cannot be read or printed): refused',
};

/** Why a path was not followed: the file or directory on its way that an ordinary user can change. */
function untrustedReason(path: string, text: string, trust: { uids: Set<number>; gids: Set<number> }): string {
  const tab = text.indexOf('\t');
  const culprit = tab < 0 ? text : text.slice(0, tab);
  const facts = tab < 0 ? undefined : STAT.exec(`${text.slice(tab + 1)} x`);
  const what = culprit === path ? 'it' : culprit;
  if (!facts) return `not followed: ${what} could not be examined`;
  const raw = parseInt(facts[1]!, 16);
  const mode = (raw & 0o7777).toString(8).padStart(4, '0');
  const [uid, gid, user, group] = [Number(facts[2]), Number(facts[3]), facts[5]!, facts[6]!];
  const who =
    (raw & 0o002) !== 0
      ? `can be written by every user (mode ${mode})`
      : !trust.uids.has(uid)
        ? `belongs to ${user} (uid ${uid}), not to root or the etcd or kube system account`
        : `can be written by group ${group} (gid ${gid}, mode ${mode})`;
  return `not followed: ${what} ${who}, so an ordinary user could change what it says`;
}

function readFileRecord(record: RawRecord, text: string, files: Record<string, FileFact>, reader: string): void {
  const { kind, args } = record;
  const fact = (path: string): FileFact => (files[path] ??= { path, exists: true });
  switch (kind) {
    case 'missing':
      files[args] = { path: args, exists: false };
      return;
    case 'hidden': {
      const space = args.indexOf(' ');
      const path = args.slice(space + 1);
      const ancestor = path.slice(0, Number(args.slice(0, space))) || '/';
      files[path] = { path, exists: false, unreadable: `${ancestor} is not searchable by ${reader}` };
      return;
    }
    case 'stat': {
      const match = STAT.exec(args);
      if (!match) return;
      const raw = parseInt(match[1]!, 16);
      const file = fact(match[7]!);
      file.type = FILE_TYPES[raw & 0o170000] ?? 'other';
      file.mode = raw & 0o7777;
      file.uid = Number(match[2]);
      file.gid = Number(match[3]);
      file.size = Number(match[4]);
      file.owner = match[5]!;
      file.group = match[6]!;
      return;
    }
    case 'realpath':
      fact(args).realPath = text;
      return;
    case 'unreadable':
      fact(args).unreadable = `not readable by ${reader}`;
      return;
    case 'notregular':
      fact(args).unreadable = 'not a regular file when opened; not read';
      return;
    case 'toolarge':
      fact(args).unreadable = 'larger than the probe reads (1 MiB)';
      return;
    case 'secret':
      fact(args).unreadable = 'contains a private key; not read';
      return;
    case 'file':
      fact(args).content = text;
      return;
  }
}

/**
 * The probe's `environ` payload: one variable per line, each line break within a value sent as
 * SOH, so that no line of a value passes for a variable of its own (etcd reads none that way).
 */
function parseEnvironLines(text: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) variables[line.slice(0, eq)] = line.slice(eq + 1).replaceAll(ENVIRON_LINE_BREAK, '\n');
  }
  return variables;
}

function descendants(rows: { pid: number; ppid: number }[], root: number): Set<number> {
  const tree = new Set<number>([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const row of rows) {
      if (!tree.has(row.pid) && tree.has(row.ppid)) {
        tree.add(row.pid);
        grew = true;
      }
    }
  }
  return tree;
}

function sudoProblem(text: string, user: string): string {
  const said = text.trim().split('\n').at(-1) ?? '';
  const fix = /password is required/i.test(said)
    ? `: allow ${user} to run sudo without a password (NOPASSWD), or give the password with FLEETBENCH_SUDO_PASSWORD or -K (--ask-become-pass)`
    : /incorrect password/i.test(said)
      ? ': the sudo password given was not accepted'
      : /not in the sudoers|not allowed|may not run sudo/i.test(said)
        ? `: ${user} may not use sudo on this host; grant it in sudoers or scan as a user who may`
        : '';
  return `sudo refused (${said})${fix}; collected only what ${user} can read without it`;
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}
