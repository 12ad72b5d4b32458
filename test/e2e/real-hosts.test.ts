import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding, ScanResult } from '../../src/model.js';
import { CLI } from '../support/cli.js';
import { ETCD_COMMANDS, startEtcdFleet } from '../support/netns/etcd/etcd-fleet.js';
import type { EtcdFleet, EtcdFleetHost } from '../support/netns/etcd/etcd-fleet.js';
import { loadLayouts } from '../support/netns/etcd/layout.js';
import { formatMismatches, verdictMismatches } from '../support/netns/etcd/verdicts.js';
import { missingPrerequisites } from '../support/netns/prerequisites.js';
import type { FileSpec } from '../support/netns/spec.js';
import { runOverSsh } from '../support/netns/ssh-client.js';

// fleetbench end to end against real hosts: every layout of fixtures/e2e runs as real test hosts,
// each in its own network, mount, PID, UTS and cgroup namespaces, with real OpenSSH sshd and real
// etcd clusters that formed with peer TLS. The built CLI scans them from the fabric namespace, the
// only place they can be reached from, exactly as a user would run it, and every host must get
// the verdicts its layout expects. Needs root; skipped elsewhere, but never in CI.

const missing = await missingPrerequisites(ETCD_COMMANDS);
const mustRun = process.env.FLEETBENCH_CI === '1';
const skip = missing.length > 0 && !mustRun;
if (skip) console.warn(`skipping the end-to-end tests on real hosts: ${missing.join('; ')}`);
const otherTools = ['/usr/bin/mawk', '/usr/bin/gawk', '/usr/bin/busybox', '/bin/bash'];
const missingTools = (await missingPrerequisites(otherTools)).filter((reason) => otherTools.some((tool) => reason.includes(tool)));
const skipTools = missingTools.length > 0 && !mustRun;

describe.skipIf(skip)(`fleetbench on real sshd and etcd${skip ? ` (skipped: ${missing.join('; ')})` : ''}`, () => {
  let etcd: EtcdFleet;
  let scan: { code: number | null; stderr: string; result: ScanResult };

  const scanFleet = async () => {
    const run = await etcd.fleet.runInFabric(
      process.execPath,
      [CLI, 'scan', '-i', etcd.inventoryFile, '--format', 'json', '--known-hosts', etcd.fleet.knownHostsFile, '--private-key', etcd.fleet.keyFile],
      // HOME: nothing of the machine's ~/.ssh (config, keys, known hosts) may take part.
      { env: { ...process.env, SSH_AUTH_SOCK: '', HOME: etcd.fleet.dir }, timeoutMs: 60_000 },
    );
    if (run.stdout.trim() === '') throw new Error(`fleetbench scan printed no result (exit ${run.code}): ${run.stderr}`);
    return { code: run.code, stderr: run.stderr, result: JSON.parse(run.stdout) as ScanResult };
  };

  beforeAll(async () => {
    if (missing.length > 0) throw new Error(`FLEETBENCH_CI=1, but this machine cannot run the end-to-end tests: ${missing.join('; ')}`);
    const started = Date.now();
    etcd = await startEtcdFleet(await loadLayouts());
    const up = Date.now();
    scan = await scanFleet();
    console.log(`real hosts: ${etcd.hosts.length} hosts up in ${((up - started) / 1000).toFixed(1)} s, scanned in ${((Date.now() - up) / 1000).toFixed(1)} s`);
  }, 90_000);

  afterAll(async () => {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- unset when beforeAll failed
    await etcd?.stop();
  }, 30_000);

  const hostsOf = (predicate: (host: EtcdFleetHost) => boolean) => etcd.hosts.filter(predicate);
  const finding = (host: string, rule: string): Finding => {
    const found = scan.result.findings.find((f) => f.host === host && f.ruleId === rule);
    if (!found) throw new Error(`no ${rule} finding for ${host}`);
    return found;
  };
  const evidenceOf = (host: string, rule: string) => finding(host, rule).evidence.map((e) => ({ source: e.source, key: e.key, value: e.value }));

  it('formed every etcd cluster for real, with peer TLS', () => {
    for (const layout of etcd.layouts) {
      const members = etcd.members[layout.cluster]!;
      expect(members.map((m) => m.name).sort(), layout.cluster).toEqual([...layout.hosts].sort());
      for (const member of members)
        expect(member.peerURLs, `${layout.cluster} ${member.name}`).toEqual([`https://${etcd.fleet.host(member.name).address}:2380`]);
    }
  });

  // Root can read everything on these hosts: any problem the probe reports here is a probe bug.
  it('reaches every host over sshd and runs the probe through sudo, with nothing it could not read', () => {
    expect(scan.result.hosts.map((h) => h.name).sort()).toEqual(etcd.hosts.map((h) => h.name).sort());
    for (const host of scan.result.hosts) {
      expect({ host: host.name, reached: host.reached, privilege: host.privilege, error: host.error, problems: host.problems }).toEqual({
        host: host.name,
        reached: true,
        privilege: 'sudo',
        error: undefined,
        problems: [],
      });
    }
  });

  it('reaches the verdict each layout expects on every host', () => {
    const mismatches = verdictMismatches(etcd.layouts, scan.result.findings);
    expect(mismatches, formatMismatches(mismatches)).toEqual([]);
  });

  // The member list is asked in the probe's own sudo shell, after the probe: on real sshd, sudo
  // and etcd, each cluster's count must come from it as well, and agree with the cluster formed.
  it("counts every cluster's members with the live etcdctl member list too", () => {
    for (const layout of etcd.layouts) {
      const summary = scan.result.clusters.find((c) => c.name === layout.cluster);
      const live = etcd.members[layout.cluster]!.length;
      // The list is asked only with etcd's own CA, which the top-level trusted-ca-file is not.
      if (layout.cluster === 'config-top') {
        expect(summary?.memberCountBasis).toMatch(/no live member list \(top-etcd1: etcd \(pid \d+\) has no --trusted-ca-file/);
        continue;
      }
      expect(summary?.memberCountBasis, layout.cluster).toContain(`etcdctl member list shows ${live} member${live === 1 ? '' : 's'}`);
      expect(summary?.memberCount, layout.cluster).toBe(live);
    }
  });

  it('exits 1, because some controls fail', () => {
    expect(etcd.layouts.some((layout) => Object.values(layout.expected).includes('FAIL'))).toBe(true);
    expect(scan.code, scan.stderr).toBe(1);
  });

  it('takes static-pod etcd settings from the running process, the pid the host itself gave it', () => {
    for (const host of hostsOf((h) => h.layout.services[0]!.staticPod !== undefined)) {
      expect(evidenceOf(host.name, 'etcd-cert-file'), host.name).toContainEqual({
        source: `process ${host.pids.etcd} command line`,
        key: '--cert-file',
        value: '/etc/kubernetes/pki/etcd/server.crt',
      });
    }
  });

  it('reads the kubespray etcd settings from its environment, which only sudo can read', async () => {
    const hosts = hostsOf((h) => h.layout.cluster === 'kubespray');
    expect(hosts).toHaveLength(3);
    await Promise.all(
      hosts.map(async (host) => {
        expect(evidenceOf(host.name, 'etcd-client-cert-auth'), host.name).toContainEqual({
          source: `environment of pid ${host.pids.etcd}`,
          key: 'ETCD_CLIENT_CERT_AUTH',
          value: 'true',
        });
        const withoutSudo = await runOverSsh(etcd.fleet, host.name, `cat /proc/${host.pids.etcd}/environ`);
        expect(withoutSudo.stderr, host.name).toContain('Permission denied');
      }),
    );
  });

  it('runs the kubespray etcd as systemd would: argv without flags, user etcd, cgroup etcd.service', async () => {
    await Promise.all(
      hostsOf((h) => h.layout.cluster === 'kubespray').map(async (host) => {
        const pid = host.pids.etcd;
        const seen = await runOverSsh(
          etcd.fleet,
          host.name,
          `tr '\\0' ' ' < /proc/${pid}/cmdline; echo; stat -c %U /proc/${pid}; grep name=systemd /proc/${pid}/cgroup`,
        );
        expect(seen.stdout.split('\n').slice(0, 3), host.name).toEqual(['/usr/local/bin/etcd ', 'etcd', '9:name=systemd:/system.slice/etcd.service']);
      }),
    );
  });

  it('takes the config-file host settings from the config file only', () => {
    const [host] = hostsOf((h) => h.layout.cluster === 'config-file');
    expect(evidenceOf(host!.name, 'etcd-client-cert-auth')).toEqual([
      { source: '/etc/etcd/etcd.conf.yml line 14', key: 'client-transport-security.client-cert-auth', value: 'true' },
    ]);
  });

  // etcd reads TLS settings from its config file only inside the transport sections: with
  // client-cert-auth and trusted-ca-file at the top level, the real etcd asks no client for a
  // certificate. A client without one writes to it, and fleetbench says so (it said PASS before).
  it('fails 2.2 where the config file has client-cert-auth at the top level, where a client without a certificate writes', async () => {
    const [host] = hostsOf((h) => h.layout.cluster === 'config-top');
    const put = await etcd.fleet.runInFabric(
      'etcdctl',
      [
        `--endpoints=https://${host!.address}:2379`,
        `--cacert=${etcd.etcdCa['config-top']!}`,
        '--dial-timeout=3s',
        'put',
        'written-without-a-certificate',
        'yes',
      ],
      { env: { ...process.env, ETCDCTL_API: '3' }, timeoutMs: 15_000 },
    );
    expect({ code: put.code, stdout: put.stdout.trim() }, put.stderr).toEqual({ code: 0, stdout: 'OK' });
    const found = finding(host!.name, 'etcd-client-cert-auth');
    expect(found.status).toBe('FAIL');
    expect(found.reason).toMatch(
      /not in effect: client-cert-auth=true \(\/etc\/etcd\/etcd\.conf\.yml line 20, ignored by etcd: a TLS setting at the top level/,
    );
  });

  // The unit names its environment file with %N, which only systemd expands: fleetbench reads it in
  // a follow-up in the probe's sudo shell, lets it override the leftover drop-in as systemd does,
  // and says that peer auto TLS drops peer-client-cert-auth.
  it('reads a %N environment file in a follow-up, sees no drift from a leftover drop-in, and says auto TLS drops peer-client-cert-auth', () => {
    const hosts = hostsOf((h) => h.layout.cluster === 'autotls');
    expect(hosts).toHaveLength(2);
    for (const host of hosts) {
      const clientAuth = finding(host.name, 'etcd-client-cert-auth');
      expect(clientAuth.status, clientAuth.reason).toBe('PASS');
      expect(evidenceOf(host.name, 'etcd-client-cert-auth')).toContainEqual({
        source: '/etc/etcd/etcd.env line 13',
        key: 'ETCD_CLIENT_CERT_AUTH',
        value: 'true',
      });
      expect(finding(host.name, 'etcd-peer-client-cert-auth').reason).toContain(
        'but --peer-auto-tls is on and neither --peer-cert-file nor --peer-key-file is given, so etcd replaces its whole peer TLS configuration with a self-signed certificate',
      );
    }
  });

  it('shows both values when the running etcd and its manifest disagree', () => {
    const [host] = hostsOf((h) => h.layout.drift.length > 0);
    expect(evidenceOf(host!.name, 'etcd-client-cert-auth')).toEqual([
      { source: `process ${host!.pids.etcd} command line`, key: '--client-cert-auth', value: 'true' },
      { source: '/etc/kubernetes/manifests/etcd.yaml line 18', key: '--client-cert-auth', value: 'false' },
    ]);
  });

  it('gives each host only its own processes, as ps over a real OpenSSH login shows them', async () => {
    await Promise.all(
      etcd.hosts.map(async (host) => {
        const ps = await runOverSsh(etcd.fleet, host.name, 'ps -eo pid=,args=');
        expect(ps.code, `${host.name}: ${ps.stderr}`).toBe(0);
        const processes = ps.stdout
          .trim()
          .split('\n')
          .map((line) => {
            const [, pid, args] = /^\s*(\d+)\s+(.*)$/.exec(line)!;
            return { pid: Number(pid), args: args! };
          });
        const named = (pattern: RegExp) => processes.filter((p) => pattern.test(p.args)).map((p) => p.pid);
        expect(named(/host-init\.sh/), host.name).toEqual([1]);
        expect(named(/^sshd: .*\[listener\]/), host.name).toHaveLength(1);
        expect(named(/^(\S*\/)?etcd( |$)/), host.name).toEqual([host.pids.etcd]);
        const apiserver = host.pids['kube-apiserver'];
        expect(named(/^kube-apiserver /), host.name).toEqual(apiserver === undefined ? [] : [apiserver]);
      }),
    );
  });

  // The probe is POSIX sh and awk, and must read the same wherever it runs: on a RHEL-like host
  // (sh is bash, awk is gawk), with Debian's mawk (installing gawk makes it Debian's awk), and
  // where awk is busybox's, whose strings cannot hold the NULs of /proc/PID/cmdline and environ
  // (the probe then reads those with cat and tr instead). Each tool is put first on sudo's
  // secure_path for one scan, behind a wrapper that notes it ran.
  const log = '/var/tmp/probe-tools';
  const wrapper = (name: string, path: string, exec: string, logArguments = false, before = '') => ({
    name,
    file: {
      path,
      content: `#!/bin/bash\n${before}\necho ${name}${logArguments ? ' "$*"' : ''} >> ${log}\nexec ${exec} "$@"\n`,
      mode: 0o755,
      owner: 'root:root',
    } satisfies FileSpec,
  });
  it.skipIf(skipTools).each([
    {
      tools: 'bash as sh, gawk as awk',
      wrappers: [wrapper('bash', '/usr/local/sbin/sh', '-a sh /bin/bash'), wrapper('gawk', '/usr/local/sbin/awk', '/usr/bin/gawk')],
      readsNul: true,
    },
    { tools: 'mawk', wrappers: [wrapper('mawk', '/usr/local/sbin/awk', '/usr/bin/mawk')], readsNul: true },
    { tools: "busybox's awk", wrappers: [wrapper('busybox', '/usr/local/sbin/awk', '/usr/bin/busybox awk')], readsNul: false },
    // A ps that knows no -ef (its error is all the probe gets): plain ps is asked instead.
    {
      tools: "busybox's awk and a ps that knows no -ef",
      wrappers: [
        wrapper('busybox', '/usr/local/sbin/awk', '/usr/bin/busybox awk'),
        wrapper('plain ps', '/usr/local/sbin/ps', '/usr/bin/busybox ps', false, 'case "$*" in *-ef*) echo "ps: invalid option -- \'e\'" >&2; exit 1;; esac'),
      ],
      readsNul: false,
    },
  ])('reaches the same findings with $tools', async ({ wrappers: tools, readsNul }) => {
    if (missingTools.length > 0) throw new Error(`FLEETBENCH_CI=1, but this machine lacks ${missingTools.join('; ')}`);
    // cat and tr read command lines and environments only for an awk that cannot.
    const wrappers = [...tools, wrapper('cat', '/usr/local/sbin/cat', '/bin/cat', true), wrapper('tr', '/usr/local/sbin/tr', '/usr/bin/tr', true)];
    const files = wrappers.map((w) => w.file);
    const findings = (result: ScanResult) =>
      result.findings.map((f) => ({ host: f.host, rule: f.ruleId, status: f.status, reason: f.reason, evidence: f.evidence }));
    await Promise.all(etcd.hosts.map((host) => etcd.fleet.host(host.name).install(files)));
    try {
      const again = await scanFleet();
      for (const host of again.result.hosts)
        expect({ host: host.name, privilege: host.privilege, error: host.error, problems: host.problems }).toEqual({
          host: host.name,
          privilege: 'sudo',
          error: undefined,
          problems: [],
        });
      expect(findings(again.result)).toEqual(findings(scan.result));
      for (const host of etcd.hosts) {
        const ran = (await etcd.fleet.host(host.name).run('cat', [log])).stdout.split('\n');
        for (const { name } of tools) expect(ran, host.name).toContain(name);
        // (The watchdog may cat /proc/*/stat as the session ends.)
        expect(
          ran.some((line) => /^cat \/proc\/\d+\/cmdline$/.test(line)),
          `${host.name}: cat of a command line`,
        ).toBe(!readsNul);
        if (host.pids.etcd !== undefined)
          expect(
            ran.some((line) => line.startsWith('tr ')),
            `${host.name}: tr`,
          ).toBe(!readsNul);
      }
    } finally {
      await Promise.all(etcd.hosts.map((host) => etcd.fleet.host(host.name).run('rm', ['-f', log, ...files.map((f) => f.path)])));
    }
  });
});
