import type { FileRequest } from '../collect/file-follow-up.js';
import { listingKeys } from '../collect/host-paths.js';
import { wasListed } from './file-facts.js';
import type { HostSnapshot } from '../model.js';
import type { ComponentInstance, HostComponents } from './host-components.js';
import { dataDirectory, hostPath, lookup } from './host-components.js';
import { readUnit } from './systemd.js';

/** The files the rules judge or compare, by setting: read (CAs, certificates) or examined (keys; and etcd's data dir, below). */
const READ_SETTINGS = ['trusted-ca-file', 'client-ca-file', 'cert-file', 'etcd-cafile'];
const EXAMINED_SETTINGS = ['key-file'];

/**
 * The files the configuration model needs and the probe has not looked at: the data directory of a
 * k3s or RKE2 server and its config files (k3s.ts), the environment files of a unit whose names
 * only systemd's specifiers give (EnvironmentFile=-/etc/default/%N), the host side of a static
 * pod's certificates and data dir when they are mounted from elsewhere (OpenShift). Asked in the
 * probe's shell (file-follow-up.ts); `asked` are those already asked, never asked twice.
 */
export function filesToAsk(components: HostComponents, snapshot: HostSnapshot, asked: ReadonlySet<string>): FileRequest {
  const request: FileRequest = { read: [], stat: [], pick: [] };
  for (const server of components.rancher) {
    request.read.push(...server.needs.read);
    request.stat.push(...server.needs.stat);
    request.pick.push(...server.needs.pick);
  }
  for (const process of snapshot.processes) {
    if (process.trusted !== true || !process.unit) continue;
    const unit = readUnit(process.unit, snapshot.files, snapshot);
    if (!unit.found) continue;
    request.read.push(...unit.unit.uncollected);
    for (const pick of unit.unit.unlisted) {
      request.stat.push(pick.dir);
      request.pick.push(pick);
    }
  }
  for (const instance of [...components.etcd, ...components.apiserver]) {
    for (const [key, into] of [...READ_SETTINGS.map((k) => [k, request.read] as const), ...EXAMINED_SETTINGS.map((k) => [k, request.stat] as const)]) {
      for (const path of settingPaths(instance, key)) into.push(path);
    }
  }
  // etcd's data dir, wherever it is: one relative to etcd's working directory (a relative
  // --data-dir, or the default NAME.etcd) the probe found only among the first 64 *.etcd names there.
  for (const instance of components.etcd) {
    for (const config of [instance.running, instance.onDisk]) {
      const dir = config && dataDirectory(config, instance);
      if (dir && 'path' in dir) request.stat.push(dir.path);
    }
  }
  const fresh = (path: string) => !asked.has(path) && snapshot.files[path] === undefined;
  return {
    read: [...new Set(request.read.filter(fresh))],
    stat: [...new Set(request.stat.filter(fresh))],
    pick: request.pick.filter(
      (p, i) =>
        !listingKeys(p).some((key) => asked.has(key)) &&
        !wasListed(snapshot, p.dir, p.names) &&
        request.pick.findIndex((q) => q.dir === p.dir && q.names.join() === p.names.join()) === i,
    ),
  };
}

/** Where a file setting of an instance lives on the host, from each of its points of view. */
function settingPaths(instance: ComponentInstance, key: string): string[] {
  return [instance.running, instance.onDisk].flatMap((config) => {
    const found = config && lookup(config, key);
    return found?.state === 'set' && found.setting.value.startsWith('/') ? [hostPath(found.setting.value, instance)] : [];
  });
}
