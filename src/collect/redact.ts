// Secrets fleetbench itself holds (the sudo password) must never come back from a host inside what
// it stores or shows: a sudo, PAM module or wrapper may print what it was given. Every byte a host
// sends passes through here before it is parsed.

export const REDACTED = '[redacted]';

/** `output` with every occurrence of each secret replaced by REDACTED. */
export function redact(output: Buffer, secrets: readonly string[]): Buffer {
  let result = output;
  for (const secret of secrets) {
    if (secret === '') continue;
    const needle = Buffer.from(secret);
    const parts: Buffer[] = [];
    let from = 0;
    for (let at = result.indexOf(needle); at >= 0; at = result.indexOf(needle, from)) {
      parts.push(result.subarray(from, at), Buffer.from(REDACTED));
      from = at + needle.length;
    }
    if (parts.length > 0) result = Buffer.concat([...parts, result.subarray(from)]);
  }
  return result;
}
