import { randomBytes } from 'node:crypto';
import { parse } from 'yaml';
import type { ServiceSpec } from '../spec.js';

// What the kubelet does with a static pod manifest, as far as the probe can tell: the container's
// process runs `command` + `args` exactly, as root, with the image's PATH, in a cgroup under
// kubepods (here as with the systemd cgroup driver), from the container's root directory.

const IMAGE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

interface Container {
  command?: unknown;
  args?: unknown;
}

function strings(value: unknown, what: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new Error(`${what} must be a list of strings`);
  return value;
}

export function staticPodService(name: string, manifestPath: string, manifest: string, hostName: string): ServiceSpec {
  const pod = parse(manifest) as { spec?: { containers?: Container[] } } | null;
  const container = pod?.spec?.containers?.[0];
  if (!container) throw new Error(`${manifestPath}: no spec.containers[0]`);
  const argv = [...strings(container.command, `${manifestPath} command`), ...strings(container.args, `${manifestPath} args`)];
  if (argv.length === 0) throw new Error(`${manifestPath}: the container has no command`);
  const podId = randomBytes(16).toString('hex');
  const containerId = randomBytes(32).toString('hex');
  return {
    name,
    argv,
    env: { PATH: IMAGE_PATH, HOSTNAME: hostName },
    cgroup: `kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${podId}.slice/cri-containerd-${containerId}.scope`,
  };
}
