import { UNIT_DIRS } from '../collect/host-paths.js';
import type { FileFact } from '../model.js';
import { baseName } from './command.js';
import { assignment, splitCommands } from './shell-words.js';
import { unquote } from './values.js';

// What systemd would start for a unit: its ExecStart command and the environment from
// Environment= and EnvironmentFile=, read from the unit file and its drop-ins.

export interface EnvValue {
  value: string;
  source: string;
}

export interface UnitConfig {
  unit: string;
  path: string;
  execStart?: { argv: string[]; source: string };
  env: Map<string, EnvValue>;
  /** Environment files the unit names that could not be read, and why. */
  missingEnv: string[];
  /** Files consulted, for evidence of absence. */
  sources: string[];
}

function findUnitFile(unit: string, files: Record<string, FileFact>): FileFact | undefined {
  for (const dir of UNIT_DIRS) {
    const file = files[`${dir}/${unit}`];
    if (file?.exists && file.content !== undefined) return file;
  }
  return undefined;
}

export function readUnit(unit: string, files: Record<string, FileFact>): UnitConfig | undefined {
  const main = findUnitFile(unit, files);
  if (!main) return undefined;
  const dropIns = UNIT_DIRS.flatMap((dir) =>
    Object.values(files).filter((f) => f.path.startsWith(`${dir}/${unit}.d/`) && f.path.endsWith('.conf') && f.content !== undefined),
  ).sort((a, b) => baseName(a.path).localeCompare(baseName(b.path)));

  const config: UnitConfig = { unit, path: main.path, env: new Map(), missingEnv: [], sources: [main.path] };
  for (const file of [main, ...dropIns]) {
    if (file !== main) config.sources.push(file.path);
    readUnitText(file.path, file.content ?? '', unit, files, config);
  }
  return config;
}

function readUnitText(path: string, text: string, unit: string, files: Record<string, FileFact>, config: UnitConfig): void {
  let section = '';
  const lines = joinContinuations(text);
  for (const { line, number } of lines) {
    const trimmed = line.trim();
    if (trimmed.startsWith('[')) {
      section = trimmed;
      continue;
    }
    if (section !== '[Service]' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const eq = trimmed.indexOf('=');
    if (eq < 0) continue;
    const key = trimmed.slice(0, eq).trim();
    const value = trimmed.slice(eq + 1).trim();
    const where = `${path} line ${number}`;
    if (key === 'Environment') {
      // An empty assignment resets the list, as in systemd.
      if (value === '') config.env.clear();
      for (const word of splitCommands(value)[0] ?? []) {
        const set = assignment(word.text);
        if (set) config.env.set(set.name, { value: set.value, source: where });
      }
    } else if (key === 'EnvironmentFile') {
      if (value === '') continue;
      const optional = value.startsWith('-');
      const envPath = expandSpecifiers(optional ? value.slice(1) : value, unit);
      const envFile = files[envPath];
      if (envFile?.content !== undefined) {
        config.sources.push(envPath);
        for (const [name, entry] of readEnvFile(envPath, envFile.content)) config.env.set(name, entry);
      } else if (!(optional && envFile && !envFile.exists)) {
        config.missingEnv.push(
          `${envPath}${envFile?.unreadable ? ` (${envFile.unreadable})` : envFile && !envFile.exists ? ' (missing)' : ' (not collected)'}`,
        );
      }
    } else if (key === 'ExecStart') {
      const commandText = value.replace(/^[-@:+!]+/, '');
      if (commandText === '') {
        delete config.execStart;
        continue;
      }
      const words = splitCommands(commandText)[0] ?? [];
      config.execStart = { argv: words.map((w) => w.text), source: where };
    }
  }
}

/** KEY=value lines as systemd (and a shell sourcing the file) reads them. */
export function readEnvFile(path: string, text: string): Map<string, EnvValue> {
  const env = new Map<string, EnvValue>();
  for (const { line, number } of joinContinuations(text)) {
    const trimmed = line.trim().replace(/^export\s+/, '');
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const set = assignment(trimmed);
    if (!set) continue;
    env.set(set.name, { value: unquote(set.value.trim()), source: `${path} line ${number}` });
  }
  return env;
}

function joinContinuations(text: string): { line: string; number: number }[] {
  const out: { line: string; number: number }[] = [];
  let pending: { line: string; number: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (pending) pending.line += ` ${line}`;
    else pending = { line, number: index + 1 };
    if (pending.line.endsWith('\\')) pending.line = pending.line.slice(0, -1);
    else {
      out.push(pending);
      pending = undefined;
    }
  });
  if (pending) out.push(pending);
  return out;
}

function expandSpecifiers(path: string, unit: string): string {
  const name = unit.replace(/\.[^.]+$/, '');
  const prefix = name.split('@')[0] ?? name;
  return path.replace(/%([%npNi])/g, (_, c: string) =>
    c === '%' ? '%' : c === 'n' ? unit : c === 'N' ? name : c === 'p' ? prefix : (name.split('@')[1] ?? ''),
  );
}
