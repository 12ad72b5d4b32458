// ProxyJump specifications: `[user@]host[:port]` or `ssh://[user@]host[:port]`, several
// separated by commas for a chain, connected to in the order written (the first is the hop
// fleetbench connects to directly). IPv6 addresses go in brackets, `[fd00::1]:2222`, as ssh
// requires.

import { hostProblem, isPort, userProblem } from './value-checks.js';

export interface JumpHop {
  host: string;
  /** Absent when the spec names none: ssh's default, 22. */
  port?: number;
  /** Absent when the spec names none. */
  user?: string;
}

export type JumpChain = { hops: JumpHop[] } | { problem: string };

const BRACKETED = /^\[([^\]]*)\](?::(.*))?$/;

export function parseJumpChain(spec: string): JumpChain {
  const hops: JumpHop[] = [];
  for (const part of spec.split(',')) {
    const hop = parseHop(part.trim());
    if ('problem' in hop) return { problem: `jump host ${JSON.stringify(part.trim())} ${hop.problem}` };
    hops.push(hop);
  }
  return { hops };
}

function parseHop(text: string): JumpHop | { problem: string } {
  if (text === '') return { problem: 'is empty (a leading, trailing or doubled ",")' };
  const rest = text.startsWith('ssh://') ? text.slice('ssh://'.length) : text;
  // ssh splits at the last "@", so a user name cannot smuggle in a host.
  const at = rest.lastIndexOf('@');
  const user = at === -1 ? undefined : rest.slice(0, at);
  const hostPort = splitHostPort(rest.slice(at + 1));
  if ('problem' in hostPort) return hostPort;
  const userIssue = user === undefined ? undefined : userProblem(user);
  if (userIssue !== undefined) return { problem: `has user ${JSON.stringify(user)}, which ${userIssue}` };
  const hostIssue = hostProblem(hostPort.host);
  if (hostIssue !== undefined) return { problem: `has host ${JSON.stringify(hostPort.host)}, which ${hostIssue}` };
  return { host: hostPort.host, ...(hostPort.port === undefined ? {} : { port: hostPort.port }), ...(user === undefined ? {} : { user }) };
}

function splitHostPort(text: string): { host: string; port?: number } | { problem: string } {
  const bracketed = BRACKETED.exec(text);
  const [host, portText] = bracketed === null ? splitAtColon(text) : [bracketed[1] as string, bracketed[2]];
  if (bracketed === null && (text.match(/:/g) ?? []).length > 1) {
    return { problem: 'has more than one ":"; write an IPv6 address in brackets, e.g. [fd00::1]:22' };
  }
  if (portText === undefined) return { host };
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!isPort(port)) return { problem: `has port ${JSON.stringify(portText)}, which is not a whole number from 1 to 65535` };
  return { host, port };
}

function splitAtColon(text: string): [string, string | undefined] {
  const colon = text.indexOf(':');
  return colon === -1 ? [text, undefined] : [text.slice(0, colon), text.slice(colon + 1)];
}
