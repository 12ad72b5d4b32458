import type { FileFact, FileType, HostSnapshot, Privilege, Problem, ProcessInfo } from '../model.js';
import type { ProbeMode } from './launcher.js';
import { parsePs } from './ps.js';

/** The probe's output could not be understood at all: no snapshot can be made from it. */
export class ProbeOutputError extends Error {
  override name = 'ProbeOutputError';
}

interface RawRecord {
  kind: string;
  args: string;
  payload?: Buffer;
}

/** The probe's last record: after it, its shell waits for the client's next command. */
export function finalRecord(nonce: string): Buffer {
  return Buffer.from(`FB1:${nonce}:done\n`);
}

/**
 * Splits probe output into records, up to the final `done` (`complete` says whether it came).
 * Bytes outside records (login banners, rc-file noise) are ignored.
 */
export function readRecords(output: Buffer, nonce: string): { records: RawRecord[]; complete: boolean } {
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
    } else if (kind === 'done') {
      complete = true;
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

const FILE_TYPES: Record<number, FileType> = { 0o100000: 'file', 0o040000: 'directory', 0o120000: 'symlink' };

export interface ParseOptions {
  target: string;
  nonce: string;
  collectedAt: string;
  /** The login user, for messages about what an unprivileged run could not read. */
  user: string;
}

/** Turns the probe's output into a snapshot. Throws ProbeOutputError when there is nothing to go on. */
export function parseProbeOutput(output: Buffer, options: ParseOptions): HostSnapshot {
  const { records, complete } = readRecords(output, options.nonce);
  const hello = records.find((r) => r.kind === 'hello');
  if (!hello) throw new ProbeOutputError('the probe did not start (no output from it)');
  if (!complete) throw new ProbeOutputError('the probe output ended before the probe finished');

  const [, uidText, modeText, pidText] = hello.args.split(' ');
  const uid = Number(uidText);
  const mode = modeText as ProbeMode;
  const probePid = Number(pidText);
  const problems: Problem[] = [];
  const privilege: Privilege = uid === 0 ? (mode === 'sudo' ? 'sudo' : 'root') : 'unprivileged';

  const cmdlines = new Map<number, string[]>();
  const uids = new Map<number, number>();
  const units = new Map<number, string>();
  const cwds = new Map<number, string>();
  const environ: Record<number, Record<string, string>> = {};
  const files: Record<string, FileFact> = {};
  let psText: string | undefined;

  for (const record of records) {
    const text = record.payload?.toString('utf8') ?? '';
    switch (record.kind) {
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
        const [pid, value] = record.args.split(' ');
        if (value !== undefined && /^\d+$/.test(value)) uids.set(Number(pid), Number(value));
        break;
      }
      case 'cgroup': {
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
        problems.push({
          subject: `environment of pid ${record.args}`,
          reason: `not readable by ${privilege === 'unprivileged' ? options.user : 'root'}`,
        });
        break;
      default:
        readFileRecord(record, text, files, privilege === 'unprivileged' ? options.user : 'root');
    }
  }

  if (psText === undefined) throw new ProbeOutputError('the probe returned no process list');
  const rows = parsePs(psText);
  if (rows.length === 0) problems.push({ subject: 'process list', reason: `ps printed nothing usable: ${firstLine(psText)}` });
  const probeTree = descendants(rows, probePid);

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
      const processUid = uids.get(row.pid);
      if (processUid !== undefined) process.uid = processUid;
      const cwd = cwds.get(row.pid);
      if (cwd !== undefined) process.cwd = cwd;
      const unit = units.get(row.pid);
      if (unit !== undefined) process.unit = unit;
      return process;
    });

  return { target: options.target, collectedAt: options.collectedAt, privilege, processes, files, environ, problems };
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
      const match = /^([0-9a-f]+) (\d+) (\d+) (\d+) (\S+) (\S+) (.+)$/.exec(args);
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
    case 'stat-failed':
      fact(args).unreadable = 'stat failed';
      return;
    case 'unreadable':
      fact(args).unreadable = `not readable by ${reader}`;
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

function parseEnvironLines(text: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) variables[line.slice(0, eq)] = line.slice(eq + 1);
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
    ? `: allow ${user} to run sudo without a password (NOPASSWD), or give the password with FLEETBENCH_SUDO_PASSWORD or --ask-sudo-password`
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
