import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// probe.sh's REDACT: what it does to every line of every file it sends, run with the real awk.
// Secrets of k3s and RKE2 (tokens, the password of a datastore endpoint) never leave the host;
// what the configuration model needs (paths, flags, the endpoint's scheme) does.
const probe = readFileSync(new URL('../../src/collect/probe.sh', import.meta.url), 'utf8');
const redact = /^REDACT='([\s\S]*?)^'$/m.exec(probe)![1]!;

function redacted(lines: string[]): string[] {
  return execFileSync('awk', [`${redact}{ print redact($0) }`], { input: `${lines.join('\n')}\n` })
    .toString()
    .trimEnd()
    .split('\n');
}

describe("the probe's redaction of secrets", () => {
  it.each([
    ['token: K10abc::server:def', 'token: <redacted>'],
    ['agent-token: "a b c"', 'agent-token: "<redacted>"'],
    ['K3S_TOKEN=abc def', 'K3S_TOKEN=<redacted>'],
    ['datastore-endpoint: "mysql://root:pass@tcp(10.0.0.1:3306)/k3s"', 'datastore-endpoint: "mysql://<redacted>"'],
    ["K3S_DATASTORE_ENDPOINT='postgres://u:p@db:5432/k3s'", "K3S_DATASTORE_ENDPOINT='postgres://<redacted>'"],
    ['ExecStart=/usr/local/bin/k3s server --token abc --data-dir /opt/k3s', 'ExecStart=/usr/local/bin/k3s server --token <redacted> --data-dir /opt/k3s'],
    ['Environment="K3S_TOKEN=a b" "K3S_URL=https://u:p@10.0.0.1:6443"', 'Environment="K3S_TOKEN=<redacted>" "K3S_URL=https://<redacted>@10.0.0.1:6443"'],
    ['    - --token=abc', '    - --token=<redacted>'],
    ['--agent-token=xyz --cluster-init', '--agent-token=<redacted> --cluster-init'],
  ])('%s', (line, expected) => {
    expect(redacted([line])).toEqual([expected]);
  });

  it('leaves what the model reads as it is', () => {
    const lines = [
      'data-dir: /opt/k3s',
      'client-transport-security:',
      '  client-cert-auth: true',
      '  key-file: /etc/etcd/server.key',
      'ETCD_PEER_KEY_FILE=/etc/ssl/etcd/ssl/member-key.pem',
      'MIIBgjCCASegAwIBAgIUL+fK7ouB2a9du5wyTEGJ82k9s38wCgYIKoZIzj0EAwIw',
    ];
    expect(redacted(lines)).toEqual(lines);
  });
});
