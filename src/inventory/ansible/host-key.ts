// A host key in an Ansible YAML inventory: a name or pattern, optionally with a port, as
// Ansible's parse_address reads it: `node1`, `node[01:50]:2222`, `10.0.0.5:2222`, an IPv6
// address on its own (`fd00::5`, where every ":" belongs to the address) or in brackets with
// a port (`[fd00::5]:2222`).

export type HostKey = { pattern: string; port?: number } | { problem: string };

const BRACKETED_IPV6 = /^\[([0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)\](?::(\d+))?$/;

export function splitHostKey(key: string): HostKey {
  const v6 = BRACKETED_IPV6.exec(key);
  if (v6 !== null) return withPort(v6[1] as string, v6[2]);
  // Colons inside a range, as in `node[1:3]`, belong to the pattern.
  const colons = [...key.replaceAll(/\[[^\]]*\]/g, (range) => '_'.repeat(range.length)).matchAll(/:/g)].map((m) => m.index);
  if (colons.length !== 1) return { pattern: key };
  const at = colons[0] as number;
  const portText = key.slice(at + 1);
  if (!/^\d+$/.test(portText)) {
    return { problem: `has ${JSON.stringify(portText)} after ":", where a port number belongs (host:port)` };
  }
  return withPort(key.slice(0, at), portText);
}

function withPort(pattern: string, portText: string | undefined): HostKey {
  return portText === undefined ? { pattern } : { pattern, port: Number(portText) };
}
