// How etcd and kube-apiserver read values. Both are Go programs: booleans go through
// strconv.ParseBool; YAML config files through go-yaml v2 (YAML 1.1), then JSON into Go structs.

const GO_TRUE = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);
const GO_FALSE = new Set(['0', 'f', 'F', 'FALSE', 'false', 'False']);

/** strconv.ParseBool: the spellings a Go flag or environment variable accepts. */
export function parseGoBool(text: string): boolean | undefined {
  if (GO_TRUE.has(text)) return true;
  if (GO_FALSE.has(text)) return false;
  return undefined;
}

/** Removes one pair of matching surrounding quotes, as a shell or systemd would. */
export function unquote(text: string): string {
  if (text.length >= 2 && (text[0] === '"' || text[0] === "'") && text.at(-1) === text[0]) {
    return text.slice(1, -1);
  }
  return text;
}

export function isQuoted(text: string): boolean {
  return unquote(text) !== text;
}
