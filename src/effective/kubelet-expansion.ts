// The kubelet's `$(VAR)` expansion of a container's command, args and env values, exactly as
// k8s.io/kubernetes third_party/forked/golang/expansion/expand.go (Expand, tryReadVariableName)
// does it: `$(NAME)` becomes the variable's value when it is defined and stays as written when it
// is not; `$$` is a single `$`; a `$` before anything else, or an unclosed `$(`, stays as written.
// There is no word splitting: one word stays one word. The kubelet expands an env value with the
// variables listed before it, and command and args with all of them (kuberuntime
// makeEnvironmentVariables, kubecontainer.ExpandContainerCommandAndArgs).

/** A variable for the expansion: its value, or why it cannot be known here (valueFrom): then `$(NAME)` is kept as written. */
export interface ExpansionVariable {
  value: string;
  unknown?: string;
}

export interface Expanded {
  value: string;
  /**
   * The defined variables it uses whose value cannot be known here: the result is not known either.
   * Their `$(NAME)` stays in `value`, so that a shell reading it takes it for an expansion too.
   */
  unknownNames: string[];
}

export function expandKubelet(input: string, variables: ReadonlyMap<string, ExpansionVariable>): Expanded {
  let value = '';
  const unknownNames: string[] = [];
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    value += input.slice(checkpoint, cursor);
    const next = input[cursor + 1];
    let advance = 1;
    if (next === '$') value += '$';
    else if (next === '(') {
      const closer = input.indexOf(')', cursor + 2);
      if (closer < 0) value += '$(';
      else {
        const name = input.slice(cursor + 2, closer);
        const variable = variables.get(name);
        if (variable === undefined || variable.unknown !== undefined) value += `$(${name})`;
        else value += variable.value;
        if (variable?.unknown !== undefined) unknownNames.push(name);
        advance = closer - cursor;
      }
    } else value += `$${next}`;
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return { value: value + input.slice(checkpoint), unknownNames };
}
