import type { ErrorKind } from '../model.js';

/** A host that could not be scanned, with a machine-readable kind and a message a user can act on. */
export class HostError extends Error {
  override name = 'HostError';
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** Worth another try: the connection was dropped or stalled before the SSH handshake finished,
     * as sshd does to connections beyond its MaxStartups. Authentication failures never are. */
    readonly transient = false,
  ) {
    super(message);
  }
}

/** Turns what ssh2 and the socket layer throw into a HostError that says what happened. */
export function classify(error: unknown, where: string): HostError {
  if (error instanceof HostError) return error;
  const err = error as Partial<NodeJS.ErrnoException> & { level?: string };
  const code = err.code ?? '';
  const message = err.message ?? String(error);
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return new HostError('dns', `cannot resolve ${where}: ${code === 'EAI_AGAIN' ? 'name server did not answer' : 'no such host name'}`);
    case 'ECONNREFUSED':
      return new HostError('refused', `connection refused by ${where} (no SSH server listening there)`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
      return new HostError('unreachable', `${where} is unreachable (${code})`);
    case 'ETIMEDOUT':
      return new HostError('timeout', `connecting to ${where} timed out`);
    case 'ECONNRESET':
    case 'EPIPE':
      return new HostError('connection', `${where} closed the connection (${code})`, true);
  }
  if (/Timed out while waiting for handshake/i.test(message)) {
    return new HostError('timeout', `${where} accepted the connection but did not complete the SSH handshake in time`, true);
  }
  if (err.level === 'client-authentication' || /authentication methods failed/i.test(message)) {
    return new HostError('auth', `authentication to ${where} failed: ${message}`);
  }
  if (/before handshake|Connection lost/i.test(message)) {
    return new HostError('connection', `${where} dropped the connection before the SSH handshake finished`, true);
  }
  return new HostError('connection', `${where}: ${message}`);
}
