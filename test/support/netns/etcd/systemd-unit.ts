import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import type { ServiceSpec } from '../spec.js';

// What systemd does with a service unit, as far as the probe can tell: ExecStart's argv, the
// variables of Environment= and EnvironmentFile= (plus PATH and INVOCATION_ID, which systemd
// always sets), User=, WorkingDirectory=, and the cgroup system.slice/<unit>. The unit's drop-ins
// (<unit>.d/*.conf among the host's files) apply after it in file-name order; variables from
// environment files override those of Environment= whatever the order (systemd.exec(5)); %n, %N
// and %p stand for the unit's name. Only the syntax the layouts use is understood; anything else
// is refused rather than half-read. This is the harness's stand-in for systemd, written from its
// manual, not fleetbench's model of it (src/effective/systemd.ts), which the tests check against it.

const SYSTEMD_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function serviceSection(unitPath: string, unit: string): [string, string][] {
  const entries: [string, string][] = [];
  let section = '';
  for (const raw of unit.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    if (line.startsWith('[')) {
      section = line;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) throw new Error(`${unitPath}: cannot read line ${JSON.stringify(raw)}`);
    if (section === '[Service]') entries.push([line.slice(0, eq).trim(), line.slice(eq + 1).trim()]);
  }
  return entries;
}

function plainWords(value: string, what: string): string[] {
  if (/["'\\$%;]/.test(value)) throw new Error(`${what}: quotes, escapes, specifiers and variables are not supported here: ${value}`);
  return value.split(/\s+/).filter(Boolean);
}

/** KEY=VALUE lines, comments and blank lines skipped, one level of surrounding quotes removed. */
function parseEnvironmentFile(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    env[line.slice(0, eq).trim()] = line
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$|^'(.*)'$/, '$1$2');
  }
  return env;
}

function specifiers(value: string, unitName: string, what: string): string {
  const name = unitName.replace(/\.service$/, '');
  return value.replace(/%(.)/g, (_, letter: string) => {
    if (letter === 'n') return unitName;
    if (letter === 'N' || letter === 'p') return name;
    if (letter === '%') return '%';
    throw new Error(`${what}: the specifier %${letter} is not supported here`);
  });
}

/**
 * `readHostFile` gives the text of a file the host will have (undefined when it has none);
 * `hostFiles` are the paths of all of them, for the unit's drop-ins.
 */
export function systemdService(
  name: string,
  unitPath: string,
  unit: string,
  readHostFile: (path: string) => string | undefined,
  hostFiles: string[] = [],
): ServiceSpec {
  const unitName = basename(unitPath);
  const environment: Record<string, string> = {};
  const fromFiles: Record<string, string> = {};
  let argv: string[] | undefined;
  let user: string | undefined;
  let cwd: string | undefined;
  const dropIns = hostFiles.filter((path) => path.startsWith(`${unitPath}.d/`) && path.endsWith('.conf')).sort((a, b) => (basename(a) < basename(b) ? -1 : 1));
  for (const path of [unitPath, ...dropIns]) {
    const text = path === unitPath ? unit : readHostFile(path)!;
    for (const [key, value] of serviceSection(path, text)) {
      if (key === 'ExecStart') argv = value === '' ? undefined : plainWords(value, `${path} ExecStart`);
      else if (key === 'User') user = value;
      else if (key === 'WorkingDirectory') cwd = value;
      else if (key === 'Environment') {
        const words = /^"[^"]*"$/.test(value) ? [value.slice(1, -1)] : plainWords(value, `${path} Environment`);
        for (const word of words) Object.assign(environment, parseEnvironmentFile(word));
      } else if (key === 'EnvironmentFile') {
        const optional = value.startsWith('-');
        const file = specifiers(optional ? value.slice(1) : value, unitName, `${path} EnvironmentFile`);
        const text = readHostFile(file);
        if (text === undefined && !optional) throw new Error(`${path}: EnvironmentFile ${file} is not among the host's files`);
        Object.assign(fromFiles, parseEnvironmentFile(text ?? ''));
      }
    }
  }
  if (!argv || argv.length === 0) throw new Error(`${unitPath}: no ExecStart`);
  const env = { PATH: SYSTEMD_PATH, INVOCATION_ID: randomBytes(16).toString('hex'), ...environment, ...fromFiles };
  const service: ServiceSpec = { name, argv, env, cgroup: `system.slice/${unitName}` };
  if (user) service.user = user;
  if (cwd) service.cwd = cwd;
  return service;
}
