import { describe, expect, it } from 'vitest';
import type { FileFact, ProcessInfo, Status } from '../../../src/model.js';
import type { BenchmarkVersion } from '../../../src/rules/benchmarks.js';
import { checkFile } from '../../../src/rules/checks/files.js';
import { dir, file, missing, proc, snapshot, staticPod } from '../../support/host-snapshot.js';
import { checkInput, rule, target } from '../../support/judge.js';

// The file controls: etcd's pod specification file (1.1.7, 1.1.8) and data directory (1.1.11,
// 1.1.12), found from the configuration etcd really runs with, judged on what stat said.

const MANIFEST = '/etc/kubernetes/manifests/etcd.yaml';
const manifestMode = rule({ type: 'file-mode', file: 'etcd-manifest', maxMode: { '1.5': 0o644, '1.6': 0o644, '1.8': 0o600, '1.12': 0o600 } });
const manifestOwner = rule({ type: 'file-owner', file: 'etcd-manifest', owners: ['root:root'] });
const dataDirMode = rule({ type: 'file-mode', file: 'etcd-data-dir', maxMode: { '1.12': 0o700 } });
const dataDirOwner = rule({ type: 'file-owner', file: 'etcd-data-dir', owners: ['etcd:etcd'] });

const etcd = (flags: string[], extra: Partial<ProcessInfo> = {}) => proc(['etcd', ...flags], extra);
const pod = (flags: string[], extra: Partial<FileFact> = {}, mounts?: Record<string, string>) =>
  file(MANIFEST, { content: staticPod({ command: ['etcd', ...flags], ...(mounts ? { mounts } : {}) }), ...extra });

function verdict(
  r: typeof dataDirMode,
  processes: ProcessInfo[],
  files: FileFact[],
  extra: { environ?: Record<number, Record<string, string>>; benchmark?: BenchmarkVersion } = {},
) {
  const { environ, benchmark } = extra;
  return checkFile(
    checkInput(r, { target: target('h'), snapshot: snapshot({ processes, files, ...(environ ? { environ } : {}) }) }, benchmark ? { benchmark } : {}),
  );
}

describe('file-mode: the loosest mode each benchmark allows', () => {
  const rows: { mode: number; benchmark: BenchmarkVersion; status: Status; reason: string }[] = [
    { mode: 0o644, benchmark: '1.5', status: 'PASS', reason: `${MANIFEST} has mode 0644, as required` },
    { mode: 0o600, benchmark: '1.6', status: 'PASS', reason: `${MANIFEST} has mode 0600, stricter than 0644` },
    { mode: 0o644, benchmark: '1.8', status: 'FAIL', reason: `${MANIFEST} has mode 0644, more permissive than 0600 (extra permissions 0044)` },
    { mode: 0o600, benchmark: '1.12', status: 'PASS', reason: `${MANIFEST} has mode 0600, as required` },
    { mode: 0o400, benchmark: '1.12', status: 'PASS', reason: `${MANIFEST} has mode 0400, stricter than 0600` },
    { mode: 0o4600, benchmark: '1.12', status: 'FAIL', reason: `${MANIFEST} has mode 4600, more permissive than 0600 (extra permissions 4000)` },
    { mode: 0o640, benchmark: '1.5', status: 'PASS', reason: `${MANIFEST} has mode 0640, stricter than 0644` },
    { mode: 0o660, benchmark: '1.5', status: 'FAIL', reason: `${MANIFEST} has mode 0660, more permissive than 0644 (extra permissions 0020)` },
  ];

  it.each(rows)('mode $mode in CIS $benchmark: $status', ({ mode, benchmark, status, reason }) => {
    const v = verdict(manifestMode, [etcd([])], [pod([], { mode })], { benchmark });
    expect(v).toMatchObject({ status, reason, actual: `mode ${mode.toString(8).padStart(4, '0')}` });
    expect(v.evidence).toEqual([
      { source: 'static pod manifest defining etcd', value: MANIFEST },
      { source: `stat ${MANIFEST}`, key: 'mode', value: mode.toString(8).padStart(4, '0') },
    ]);
  });
});

describe('file-owner', () => {
  const rows: { name: string; fact: Partial<FileFact>; status: Status; reason: string }[] = [
    { name: 'allowed owner', fact: { owner: 'etcd', group: 'etcd', uid: 998, gid: 998 }, status: 'PASS', reason: '/var/lib/etcd is owned by etcd:etcd' },
    { name: 'root', fact: {}, status: 'FAIL', reason: '/var/lib/etcd is owned by root:root, not etcd:etcd' },
    { name: 'right user, wrong group', fact: { owner: 'etcd', uid: 998 }, status: 'FAIL', reason: '/var/lib/etcd is owned by etcd:root, not etcd:etcd' },
    {
      name: 'ids without names',
      fact: { owner: undefined, group: undefined, uid: 998, gid: 998 },
      status: 'FAIL',
      reason: '/var/lib/etcd is owned by 998:998, not etcd:etcd',
    },
  ];

  it.each(rows)('$name: $status', ({ fact, status, reason }) => {
    const v = verdict(dataDirOwner, [etcd(['--data-dir=/var/lib/etcd'])], [dir('/var/lib/etcd', fact)]);
    expect(v).toMatchObject({ status, reason });
    expect(v.evidence.at(-1)).toEqual({
      source: 'stat /var/lib/etcd',
      key: 'owner:group',
      value: `${fact.owner ?? fact.uid ?? 'root'}:${fact.group ?? fact.gid ?? 'root'} (uid ${fact.uid ?? 0}, gid ${fact.gid ?? 0})`,
    });
  });

  it('judges the manifest it was given, root:root', () => {
    expect(verdict(manifestOwner, [etcd([])], [pod([])])).toMatchObject({ status: 'PASS', actual: 'owned by root:root', values: `${MANIFEST}=root:root` });
  });
});

describe("etcd's data directory: where it is", () => {
  /** Looked for on the command line and in the environment, then etcd's default. */
  const DEFAULTED = [
    { source: 'process 100 command line', key: '--data-dir' },
    { source: 'environment of pid 100', key: 'ETCD_DATA_DIR' },
    { source: "etcd's default", key: 'data-dir' },
  ];
  const rows: {
    name: string;
    process: ProcessInfo;
    environ?: Record<number, Record<string, string>>;
    path: string;
    evidence: { source: string; key?: string }[];
  }[] = [
    {
      name: '--data-dir',
      process: etcd(['--data-dir=/srv/etcd']),
      path: '/srv/etcd',
      evidence: [{ source: 'process 100 command line', key: '--data-dir' }],
    },
    {
      name: 'ETCD_DATA_DIR',
      process: etcd([]),
      environ: { 100: { ETCD_DATA_DIR: '/srv/etcd' } },
      path: '/srv/etcd',
      evidence: [{ source: 'environment of pid 100', key: 'ETCD_DATA_DIR' }],
    },
    {
      name: "etcd's default, in its working directory",
      process: etcd(['--name=m1'], { cwd: '/var/lib' }),
      path: '/var/lib/m1.etcd',
      evidence: DEFAULTED,
    },
    {
      name: "etcd's default without --name, working directory /",
      process: etcd([], { cwd: '/' }),
      path: '/default.etcd',
      evidence: DEFAULTED,
    },
    {
      name: 'a relative --data-dir',
      process: etcd(['--data-dir=data'], { cwd: '/srv/etcd/' }),
      path: '/srv/etcd/data',
      evidence: [{ source: 'process 100 command line', key: '--data-dir' }],
    },
  ];

  it.each(rows)('$name: $path', ({ process, environ, path, evidence }) => {
    const v = verdict(dataDirMode, [process], [dir(path)], environ ? { environ } : {});
    expect(v).toMatchObject({ status: 'PASS', values: `${path}=0700` });
    expect(v.evidence.slice(0, -1)).toMatchObject(evidence);
  });

  it('says so when a relative data directory has no working directory to be read against', () => {
    const rows = [
      verdict(dataDirMode, [etcd(['--data-dir=data'], { cwd: undefined })], []),
      verdict(dataDirMode, [], [pod(['--data-dir=data'])]),
      verdict(dataDirMode, [etcd([], { cwd: undefined })], []),
    ];
    expect(rows.map((v) => [v.status, v.reason, v.values])).toEqual([
      ['ERROR', "etcd's data directory data is relative to its working directory, which could not be read", 'data-dir=data'],
      ['ERROR', "etcd's data directory data is relative to its working directory, which could not be read", 'data-dir=data'],
      ['ERROR', "etcd's data directory default.etcd is relative to its working directory, which could not be read", 'data-dir=default.etcd'],
    ]);
  });

  it('is ERROR when the environment that could name it was not readable', () => {
    const v = verdict(dataDirMode, [etcd([])], [], { environ: {} });
    expect(v).toMatchObject({
      status: 'ERROR',
      reason: "cannot tell etcd's data directory: the ETCD_* environment of pid 100 could not be read",
      actual: 'data dir unknown',
    });
  });

  it('follows the hostPath mounts of the manifest to the directory on the host, the longest mount first', () => {
    const mounts = { '/var/lib': '/mnt/var-lib', '/var/lib/etcd': '/data/etcd/' };
    const v = verdict(
      dataDirMode,
      [etcd(['--data-dir=/var/lib/etcd/member'])],
      [pod(['--data-dir=/var/lib/etcd/member'], {}, mounts), dir('/data/etcd/member')],
    );
    expect(v).toMatchObject({ status: 'PASS', reason: '/data/etcd/member has mode 0700, as required' });
    expect(v.evidence).toContainEqual({ source: `hostPath volume of ${MANIFEST}`, key: '/var/lib/etcd/member', value: '/data/etcd/member' });
  });

  it('does not take /var/lib/etcd2 for a path under a mount of /var/lib/etcd', () => {
    const v = verdict(
      dataDirMode,
      [etcd(['--data-dir=/var/lib/etcd2'])],
      [pod(['--data-dir=/var/lib/etcd2'], {}, { '/var/lib/etcd': '/data/etcd' }), dir('/var/lib/etcd2')],
    );
    expect(v.reason).toBe('/var/lib/etcd2 has mode 0700, as required');
  });
});

describe('what stat could not say', () => {
  const rows: { name: string; files: FileFact[]; reason: string }[] = [
    { name: 'never examined', files: [], reason: '/var/lib/etcd was not examined by the probe' },
    { name: 'absent', files: [missing('/var/lib/etcd')], reason: '/var/lib/etcd does not exist on the host' },
    {
      name: 'hidden',
      files: [{ path: '/var/lib/etcd', exists: false, unreadable: '/var/lib is not searchable by audit' }],
      reason: 'cannot see /var/lib/etcd: /var/lib is not searchable by audit',
    },
    {
      name: 'no metadata',
      files: [{ path: '/var/lib/etcd', exists: true, unreadable: 'not readable by audit' }],
      reason: 'cannot stat /var/lib/etcd: not readable by audit',
    },
  ];

  it.each(rows)('$name: ERROR', ({ files, reason }) => {
    for (const r of [dataDirMode, dataDirOwner]) {
      expect(verdict(r, [etcd(['--data-dir=/var/lib/etcd'])], files)).toMatchObject({ status: 'ERROR', reason, actual: 'unknown', values: '/var/lib/etcd=?' });
    }
  });
});

describe('the etcd pod specification file', () => {
  it('is the manifest etcd runs from', () => {
    expect(verdict(manifestMode, [etcd([])], [pod([], { mode: 0o644 })])).toMatchObject({ status: 'FAIL', values: `${MANIFEST}=0644` });
  });

  it('is judged on metadata alone when only its name could be seen', () => {
    const unread = file(MANIFEST, { mode: 0o600, unreadable: 'not readable by audit' });
    const v = verdict(manifestMode, [etcd([])], [unread]);
    expect(v.status).toBe('PASS');
    expect(v.evidence[0]).toEqual({ source: "taken by its name as etcd's manifest; its content could not be read (not readable by audit)", value: MANIFEST });
  });

  it.each([
    [
      'runs from a systemd unit',
      { unit: 'etcd.service' },
      'etcd runs from the systemd unit etcd.service: there is no etcd pod specification file on this host',
    ],
    [
      'is started otherwise',
      {},
      'etcd is not run from a static pod manifest here (pid 100 runs in no container and no systemd unit): there is no etcd pod specification file on this host',
    ],
  ])('is not applicable when etcd %s', (_, extra, reason) => {
    const v = verdict(manifestOwner, [etcd([], extra)], []);
    expect(v).toMatchObject({ status: 'NOT_APPLICABLE', reason, actual: 'no etcd pod specification file', evidence: [] });
  });

  it('is not applicable to an etcd embedded in k3s', () => {
    const input = checkInput(manifestOwner, { target: target('h'), snapshot: snapshot({ processes: [etcd([])] }) });
    const v = checkFile({ ...input, instance: { ...input.instance, embeddedIn: 'k3s', manifestAbsence: { known: true, reason: 'etcd is embedded in k3s' } } });
    expect(v).toMatchObject({ status: 'NOT_APPLICABLE', reason: 'etcd is embedded in k3s: there is no etcd pod specification file on this host' });
  });
});
