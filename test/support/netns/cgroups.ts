import { mkdir, readdir, rmdir, statfs } from 'node:fs/promises';
import { join } from 'node:path';

// systemd names a service by the cgroup its processes are in, and /proc/<pid>/cgroup shows that
// path: that is how the probe tells which unit runs etcd. Each host gets a cgroup of its own in the
// hierarchy systemd uses, and a cgroup namespace rooted there, so its processes show paths such as
// `/system.slice/etcd.service`, as on a real host.

const CGROUP_V1_MAGIC = 0x27e0eb;
const CGROUP_V2_MAGIC = 0x63677270;

async function fsType(path: string): Promise<number | undefined> {
  try {
    return (await statfs(path)).type;
  } catch {
    return undefined;
  }
}

/** The hierarchy systemd would use: v1's `name=systemd`, else the unified (v2) one; undefined if neither is mounted. */
export async function findSystemdHierarchy(): Promise<string | undefined> {
  if ((await fsType('/sys/fs/cgroup/systemd')) === CGROUP_V1_MAGIC) return '/sys/fs/cgroup/systemd';
  for (const path of ['/sys/fs/cgroup/unified', '/sys/fs/cgroup']) if ((await fsType(path)) === CGROUP_V2_MAGIC) return path;
  return undefined;
}

export async function createCgroup(path: string): Promise<void> {
  await mkdir(path, { recursive: true });
}

/** Removes a cgroup and everything below it, children first. Processes may take a moment to leave. */
export async function removeCgroupTree(path: string): Promise<void> {
  let entries;
  try {
    entries = await readdir(path, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries) if (entry.isDirectory()) await removeCgroupTree(join(path, entry.name));
  for (let attempt = 0; ; attempt++) {
    try {
      await rmdir(path);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return;
      if (code !== 'EBUSY' || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
