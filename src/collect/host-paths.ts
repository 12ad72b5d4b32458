// Where each layout keeps what fleetbench reads, on the host: the one table of host paths. probe.sh
// receives these lists in its first lines (probe.ts writes them), the in-process fleet answers
// for them, and the configuration model reads the same names back.

/** Static pod manifest directories: the kubelet's (kubeadm, OpenShift) and RKE2's default one. */
export const MANIFEST_DIRS = ['/etc/kubernetes/manifests', '/var/lib/rancher/rke2/agent/pod-manifests'] as const;

/** Which files of a manifest directory the probe reads: the ones that can define etcd or kube-apiserver. */
export const MANIFEST_NAMES = ['*etcd*', '*apiserver*'] as const;

/** etcd's configuration outside a manifest: env files (kubespray, RHEL/Fedora, Debian) and YAML config files. */
const ETCD_CONFIG_FILES = ['/etc/etcd.env', '/etc/etcd/etcd.conf', '/etc/etcd/etcd.conf.yml', '/etc/etcd/etcd.yaml', '/etc/default/etcd'] as const;

/** etcd's usual data directory, examined even when no configuration names it. */
const ETCD_DATA_DIRS = ['/var/lib/etcd'] as const;

/** k3s and RKE2: each one's default data directory (run as root) and config file. */
export const RANCHER = {
  // k3s pkg/datadir/datadir.go LocalHome; rancher/rke2 pkg/cli/cmds/server.go rke2Path.
  k3s: { dataDir: '/var/lib/rancher/k3s', config: '/etc/rancher/k3s/config.yaml' },
  rke2: { dataDir: '/var/lib/rancher/rke2', config: '/etc/rancher/rke2/config.yaml' },
} as const;
export type RancherProgram = keyof typeof RANCHER;

/** The drop-in directory of a k3s or RKE2 config file (k3s pkg/configfilearg/parser.go dotDFiles). */
export function configDropInDir(config: string): string {
  return `${config}.d`;
}

/** Which files of that directory k3s reads: *.yaml and *.yml, in any case (util.HasSuffixI). */
export const CONFIG_DROP_IN_NAMES = ['*.[yY][aA][mM][lL]', '*.[yY][mM][lL]'] as const;

/** What k3s and RKE2 keep in their data directory (k3s pkg/etcd/etcd.go, pkg/daemons/control/deps). */
export const DATA_DIR_FILES = {
  /** The config file of the etcd embedded in k3s, or run by RKE2 as a static pod. */
  etcdConfig: 'server/db/etcd/config',
  etcdData: 'server/db/etcd',
  /** An initialized etcd member: k3s uses etcd whatever its flags say (ETCD.IsInitialized). */
  etcdWal: 'server/db/etcd/member/wal',
  /** kine's SQLite database: k3s without etcd. */
  sqlite: 'server/db/state.db',
  /** The --client-ca-file k3s gives the kube-apiserver it embeds. */
  clientCa: 'server/tls/client-ca.crt',
  /** RKE2's static pod manifests (the kubelet's --pod-manifest-path). */
  podManifests: 'agent/pod-manifests',
} as const;
export type DataDirFile = keyof typeof DATA_DIR_FILES;

export function inDataDir(dataDir: string, file: DataDirFile): string {
  return `${dataDir.replace(/\/+$/, '')}/${DATA_DIR_FILES[file]}`;
}

/** The files of a data directory the configuration model reads (R) or examines (S). */
export const DATA_DIR_READ: readonly DataDirFile[] = ['etcdConfig', 'clientCa'];
export const DATA_DIR_EXAMINED: readonly DataDirFile[] = ['etcdData', 'etcdWal', 'sqlite'];

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
  ...Object.values(RANCHER).flatMap((program) => [program.config, ...DATA_DIR_READ.map((file) => inDataDir(program.dataDir, file))]),
  ...ETCD_CONFIG_FILES,
];
export const ALWAYS_EXAMINED = [
  ...MANIFEST_DIRS,
  ...ETCD_DATA_DIRS,
  ...Object.values(RANCHER).flatMap((program) => [configDropInDir(program.config), ...DATA_DIR_EXAMINED.map((file) => inDataDir(program.dataDir, file))]),
];
/** Directories whose YAML files the probe reads (k3s and RKE2 config drop-ins). */
export const YAML_DIRS = Object.values(RANCHER).map((program) => configDropInDir(program.config));
/** The directories the probe lists on every host, with the names it picks there (probe.sh pick() in its first pass). */
export const PROBE_PICKS: readonly { dir: string; names: readonly string[] }[] = [
  ...MANIFEST_DIRS.map((dir) => ({ dir, names: MANIFEST_NAMES })),
  ...YAML_DIRS.map((dir) => ({ dir, names: CONFIG_DROP_IN_NAMES })),
];

/** Whether a file name matches a shell glob of one path component (`*`, `?`, `[...]`; `*` never matches a leading dot), as glob(3) does. */
export function nameMatches(pattern: string, name: string): boolean {
  const body = pattern
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replaceAll('*', '[^/]*')
    .replaceAll('?', '[^/]');
  return new RegExp(`^${name.startsWith('.') && !pattern.startsWith('.') ? '(?!)' : ''}${body}$`).test(name);
}

/** A listing as HostSnapshot.listed records it: the directory and one pattern, `dir/pattern`. */
export function listingKeys(pick: { dir: string; names: readonly string[] }): string[] {
  return pick.names.map((name) => `${pick.dir}/${name}`);
}

/** The first lines of probe.sh: the table above as shell variables (plain paths and glob patterns, no spaces or quotes). */
export function probePathVariables(): string {
  const list = (paths: readonly string[]) => {
    for (const path of paths) if (!/^[A-Za-z0-9/._*[\]-]+$/.test(path)) throw new Error(`host path ${path} cannot be written into the probe as is`);
    return paths.join(' ');
  };
  return [
    `MANIFEST_DIRS='${list(MANIFEST_DIRS)}'`,
    `MANIFEST_NAMES='${list(MANIFEST_NAMES)}'`,
    `YAML_DIRS='${list(YAML_DIRS)}'`,
    `YAML_NAMES='${list(CONFIG_DROP_IN_NAMES)}'`,
    `ALWAYS_READ='${list(ALWAYS_READ)}'`,
    `ALWAYS_EXAMINED='${list(ALWAYS_EXAMINED)}'`,
    `UNIT_DIRS='${list(UNIT_DIRS)}'`,
  ].join('\n');
}
