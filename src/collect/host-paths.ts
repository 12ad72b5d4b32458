// Where each layout keeps what fleetbench reads, on the host: the one table of host paths. probe.sh
// receives these lists in its first lines (probe.ts writes them), the in-process fleet answers
// for them, and the configuration model reads the same names back.

/** Static pod manifest directories: the kubelet's (kubeadm, OpenShift) and RKE2's. */
export const MANIFEST_DIRS = ['/etc/kubernetes/manifests', '/var/lib/rancher/rke2/agent/pod-manifests'] as const;

/** Which files of a manifest directory the probe reads: the ones that can define etcd or kube-apiserver. */
const MANIFEST_NAMES = ['*etcd*', '*apiserver*'] as const;

/** etcd's configuration outside a manifest: env files (kubespray, RHEL/Fedora, Debian) and YAML config files. */
const ETCD_CONFIG_FILES = ['/etc/etcd.env', '/etc/etcd/etcd.conf', '/etc/etcd/etcd.conf.yml', '/etc/etcd/etcd.yaml', '/etc/default/etcd'] as const;

/** etcd's usual data directory, examined even when no configuration names it. */
const ETCD_DATA_DIRS = ['/var/lib/etcd'] as const;

/** The k3s and RKE2 default data directories, and what each keeps inside. */
export const K3S_DATA_DIR = '/var/lib/rancher/k3s';
const RKE2_DATA_DIR = '/var/lib/rancher/rke2';
export const DATA_DIR_FILES = {
  /** The config file of the etcd embedded in k3s, or run by RKE2 as a static pod. */
  etcdConfig: 'server/db/etcd/config',
  etcdData: 'server/db/etcd',
  /** kine's SQLite database: k3s without etcd. */
  sqlite: 'server/db/state.db',
  /** The --client-ca-file k3s gives the kube-apiserver it embeds. */
  clientCa: 'server/tls/client-ca.crt',
} as const;

export function inDataDir(dataDir: string, file: keyof typeof DATA_DIR_FILES): string {
  return `${dataDir}/${DATA_DIR_FILES[file]}`;
}

/**
 * systemd's unit directories, most important first (systemd.unit(5), "System Unit Search Path";
 * systemd-stable v256 src/basic/path-lookup.c lookup_paths_init L626-648, v252 L609-629). /lib
 * comes before /usr/lib where systemd was built for a split /usr (its SYSTEM_DATA_UNIT_DIR); on a
 * merged /usr they are the same directory.
 */
export const UNIT_DIRS = [
  '/etc/systemd/system.control',
  '/run/systemd/system.control',
  '/run/systemd/transient',
  '/run/systemd/generator.early',
  '/etc/systemd/system',
  '/etc/systemd/system.attached',
  '/run/systemd/system',
  '/run/systemd/system.attached',
  '/run/systemd/generator',
  '/usr/local/lib/systemd/system',
  '/lib/systemd/system',
  '/usr/lib/systemd/system',
  '/run/systemd/generator.late',
] as const;

/** Files the probe reads wherever it finds them, and directories it examines, on every host. */
export const ALWAYS_READ = [
  inDataDir(RKE2_DATA_DIR, 'etcdConfig'),
  inDataDir(K3S_DATA_DIR, 'etcdConfig'),
  inDataDir(K3S_DATA_DIR, 'clientCa'),
  ...ETCD_CONFIG_FILES,
];
export const ALWAYS_EXAMINED = [
  ...MANIFEST_DIRS,
  ...ETCD_DATA_DIRS,
  inDataDir(K3S_DATA_DIR, 'etcdData'),
  inDataDir(K3S_DATA_DIR, 'sqlite'),
  inDataDir(RKE2_DATA_DIR, 'etcdData'),
];

/** The first lines of probe.sh: the table above as shell variables (plain paths, no spaces or quotes). */
export function probePathVariables(): string {
  const list = (paths: readonly string[]) => {
    for (const path of paths) if (!/^[A-Za-z0-9/._*-]+$/.test(path)) throw new Error(`host path ${path} cannot be written into the probe as is`);
    return paths.join(' ');
  };
  return [
    `MANIFEST_DIRS='${list(MANIFEST_DIRS)}'`,
    `MANIFEST_NAMES='${list(MANIFEST_NAMES)}'`,
    `ALWAYS_READ='${list(ALWAYS_READ)}'`,
    `ALWAYS_EXAMINED='${list(ALWAYS_EXAMINED)}'`,
    `UNIT_DIRS='${list(UNIT_DIRS)}'`,
  ].join('\n');
}
