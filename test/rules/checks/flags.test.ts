import { describe, expect, it } from 'vitest';
import type { FileFact, ProcessInfo, Status } from '../../../src/model.js';
import { checkFlags } from '../../../src/rules/checks/flags.js';
import type { Rule } from '../../../src/rules/rule-file.js';
import { file, proc, snapshot, staticPod, TRUSTED_CA_ALONE, withClientTls } from '../../support/host-snapshot.js';
import { checkInput, rule, target } from '../../support/judge.js';

// The flag controls read a setting as etcd or kube-apiserver would: Go's boolean spellings, values
// the component would refuse to start with, occurrences that lost to a later one.

const MANIFEST = '/etc/kubernetes/manifests/etcd.yaml';
const clientCertAuth = rule({ type: 'flag-true', settings: ['client-cert-auth'] });
const noAutoTls = rule({ type: 'flag-not-true', settings: ['auto-tls'] });
const certAndKey = rule({ type: 'flags-set', settings: ['cert-file', 'key-file'] });

function running(r: Rule, argv: string[], environ: Record<string, string> = {}) {
  const processes: ProcessInfo[] = [proc(withClientTls(argv))];
  return checkFlags(checkInput(r, { target: target('h'), snapshot: snapshot({ processes, environ: { 100: environ } }) }));
}
/** The configuration of an etcd known only by its static pod manifest, whose command list is `command`. */
function inManifest(r: Rule, command: string[]) {
  const files: FileFact[] = [file(MANIFEST, { content: staticPod({ command: withClientTls(command) }) })];
  return checkFlags(checkInput(r, { target: target('h'), snapshot: snapshot({ files }) }));
}

describe("Go's boolean spellings", () => {
  const rows: { written: string; flagTrue: Status; flagNotTrue: Status }[] = [
    ...['1', 't', 'T', 'TRUE', 'true', 'True'].map((written) => ({ written, flagTrue: 'PASS' as const, flagNotTrue: 'FAIL' as const })),
    ...['0', 'f', 'F', 'FALSE', 'false', 'False'].map((written) => ({ written, flagTrue: 'FAIL' as const, flagNotTrue: 'PASS' as const })),
    ...['yes', 'on', 'Yes', 'tRUE', '2', ''].map((written) => ({ written, flagTrue: 'WARN' as const, flagNotTrue: 'WARN' as const })),
  ];

  it.each(rows)('"$written": flag-true $flagTrue, flag-not-true $flagNotTrue', ({ written, flagTrue, flagNotTrue }) => {
    expect(running(clientCertAuth, ['etcd', `--client-cert-auth=${written}`]).status).toBe(flagTrue);
    expect(running(noAutoTls, ['etcd', `--auto-tls=${written}`]).status).toBe(flagNotTrue);
  });

  it('says a spelling Go does not accept would keep etcd from starting', () => {
    expect(running(clientCertAuth, ['etcd', '--client-cert-auth=yes'])).toMatchObject({
      status: 'WARN',
      reason: `--client-cert-auth is "yes", which etcd does not accept as a boolean: it would refuse to start (--client-cert-auth=yes in process 100 command line)${TRUSTED_CA_ALONE}`,
      actual: '--client-cert-auth=yes',
      values: 'client-cert-auth=yes',
    });
  });

  it('reads the environment with the same spellings', () => {
    expect(running(clientCertAuth, ['etcd'], { ETCD_CLIENT_CERT_AUTH: 'T' })).toMatchObject({
      status: 'PASS',
      reason: '--client-cert-auth is true (ETCD_CLIENT_CERT_AUTH=T in environment of pid 100)',
      evidence: [{ source: 'environment of pid 100', key: 'ETCD_CLIENT_CERT_AUTH', value: 'T' }],
    });
  });
});

describe('values etcd would refuse to start with', () => {
  const rows: { name: string; rule: Rule; command: string[]; status: Status; reason: RegExp }[] = [
    {
      name: 'quoted true in a manifest',
      rule: clientCertAuth,
      command: ['etcd', '--client-cert-auth="true"'],
      status: 'WARN',
      reason: /^--client-cert-auth is true \(--client-cert-auth="true" in \S+ line 14\); the quotes in --client-cert-auth="true" reach etcd literally/,
    },
    {
      name: 'quoted true, where true fails',
      rule: noAutoTls,
      command: ['etcd', "--auto-tls='true'"],
      status: 'FAIL',
      reason: /^--auto-tls is true .*; the quotes in --auto-tls='true' reach etcd literally/,
    },
    {
      name: 'a quoted path',
      rule: certAndKey,
      command: ['etcd', '--listen-client-urls=https://127.0.0.1:2379', '--cert-file="/pki/s.crt"', '--key-file=/pki/s.key'],
      status: 'WARN',
      reason: /^--cert-file is set .*; the quotes in --cert-file="\/pki\/s.crt" reach etcd literally .* write --cert-file=\/pki\/s.crt; --key-file is set/,
    },
    {
      name: 'a boolean with its value after a space, meaning true',
      rule: clientCertAuth,
      command: ['etcd', '--client-cert-auth', 'true'],
      status: 'WARN',
      reason: /^--client-cert-auth is true .*; etcd does not accept a space between a boolean flag and its value/,
    },
    {
      name: 'a boolean with its value after a space, meaning false',
      rule: clientCertAuth,
      command: ['etcd', '--client-cert-auth', 'false'],
      status: 'FAIL',
      reason: /^--client-cert-auth is false .*; etcd does not accept a space/,
    },
    {
      name: 'a path flag with nothing after it',
      rule: certAndKey,
      command: ['etcd', '--key-file=/pki/s.key', '--cert-file'],
      status: 'FAIL',
      reason: /^--cert-file is set to nothing \(--cert-file in \S+ line 11\); --cert-file has no value; --key-file is set/,
    },
  ];

  it.each(rows)('$name: $status', ({ rule: r, command, status, reason }) => {
    const v = inManifest(r, command);
    expect(v.status).toBe(status);
    expect(v.reason).toMatch(reason);
  });
});

describe('a setting given more than once', () => {
  it('is judged on the occurrence that takes effect, and the others are shown as overridden', () => {
    const v = running(clientCertAuth, ['etcd', '--client-cert-auth=false', '--client-cert-auth=true']);
    expect(v).toMatchObject({
      status: 'PASS',
      reason: '--client-cert-auth is true (--client-cert-auth=true in process 100 command line); also set 1 more time(s) where it does not take effect',
      evidence: [
        { source: 'process 100 command line', key: '--client-cert-auth', value: 'true' },
        { source: 'process 100 command line (overridden, not in effect)', key: '--client-cert-auth', value: 'false' },
      ],
    });
  });

  it('shows the environment variable a flag shadows as overridden', () => {
    const v = running(clientCertAuth, ['etcd', '--client-cert-auth=true'], { ETCD_CLIENT_CERT_AUTH: 'false' });
    expect(v.evidence).toEqual([
      { source: 'process 100 command line', key: '--client-cert-auth', value: 'true' },
      { source: 'environment of pid 100 (overridden, not in effect)', key: 'ETCD_CLIENT_CERT_AUTH', value: 'false' },
    ]);
    expect(v.reason).toMatch(
      /; also set 1 more time\(s\) where it does not take effect; etcd 3\.4 and later refuse to start when both ETCD_CLIENT_CERT_AUTH \(environment of pid 100\) and --client-cert-auth are given/,
    );
    // It runs this way, so it is an etcd that lets the flag win: the running value is judged.
    expect(v.status).toBe('PASS');
  });
});

describe('flags-set', () => {
  it('judges each setting and joins them: the most urgent status wins', () => {
    expect(running(certAndKey, ['etcd', '--listen-client-urls=https://127.0.0.1:2379', '--cert-file=/pki/s.crt'])).toMatchObject({
      status: 'FAIL',
      reason: '--cert-file is set (--cert-file=/pki/s.crt in process 100 command line); --key-file is not set',
      actual: '--cert-file=/pki/s.crt, --key-file not set',
      values: 'cert-file=/pki/s.crt key-file=<unset>',
    });
  });

  it('does not call an absent kube-apiserver path flag false', () => {
    const apiserver = rule({ type: 'flags-set', settings: ['etcd-certfile'] }, { component: 'kube-apiserver' });
    expect(running(apiserver, ['kube-apiserver', '--secure-port=6443'])).toMatchObject({ status: 'FAIL', reason: '--etcd-certfile is not set' });
  });

  it('reads a kube-apiserver boolean without swallowing the next flag', () => {
    const apiserver = rule({ type: 'flags-set', settings: ['etcd-cafile'] }, { component: 'kube-apiserver' });
    expect(running(apiserver, ['kube-apiserver', '--allow-privileged', '--etcd-cafile', '/pki/etcd-ca.crt'])).toMatchObject({
      status: 'PASS',
      actual: '--etcd-cafile=/pki/etcd-ca.crt',
    });
  });
});
