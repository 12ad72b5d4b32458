import { parseArgs } from 'node:util';
import { nearest } from '../nearest.js';

// Each command's options are one table: the parser reads the command line from it and the help
// is written from it, so the two cannot drift apart.

export interface OptionSpec {
  /** The long name, without dashes. */
  readonly name: string;
  readonly short?: string;
  /** The value's placeholder in the help (`FILE`); an option without one is a flag. */
  readonly value?: string;
  /** Repeatable: every value, in order. */
  readonly multiple?: boolean;
  /** A flag counted each time it is given (`-vv`). */
  readonly counted?: boolean;
  /** Other long names for it (`--forks` for `--concurrency`). */
  readonly aliases?: readonly string[];
  readonly help: string;
  /** Accepted, left out of the help. */
  readonly hidden?: boolean;
  /** Said when a value follows this flag: what it may have been mistaken for. */
  readonly takesNoValue?: string;
}

export interface CommandSpec {
  readonly name: string;
  /** What follows `fleetbench ` in the usage line. */
  readonly usage: string;
  /** What it does, in a few words, for the list of commands. */
  readonly brief: string;
  readonly summary: string;
  /** Arguments that are not options: what they are, for messages (`a result file`), and how many are allowed. */
  readonly positionals?: { readonly name: string; readonly min: number; readonly max: number };
  readonly options: readonly OptionSpec[];
  /** Options other tools have that this one does not: what to use instead, by how they are written (`-k`). */
  readonly unknown?: Readonly<Record<string, string>>;
  /** A paragraph after the options. */
  readonly notes?: string;
}

/** The values of a command's options, by long name: a count, the values in order, the last value, or true. */
export type OptionValues<O extends readonly OptionSpec[]> = {
  [S in O[number] as S['name']]?: S extends { counted: true }
    ? number
    : S extends { value: string }
      ? S extends { multiple: true }
        ? string[]
        : string
      : boolean;
};

/** A command line fleetbench cannot act on: exit 64 with the message and a pointer to the help. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Reads `args` with the command's table. Throws `UsageError` naming the option at fault, and the nearest known one. */
export function parseCommand<O extends readonly OptionSpec[]>(
  command: CommandSpec & { readonly options: O },
  args: readonly string[],
): { values: OptionValues<O>; positionals: string[] } {
  const byName = new Map<string, OptionSpec>();
  const config: Record<string, { type: 'string' | 'boolean'; short?: string; multiple: true }> = {};
  for (const spec of command.options) {
    for (const name of [spec.name, ...(spec.aliases ?? [])]) {
      byName.set(name, spec);
      config[name] = {
        type: spec.value === undefined ? 'boolean' : 'string',
        multiple: true,
        ...(name === spec.name && spec.short ? { short: spec.short } : {}),
      };
    }
  }
  const { tokens } = parseArgs({ args: [...args], options: config, strict: false, allowPositionals: true, tokens: true });
  const values: Record<string, number | string | string[] | boolean> = {};
  const positionals: string[] = [];
  let previous: Token | undefined;
  for (const token of tokens) {
    if (token.kind === 'positional') {
      if (command.positionals === undefined) throw new UsageError(strayArgument(command, token.value, previous));
      positionals.push(token.value);
    } else if (token.kind === 'option') {
      const spec = byName.get(token.name);
      if (spec === undefined) throw new UsageError(unknownOption(command, token.rawName));
      read(spec, token, values);
    }
    previous = token;
  }
  // --help is answered whatever else the command line lacks.
  const allowed = values.help === true ? undefined : command.positionals;
  if (allowed !== undefined && positionals.length < allowed.min) throw new UsageError(`${command.name} needs ${allowed.name}: fleetbench ${command.usage}`);
  if (allowed !== undefined && positionals.length > allowed.max) {
    throw new UsageError(`${command.name} takes no more than ${allowed.max} arguments, got ${positionals.length}: fleetbench ${command.usage}`);
  }
  return { values: values as OptionValues<O>, positionals };
}

type Token = NonNullable<ReturnType<typeof parseArgs>['tokens']>[number];
type OptionToken = Extract<Token, { kind: 'option' }>;

function read(spec: OptionSpec, token: OptionToken, values: Record<string, number | string | string[] | boolean>): void {
  const raw = token.rawName;
  if (spec.value === undefined) {
    if (token.value !== undefined) throw new UsageError(`${raw} takes no value, got ${JSON.stringify(token.value)}`);
    if (spec.counted) values[spec.name] = ((values[spec.name] as number | undefined) ?? 0) + 1;
    else values[spec.name] = true;
    return;
  }
  const value = token.value;
  if (value === undefined) throw new UsageError(`${raw} needs a value: ${raw} ${spec.value}`);
  // `-u -b`: the next option is not a value, unless written so (`--user=-b`).
  if (!token.inlineValue && value.startsWith('-') && value !== '-') {
    throw new UsageError(`${raw} needs a value (${spec.value}), got the option ${value}; write --${spec.name}=${value} if that is the value`);
  }
  if (spec.multiple) values[spec.name] = [...((values[spec.name] as string[] | undefined) ?? []), value];
  else values[spec.name] = value;
}

function unknownOption(command: CommandSpec, raw: string): string {
  const known = command.unknown?.[raw];
  if (known !== undefined) return `${command.name} has no option ${raw}: ${known}`;
  const names = command.options.filter((spec) => !spec.hidden).flatMap((spec) => [spec.name, ...(spec.aliases ?? [])]);
  const guess = raw.startsWith('--') ? nearest(raw.slice(2), names) : undefined;
  return `unknown option ${raw} for ${command.name}${guess === undefined ? '' : `; did you mean --${guess}?`} (fleetbench ${command.name} --help lists them)`;
}

function strayArgument(command: CommandSpec, value: string, previous: Token | undefined): string {
  const flag = previous?.kind === 'option' ? command.options.find((spec) => [spec.name, ...(spec.aliases ?? [])].includes(previous.name)) : undefined;
  if (flag !== undefined && flag.value === undefined && previous?.kind === 'option') {
    return `${previous.rawName} takes no value, got ${JSON.stringify(value)}${flag.takesNoValue === undefined ? '' : ` (${flag.takesNoValue})`}`;
  }
  return `${command.name} takes no argument ${JSON.stringify(value)}: fleetbench ${command.usage}`;
}

const WIDTH = 100;
const HELP_COLUMN = 31;

/** The help of one command: usage, what it does, every option of its table. */
export function commandHelp(command: CommandSpec): string {
  const lines = [`Usage: fleetbench ${command.usage}`, '', ...wrap(command.summary, WIDTH, ''), '', 'Options:'];
  for (const spec of command.options.filter((option) => !option.hidden)) {
    const names = `${spec.short ? `-${spec.short}, ` : '    '}--${spec.name}${spec.value ? ` ${spec.value}` : ''}`;
    const aliases = (spec.aliases ?? []).map((alias) => `--${alias}`);
    const help = aliases.length > 0 ? `${spec.help} (also ${aliases.join(', ')})` : spec.help;
    const left = `  ${names}`;
    const wrapped = wrap(help, WIDTH - HELP_COLUMN, ' '.repeat(HELP_COLUMN));
    if (left.length < HELP_COLUMN - 1) lines.push(left.padEnd(HELP_COLUMN) + (wrapped[0] ?? '').trimStart(), ...wrapped.slice(1));
    else lines.push(left, ...wrapped);
  }
  if (command.notes !== undefined)
    lines.push('', ...command.notes.split('\n\n').flatMap((paragraph, i) => [...(i > 0 ? [''] : []), ...wrap(paragraph, WIDTH, '')]));
  return `${lines.join('\n')}\n`;
}

/** Words of `text` in lines of at most `width` characters after `indent`. */
function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(indent + line);
  return lines;
}
