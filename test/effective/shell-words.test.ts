import { describe, expect, it } from 'vitest';
import { assignment, splitCommands } from '../../src/effective/shell-words.js';

// The shell lexer reads sh -c strings and ExecStart= lines the way sh would split them, keeping
// every expansion as written and flagged, never run.

const words = (source: string) => splitCommands(source).map((command) => command.map((w) => (w.splits ? `[${w.text}]` : w.expands ? `{${w.text}}` : w.text)));

describe('splitCommands', () => {
  const rows: [string, string, string[][]][] = [
    ['plain words', 'etcd --name=a  --data-dir=/d', [['etcd', '--name=a', '--data-dir=/d']]],
    ['single quotes keep everything', `etcd --name='a b $X'`, [['etcd', '--name=a b $X']]],
    ['double quotes keep spaces, flag expansions', 'etcd --name="a b" --dir="$HOME/x"', [['etcd', '--name=a b', '{--dir=$HOME/x}']]],
    ['escapes in double quotes', 'echo "a \\"b\\" \\$c \\\\ \\n"', [['echo', 'a "b" $c \\ \\n']]],
    ['a backslash outside quotes', 'echo a\\ b \\$X', [['echo', 'a b', '$X']]],
    ['a line continuation', 'etcd \\\n  --name=a', [['etcd', '--name=a']]],
    ['separators', 'a; b && c || d | e & f\ng', [['a'], ['b'], ['c'], ['d'], ['e'], ['f'], ['g']]],
    ['a comment', 'etcd --name=a # --auto-tls=true\n--x', [['etcd', '--name=a'], ['--x']]],
    ['a # inside a word', 'etcd --name=a#b', [['etcd', '--name=a#b']]],
    ['redirections and their targets', 'etcd --name=a >/var/log/etcd.log 2>&1 </dev/null', [['etcd', '--name=a']]],
    ['command substitutions, whole', 'X=$(nproc) etcd `hostname` ${A:-b} $1', [['[X=$(nproc)]', 'etcd', '[`hostname`]', '[${A:-b}]', '[$1]']]],
    ['a nested substitution', 'echo $(echo $(date))', [['echo', '[$(echo $(date))]']]],
    ['a lone dollar', 'echo $ a', [['echo', '$', 'a']]],
    ['an unclosed quote runs to the end', "echo 'a b", [['echo', 'a b']]],
  ];

  it.each(rows)('%s', (_, source, expected) => {
    expect(words(source)).toEqual(expected);
  });
});

describe('assignment', () => {
  it.each([
    ['ETCD_NAME=a', { name: 'ETCD_NAME', value: 'a' }],
    ['X=', { name: 'X', value: '' }],
    ['_x1=a=b', { name: '_x1', value: 'a=b' }],
    ['--name=a', undefined],
    ['1X=a', undefined],
    ['ETCD-NAME=a', undefined],
  ])('%s', (word, expected) => {
    expect(assignment(word)).toEqual(expected);
  });
});
