import { readdir, readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import sshConfigModule from 'ssh-config';
import type { Directive, Line, Match, Section } from 'ssh-config';
import { globMatch, patternListMatch } from '../glob.js';

// OpenSSH client configuration (~/.ssh/config), read with a maintained parser and resolved here
// the way ssh does it: directives apply in file order, the first value obtained for a setting
// wins (IdentityFile accumulates), Host patterns take * ? and ! negation. Nothing in the file is
// ever executed: `Match exec` never matches and ProxyCommand is ignored, each with a note.

const { parse: parseConfig } = sshConfigModule;

/** What ssh_config says about one host, for the settings fleetbench honours. */
export interface SshConfigHost {
  hostName?: string;
  user?: string;
  port?: number;
  identityFiles: string[];
  proxyJump?: string;
  userKnownHostsFiles?: string[];
  strictHostKeyChecking?: string;
  /** Directives that applied but that fleetbench does not follow, with why. */
  ignored: string[];
}

export interface SshConfigContext {
  home: string;
  localUser: string;
}

export interface SshConfig {
  /** The file it came from, for messages. */
  file: string;
  lookup(alias: string, context: SshConfigContext): SshConfigHost;
}

type Lines = readonly Line[];

/** Resolves a parsed config (with Includes already inlined) for one alias. */
function resolveSshConfig(lines: Lines, file: string): SshConfig {
  return {
    file,
    lookup(alias, context) {
      const found: SshConfigHost = { identityFiles: [], ignored: [] };
      const seen = new Set<string>();
      const apply = (directive: Directive) => {
        const key = directive.param.toLowerCase();
        const value = text(directive.value);
        if (key === 'identityfile') {
          if (value.toLowerCase() !== 'none') found.identityFiles.push(expandPath(value, alias, found, context));
          return;
        }
        if (key === 'proxycommand' || key === 'localcommand' || key === 'knownhostscommand') {
          found.ignored.push(`${directive.param} ${value} (fleetbench never runs commands from ssh_config; use ProxyJump)`);
          return;
        }
        if (seen.has(key)) return;
        seen.add(key);
        switch (key) {
          case 'hostname':
            found.hostName = value.replaceAll('%h', alias).replaceAll('%%', '%');
            break;
          case 'user':
            found.user = value;
            break;
          case 'port':
            if (/^\d+$/.test(value)) found.port = Number(value);
            break;
          case 'proxyjump':
            if (value.toLowerCase() !== 'none') found.proxyJump = value;
            break;
          case 'userknownhostsfile':
            found.userKnownHostsFiles = words(directive.value).map((path) => expandPath(path, alias, found, context));
            break;
          case 'stricthostkeychecking':
            found.strictHostKeyChecking = value.toLowerCase();
            break;
        }
      };
      walk(lines, alias, context, found, apply);
      return found;
    },
  };
}

function walk(lines: Lines, alias: string, context: SshConfigContext, found: SshConfigHost, apply: (d: Directive) => void): void {
  for (const line of lines) {
    if (line.type !== sshConfigModule.DIRECTIVE) continue;
    const directive = line;
    const param = directive.param.toLowerCase();
    if (param === 'host') {
      if (hostMatches(words(directive.value), alias)) walk((line as Section).config, alias, context, found, apply);
    } else if (param === 'match') {
      if (matchApplies(line as Match, alias, context, found)) walk((line as Section).config, alias, context, found, apply);
    } else {
      apply(directive);
    }
  }
}

function matchApplies(match: Match, alias: string, context: SshConfigContext, found: SshConfigHost): boolean {
  for (const [criterion, raw] of Object.entries(match.criteria)) {
    const value = text(raw);
    switch (criterion.toLowerCase()) {
      case 'all':
        break;
      case 'host':
        if (!hostMatches(value.split(','), found.hostName ?? alias)) return false;
        break;
      case 'originalhost':
        if (!hostMatches(value.split(','), alias)) return false;
        break;
      case 'user':
        if (!hostMatches(value.split(','), found.user ?? context.localUser)) return false;
        break;
      case 'localuser':
        if (!hostMatches(value.split(','), context.localUser)) return false;
        break;
      case 'exec':
        found.ignored.push(`Match exec ${value} (never run: treated as not matching)`);
        return false;
      default:
        return false;
    }
  }
  return true;
}

/** ssh's pattern lists, compared without regard to case: one plain pattern must match and no negated one may. */
export function hostMatches(patterns: string[], name: string): boolean {
  const parsed = patterns
    .map((p) => p.trim().toLowerCase())
    .filter(Boolean)
    .map((p) => (p.startsWith('!') ? { pattern: p.slice(1), negated: true } : { pattern: p, negated: false }));
  return patternListMatch(name.toLowerCase(), parsed);
}

function words(value: Directive['value']): string[] {
  return typeof value === 'string' ? value.split(/\s+/).filter(Boolean) : value.map((v) => v.val);
}

function text(value: Directive['value'] | Match['criteria'][string]): string {
  return typeof value === 'string' ? value : value.map((v) => v.val).join(' ');
}

function expandPath(path: string, alias: string, found: SshConfigHost, context: SshConfigContext): string {
  const expanded = path.replace(/%([%dhrupn])/g, (_, token: string) => {
    switch (token) {
      case '%':
        return '%';
      case 'd':
        return context.home;
      case 'h':
        return found.hostName ?? alias;
      case 'n':
        return alias;
      case 'r':
        return found.user ?? context.localUser;
      case 'u':
        return context.localUser;
      default:
        return String(found.port ?? 22);
    }
  });
  if (expanded === '~' || expanded.startsWith('~/')) return join(context.home, expanded.slice(1));
  return isAbsolute(expanded) ? expanded : join(context.home, '.ssh', expanded);
}

/**
 * Reads a config file and the files its Include directives name (relative to ~/.ssh, with * and ?
 * in the last path component), inlined where they appear, as ssh does.
 */
export async function loadSshConfig(path: string, context: SshConfigContext): Promise<SshConfig> {
  return resolveSshConfig(await readWithIncludes(path, context, 0), path);
}

async function readWithIncludes(path: string, context: SshConfigContext, depth: number): Promise<Line[]> {
  return inline(parseConfig(await readFile(path, 'utf8')), context, depth);
}

async function inline(lines: Line[], context: SshConfigContext, depth: number): Promise<Line[]> {
  const out: Line[] = [];
  for (const line of lines) {
    const directive = line as Directive;
    if (line.type !== sshConfigModule.DIRECTIVE) {
      out.push(line);
    } else if (directive.param.toLowerCase() === 'include') {
      if (depth >= 8) continue;
      for (const pattern of words(directive.value)) {
        for (const file of await expandInclude(pattern, context)) out.push(...(await readWithIncludes(file, context, depth + 1)));
      }
    } else {
      if ('config' in directive) (directive as Section).config = (await inline((directive as Section).config, context, depth)) as never;
      out.push(line);
    }
  }
  return out;
}

async function expandInclude(pattern: string, context: SshConfigContext): Promise<string[]> {
  const full = pattern.startsWith('~/') ? join(context.home, pattern.slice(2)) : isAbsolute(pattern) ? pattern : join(context.home, '.ssh', pattern);
  const base = full.slice(full.lastIndexOf('/') + 1);
  if (!/[*?]/.test(base)) return [full];
  try {
    // As glob(3), which ssh uses here: case matters, and a wildcard does not match a leading dot.
    const names = (await readdir(dirname(full))).filter((name) => globMatch(name, base) && (!name.startsWith('.') || base.startsWith('.'))).sort();
    return names.map((name) => join(dirname(full), name));
  } catch {
    return [];
  }
}
