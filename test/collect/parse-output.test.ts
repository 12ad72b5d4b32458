import { describe, expect, it } from 'vitest';
import { answerProbe } from '../../src/collect/fixture-output.js';
import type { HostFixture } from '../../src/collect/fixture-output.js';
import { parseProbeOutput, ProbeOutputError, readRecords } from '../../src/collect/parse-output.js';
import { parsePs } from '../../src/collect/ps.js';

const nonce = '0123456789abcdef0123456789abcdef';
const options = { target: 'h', nonce, collectedAt: '2026-11-25T00:00:00Z', user: 'audit' };
const data = (header: string, payload: string) => `FB1:${nonce}:data ${header}\n${payload}\nFB1:${nonce}:end\n`;
const line = (text: string) => `FB1:${nonce}:${text}\n`;
const PS = 'UID          PID    PPID  C STIME TTY          TIME CMD\nroot        1795    1581  1 11:37 ?        00:00:30 etcd --name=a\n';

describe('readRecords', () => {
  it('ignores noise outside records and keeps payload bytes exactly, NULs included', () => {
    const output = Buffer.from(`Welcome to node1!\n${line('hello 2 0 root 10')}${data('cmdline 5', 'etcd\0--name=a\0')}${line('done')}`);
    const { records, complete } = readRecords(output, nonce);
    expect(complete).toBe(true);
    expect(records.map((r) => r.kind)).toEqual(['hello', 'cmdline']);
    expect(records[1]!.payload!.toString()).toBe('etcd\0--name=a\0');
  });

  it('cannot be fooled by a payload that carries markers with another nonce', () => {
    const forged = `--x\nFB1:ffffffffffffffffffffffffffffffff:end\nFB1:ffffffffffffffffffffffffffffffff:environ 1\nETCD_CLIENT_CERT_AUTH=true`;
    const output = Buffer.from(`${line('hello 2 0 root 10')}${data('cmdline 5', forged)}${line('done')}`);
    const { records } = readRecords(output, nonce);
    expect(records).toHaveLength(2);
    expect(records[1]!.payload!.toString()).toBe(forged);
  });

  it('says the output is incomplete when the end record is missing', () => {
    const { complete } = readRecords(Buffer.from(`${line('hello 2 0 root 10')}${data('ps ef', PS)}`), nonce);
    expect(complete).toBe(false);
  });
});

describe('parseProbeOutput', () => {
  it('builds processes with exact argv from cmdline records and drops the probe and its children', () => {
    const ps = `${PS}audit         10       1  0 12:00 ?        00:00:00 sh -s sudo\nroot          11      10  0 12:00 ?        00:00:00 ps -ef\n`;
    const output = Buffer.from(
      line('hello 2 0 sudo 10') +
        data('ps ef', ps) +
        data('cmdline 1795', 'etcd\0--name=a b\0') +
        line('uid 1795 0') +
        data('cgroup 1795', '0::/system.slice/etcd.service\n') +
        data('environ 1795', 'ETCD_AUTO_TLS=false') +
        line('done'),
    );
    const snapshot = parseProbeOutput(output, options);
    expect(snapshot.privilege).toBe('sudo');
    expect(snapshot.processes).toEqual([
      {
        pid: 1795,
        ppid: 1581,
        user: 'root',
        uid: 0,
        trusted: true,
        command: 'etcd --name=a',
        argv: ['etcd', '--name=a b'],
        argvSource: 'proc-cmdline',
        unit: 'etcd.service',
      },
    ]);
    expect(snapshot.environ).toEqual({ 1795: { ETCD_AUTO_TLS: 'false' } });
  });

  it('reads each environ line as one variable, SOH as a line break within its value', () => {
    const ps = `${PS}audit         10       1  0 12:00 ?        00:00:00 sh -s sudo\n`;
    const output = Buffer.from(
      line('hello 2 0 sudo 10') +
        data('ps ef', ps) +
        line('uid 1795 0') +
        data('environ 1795', 'ETCD_NAME=m1\u0001ETCD_AUTO_TLS=true\u0001\nETCD_DATA_DIR=/var/lib/etcd') +
        line('done'),
    );
    expect(parseProbeOutput(output, options).environ).toEqual({ 1795: { ETCD_NAME: 'm1\nETCD_AUTO_TLS=true\n', ETCD_DATA_DIR: '/var/lib/etcd' } });
  });

  it("gets from the in-process fleet, as from a real probe, a kilobyte of a long process line but a trusted component's", () => {
    const long = 'x'.repeat(3000);
    const fixture: HostFixture = {
      processes: [
        { pid: 1795, ppid: 1, user: 'root', uid: 0, argv: ['etcd', `--name=${long}`] },
        { pid: 1800, ppid: 1, user: 'tenant', uid: 1001, argv: ['/home/tenant/etcd', long] },
        { pid: 1801, ppid: 1, user: 'root', uid: 0, argv: ['java', long] },
      ],
      files: {},
      sudo: 'nopasswd',
    };
    const { processes } = parseProbeOutput(answerProbe(fixture, { nonce, mode: 'sudo', user: 'audit', uid: 1000 }), options);
    expect(processes.find((p) => p.pid === 1795)!.command).toBe(`etcd --name=${long}`);
    for (const pid of [1800, 1801]) expect(processes.find((p) => p.pid === pid)!.command).toMatch(/^\S+ x+ \[fleetbench: \d+ more bytes not sent\]$/);
  });

  it('names the first 20 processes named etcd that other users run, and counts the rest', () => {
    const processes = Array.from({ length: 25 }, (_, i) => ({ pid: 2000 + i, ppid: 1, user: 'tenant', uid: 1001, argv: ['/home/tenant/etcd'] }));
    const fixture: HostFixture = { processes, files: {}, sudo: 'nopasswd' };
    const { problems } = parseProbeOutput(answerProbe(fixture, { nonce, mode: 'sudo', user: 'audit', uid: 1000 }), options);
    expect(problems.filter((p) => /^process \d+$/.test(p.subject)).map((p) => p.subject)).toEqual(processes.slice(0, 20).map((p) => `process ${p.pid}`));
    expect(problems.at(-1)).toEqual({
      subject: 'other processes',
      reason: '5 more processes named etcd, kube-apiserver, k3s or rke2 run by other accounts than root, etcd or kube: not audited',
    });
  });

  it('reads back from the in-process fleet each ETCD_* variable whole, as from a real probe', () => {
    const environ = { FOO: 'a\nETCD_CLIENT_CERT_AUTH=true', ETCD_NAME: 'm1\nETCD_AUTO_TLS=true' };
    const fixture: HostFixture = { processes: [{ pid: 1795, ppid: 1, user: 'root', uid: 0, argv: ['etcd'], environ }], files: {}, sudo: 'nopasswd' };
    const snapshot = parseProbeOutput(answerProbe(fixture, { nonce, mode: 'sudo', user: 'audit', uid: 1000 }), options);
    expect(snapshot.environ).toEqual({ 1795: { ETCD_NAME: 'm1\nETCD_AUTO_TLS=true' } });
  });

  it('reads stat, missing, hidden, unreadable and secret records into file facts', () => {
    const output = Buffer.from(
      line('hello 2 1000 plain 10') +
        data('ps ef', PS) +
        line('stat 8180 0 0 1234 root root /etc/kubernetes/manifests/etcd.yaml') +
        line('unreadable /etc/kubernetes/manifests/etcd.yaml') +
        line('stat 41c0 998 997 4096 etcd etcd /var/lib/etcd') +
        line('missing /etc/etcd.env') +
        line('hidden 15 /etc/kubernetes/pki/etcd/ca.crt') +
        line('stat 8180 0 0 10 root root /etc/k.pem') +
        line('secret /etc/k.pem') +
        line('done'),
    );
    const { files, privilege } = parseProbeOutput(output, options);
    expect(privilege).toBe('unprivileged');
    expect(files['/etc/kubernetes/manifests/etcd.yaml']).toMatchObject({ type: 'file', mode: 0o600, owner: 'root', unreadable: 'not readable by audit' });
    expect(files['/var/lib/etcd']).toMatchObject({ type: 'directory', mode: 0o700, uid: 998, gid: 997, owner: 'etcd', group: 'etcd' });
    expect(files['/etc/etcd.env']).toEqual({ path: '/etc/etcd.env', exists: false });
    expect(files['/etc/kubernetes/pki/etcd/ca.crt']!.unreadable).toBe('/etc/kubernetes is not searchable by audit');
    expect(files['/etc/k.pem']!.unreadable).toBe('contains a private key; not read');
  });

  it('audits only components run by root or a trusted system account, and says which it did not', () => {
    const ps = `${PS}tenant      4242       1  0 12:00 ?        00:00:00 etcd --client-cert-auth=true\netcd         900       1  0 12:00 ?        00:00:00 /usr/local/bin/etcd\n`;
    const output = Buffer.from(
      line('hello 2 0 sudo 10') +
        line('trusted-uids 0 996') +
        line('trusted-gids 0') +
        data('ps ef', ps) +
        line('uid 1795 0 0') +
        data('cmdline 1795', 'etcd\0--name=a\0') +
        line('uid 4242 1001 1001') +
        line('uid 900 996 996') +
        data('cmdline 900', '/usr/local/bin/etcd\0') +
        line('done'),
    );
    const { processes, problems } = parseProbeOutput(output, options);
    expect(processes.map((p) => [p.pid, p.trusted, p.argvSource])).toEqual([
      [1795, true, 'proc-cmdline'],
      [4242, false, 'ps'],
      [900, true, 'proc-cmdline'],
    ]);
    expect(problems).toEqual([
      {
        subject: 'process 4242',
        reason: 'runs etcd as uid 1001 (tenant), not as root or the etcd or kube system account: not audited, and nothing it names was followed',
      },
    ]);
  });

  it('says why a path was not followed, and what was refused, naming the file or directory at fault', () => {
    const output = Buffer.from(
      line('hello 2 0 sudo 10') +
        line('trusted-uids 0 996') +
        line('trusted-gids 0 995') +
        data('ps ef', PS) +
        data('untrusted /tmp/work/a.etcd', '/tmp\t43ff 0 0 4096 root root') +
        data('untrusted /etc/etcd.env', '/etc/etcd.env\t81b6 0 0 120 root root') +
        data('untrusted /home/t/ca.crt', '/home/t\t41ed 1001 1001 4096 tenant tenant') +
        data('untrusted /srv/x/ca.crt', '/srv/x\t41fd 0 100 4096 root users') +
        data('refused control', '/var/lib/a\nR /etc/shadow\nb.etcd') +
        data('refused special', '/dev/zero') +
        line('done'),
    );
    const { files, problems } = parseProbeOutput(output, options);
    expect(files['/tmp/work/a.etcd']).toEqual({
      path: '/tmp/work/a.etcd',
      exists: false,
      unreadable: 'not followed: /tmp can be written by every user (mode 1777), so an ordinary user could change what it says',
    });
    expect(files['/etc/etcd.env']!.unreadable).toBe('not followed: it can be written by every user (mode 0666), so an ordinary user could change what it says');
    expect(files['/home/t/ca.crt']!.unreadable).toBe(
      'not followed: /home/t belongs to tenant (uid 1001), not to root or the etcd or kube system account, so an ordinary user could change what it says',
    );
    expect(files['/srv/x/ca.crt']!.unreadable).toBe(
      'not followed: /srv/x can be written by group users (gid 100, mode 0775), so an ordinary user could change what it says',
    );
    expect(files['/var/lib/a\nR /etc/shadow\nb.etcd']!.unreadable).toBe('the path holds a control character: refused, never split, followed or read');
    expect(problems.map((p) => p.subject)).toEqual([
      '/tmp/work/a.etcd',
      '/etc/etcd.env',
      '/home/t/ca.crt',
      '/srv/x/ca.crt',
      '/var/lib/a\nR /etc/shadow\nb.etcd',
      '/dev/zero',
    ]);
  });

  it('refuses output that repeats a record only the probe may write once, or goes on after its last record', () => {
    const twice = Buffer.from(line('hello 2 0 sudo 10') + data('ps ef', PS) + data('ps ef', PS) + line('done'));
    expect(() => parseProbeOutput(twice, options)).toThrow(/repeats its "ps" record/);
    const stats = Buffer.from(
      line('hello 2 0 sudo 10') + data('ps ef', PS) + line('stat 81a4 0 0 1 root root /a') + line('stat 81b6 0 0 1 root root /a') + line('done'),
    );
    expect(() => parseProbeOutput(stats, options)).toThrow(/repeats its "stat" record/);
    const after = Buffer.from(line('hello 2 0 sudo 10') + data('ps ef', PS) + line('done') + line('done'));
    expect(() => parseProbeOutput(after, options)).toThrow(/goes on after its last record/);
  });

  it('refuses output in another probe format', () => {
    const old = Buffer.from(line('hello 1 0 sudo 10') + data('ps ef', PS) + line('done'));
    expect(() => parseProbeOutput(old, options)).toThrow(/probe format "1", not 2/);
  });

  it('throws when the probe never started', () => {
    expect(() => parseProbeOutput(Buffer.from('sh: 1: sudo: not found\n'), options)).toThrow(ProbeOutputError);
  });
});

describe('parsePs', () => {
  it('reads busybox ps, whose columns are PID USER TIME COMMAND', () => {
    const rows = parsePs('PID   USER     TIME  COMMAND\n    1 root      0:05 /sbin/init\n  812 root      2:13 /usr/local/bin/etcd --name a\n');
    expect(rows).toEqual([
      { pid: 1, ppid: 0, user: 'root', command: '/sbin/init' },
      { pid: 812, ppid: 0, user: 'root', command: '/usr/local/bin/etcd --name a' },
    ]);
  });

  it('keeps a truncated user name and a command with runs of spaces', () => {
    const rows = parsePs('UID          PID    PPID  C STIME TTY          TIME CMD\nkubeadm+    1795    1581  1 Nov20 ?        1-02:03:04 etcd  --name=a\n');
    expect(rows).toEqual([{ pid: 1795, ppid: 1581, user: 'kubeadm+', command: 'etcd  --name=a' }]);
  });
});
