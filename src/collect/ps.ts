// Parses the process list as `ps` prints it. procps `ps -ef` prints
// `UID PID PPID C STIME TTY TIME CMD`; busybox prints `PID USER TIME COMMAND` (sometimes with
// VSZ and STAT). In both, every column but the last is one word, so the command is what follows
// the first (header columns - 1) words, whatever spaces it contains.

export interface PsRow {
  pid: number;
  /** 0 when the format has no PPID column. */
  ppid: number;
  user: string;
  command: string;
}

export function parsePs(text: string): PsRow[] {
  const lines = text.split('\n');
  const headerIndex = lines.findIndex((line) => /\bPID\b/.test(line) && /\b(CMD|COMMAND)\b/.test(line));
  if (headerIndex < 0) return [];
  const columns = lines[headerIndex]!.trim().split(/\s+/);
  const pidAt = columns.indexOf('PID');
  const ppidAt = columns.indexOf('PPID');
  const userAt = columns.findIndex((c) => c === 'UID' || c === 'USER');
  const leading = columns.length - 1;

  const rows: PsRow[] = [];
  for (const line of lines.slice(headerIndex + 1)) {
    const words = splitLeading(line, leading);
    if (!words) continue;
    const pid = Number(words.fields[pidAt]);
    if (!Number.isSafeInteger(pid) || pid <= 0) continue;
    const ppid = ppidAt >= 0 ? Number(words.fields[ppidAt]) : 0;
    rows.push({
      pid,
      ppid: Number.isSafeInteger(ppid) ? ppid : 0,
      user: userAt >= 0 ? (words.fields[userAt] ?? '') : '',
      command: words.rest,
    });
  }
  return rows;
}

function splitLeading(line: string, count: number): { fields: string[]; rest: string } | undefined {
  const fields: string[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    const match = /^\s*(\S+)/.exec(line.slice(at));
    if (!match) return undefined;
    fields.push(match[1]!);
    at += match[0].length;
  }
  const rest = line.slice(at).replace(/^\s+/, '');
  return rest ? { fields, rest } : undefined;
}
