import { isAbsolute, join, resolve } from 'node:path';

// The expansions OpenSSH applies to ssh_config values (misc.c: percent_expand, dollar_expand,
// tilde_expand): `%x` tokens, `${VAR}` environment variables and a leading `~`. A token that the
// keyword does not accept, a `%` at the end, an unset variable or `~user` is an error, as it is
// for ssh.

export type Expanded = { value: string } | { problem: string };

export type Env = Readonly<Record<string, string | undefined>>;

/** Expands `%x` tokens from `tokens` and, with `env`, `${VAR}`; `%%` is a `%`. */
export function expandTokens(text: string, tokens: Readonly<Record<string, string>>, env?: Env): Expanded {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (env !== undefined && ch === '$' && text[i + 1] === '{') {
      const end = text.indexOf('}', i + 2);
      if (end === -1) return { problem: `has "\${" without a closing "}"` };
      const name = text.slice(i + 2, end);
      if (name === '') return { problem: 'has an empty "${}"' };
      const value = env[name];
      if (value === undefined) return { problem: `uses \${${name}}, which is not set in the environment` };
      out += value;
      i = end;
    } else if (ch !== '%') {
      out += ch;
    } else {
      const key = text[++i];
      if (key === undefined) return { problem: 'ends with a lone "%"' };
      if (key === '%') {
        out += '%';
        continue;
      }
      const value = tokens[key];
      if (value === undefined) return { problem: `uses %${key}, which is not a token ssh expands here (see TOKENS in ssh_config(5))` };
      out += value;
    }
  }
  return { value: out };
}

/** `~` and `~/path` as the user's home; `~user` is not supported. */
export function expandTilde(path: string, home: string): Expanded {
  if (!path.startsWith('~')) return { value: path };
  if (path === '~' || path.startsWith('~/')) return { value: join(home, path.slice(1)) };
  return { problem: 'uses ~user, which fleetbench does not resolve; write the full path or ~/ for your own home' };
}

/** A path as ssh opens it: `~` expanded, then tokens and `${VAR}`, relative to the working directory. */
export function expandPath(path: string, tokens: Readonly<Record<string, string>>, context: { home: string; env: Env; cwd: string }): Expanded {
  const tilde = expandTilde(path, context.home);
  if ('problem' in tilde) return tilde;
  const expanded = expandTokens(tilde.value, tokens, context.env);
  if ('problem' in expanded) return expanded;
  return { value: isAbsolute(expanded.value) ? expanded.value : resolve(context.cwd, expanded.value) };
}
