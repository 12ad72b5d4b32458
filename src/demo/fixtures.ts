import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { FixtureFile, FixtureProcess, HostFixture } from '../collect/fixture-output.js';
import type { Status } from '../model.js';
import { PACKAGE_ROOT } from '../package-root.js';

// Fixture hosts: data files in fixtures/hosts/, each a snapshot of a real layout (processes,
// files with mode and owner, environments) and the verdicts fleetbench must reach on it.

export const FIXTURES_DIR = join(PACKAGE_ROOT, 'fixtures') + '/';

export interface LoadedFixture extends HostFixture {
  name: string;
  description: string;
  /** Expected status per rule id, checked by the tests. */
  expected: Record<string, Status>;
}

const WELL_KNOWN_IDS: Record<string, number> = { root: 0, etcd: 998, kube: 997, nobody: 65534 };

interface RawFile {
  type?: 'file' | 'directory';
  mode?: string;
  owner?: string;
  group?: string;
  uid?: number;
  gid?: number;
  content?: string;
}

interface RawProcess extends Omit<FixtureProcess, 'uid'> {
  uid?: number;
}

interface RawFixture {
  description?: string;
  sudo?: HostFixture['sudo'];
  memberList?: HostFixture['memberList'];
  sudoPassword?: string;
  processes?: RawProcess[];
  files?: Record<string, RawFile>;
  expected?: Record<string, Status>;
}

export async function loadFixture(name: string): Promise<LoadedFixture> {
  const path = `${FIXTURES_DIR}hosts/${name}.yaml`;
  const raw = parse(await readFile(path, 'utf8')) as RawFixture;
  const id = (who: string | undefined, explicit: number | undefined, what: string) => {
    const value = explicit ?? (who !== undefined ? WELL_KNOWN_IDS[who] : undefined);
    if (value === undefined) throw new Error(`${path}: ${what} ${who ?? '(none)'} needs an explicit uid/gid`);
    return value;
  };
  const files: Record<string, FixtureFile> = {};
  for (const [filePath, file] of Object.entries(raw.files ?? {})) {
    const owner = file.owner ?? 'root';
    const group = file.group ?? 'root';
    const fixtureFile: FixtureFile = {
      type: file.type ?? 'file',
      mode: parseInt(file.mode ?? (file.type === 'directory' ? '0755' : '0644'), 8),
      owner,
      group,
      uid: id(owner, file.uid, `owner of ${filePath}`),
      gid: id(group, file.gid, `group of ${filePath}`),
    };
    if (file.content !== undefined) fixtureFile.content = file.content;
    files[filePath] = fixtureFile;
  }
  const fixture: LoadedFixture = {
    name,
    description: raw.description ?? '',
    sudo: raw.sudo ?? 'nopasswd',
    processes: (raw.processes ?? []).map((p) => ({ ...p, uid: id(p.user, p.uid, `user of pid ${p.pid}`) })),
    files,
    expected: raw.expected ?? {},
  };
  if (raw.memberList) fixture.memberList = raw.memberList;
  if (raw.sudoPassword !== undefined) fixture.sudoPassword = raw.sudoPassword;
  return fixture;
}
