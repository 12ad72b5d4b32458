import { randomBytes } from 'node:crypto';
import { basename } from 'node:path';
import type { ServiceSpec } from '../spec.js';

// What systemd does with a service unit, as far as the probe can tell: ExecStart's argv, the
// variables of Environment= and EnvironmentFile= (plus PATH and INVOCATION_ID, which systemd
// always sets), User=, WorkingDirectory=, and the cgroup system.slice/<unit>. Only the syntax the
// layouts use is understood; anything else is refused rather than half-read.

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

/** `readHostFile` gives the text of a file the host will have (undefined when it has none). */
export function systemdService(name: string, unitPath: string, unit: string, readHostFile: (path: string) => string | undefined): ServiceSpec {
  const env: Record<string, string> = { PATH: SYSTEMD_PATH, INVOCATION_ID: randomBytes(16).toString('hex') };
  let argv: string[] | undefined;
  let user: string | undefined;
  let cwd: string | undefined;
  for (const [key, value] of serviceSection(unitPath, unit)) {
    if (key === 'ExecStart') argv = plainWords(value, `${unitPath} ExecStart`);
    else if (key === 'User') user = value;
    else if (key === 'WorkingDirectory') cwd = value;
    else if (key === 'Environment') for (const word of plainWords(value, `${unitPath} Environment`)) Object.assign(env, parseEnvironmentFile(word));
    else if (key === 'EnvironmentFile') {
      const optional = value.startsWith('-');
      const path = optional ? value.slice(1) : value;
      const text = readHostFile(path);
      if (text === undefined && !optional) throw new Error(`${unitPath}: EnvironmentFile ${path} is not among the host's files`);
      Object.assign(env, parseEnvironmentFile(text ?? ''));
    }
  }
  if (!argv || argv.length === 0) throw new Error(`${unitPath}: no ExecStart`);
  const service: ServiceSpec = { name, argv, env, cgroup: `system.slice/${basename(unitPath)}` };
  if (user) service.user = user;
  if (cwd) service.cwd = cwd;
  return service;
}
