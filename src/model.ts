// The plain data types that flow between pipeline stages. Nothing here does I/O.

export type Status = 'PASS' | 'FAIL' | 'WARN' | 'NOT_APPLICABLE' | 'ERROR';

export type Role = 'etcd' | 'control-plane' | 'worker';
export const ROLES: readonly Role[] = ['etcd', 'control-plane', 'worker'];

/** A host to connect to, fully resolved from the inventory. Holds references to secrets, never secrets. */
export interface Target {
  name: string;
  cluster: string;
  address: string;
  port: number;
  user: string;
  roles: Role[];
  /** Run the probe through `sudo -n`. */
  become: boolean;
  /** Private key files to offer, in order (paths, not contents). */
  identityFiles: string[];
  /** known_hosts files for this host instead of the scan's (ssh_config UserKnownHostsFile). */
  knownHostsFiles?: string[];
  /** Trust this host's key on first use (ssh_config StrictHostKeyChecking accept-new or no). */
  acceptNewHostKey?: boolean;
  /** The name its key is looked up and recorded under in known_hosts, instead of address and port (ssh_config HostKeyAlias). */
  hostKeyAlias?: string;
  /** The ssh-agent socket to use instead of SSH_AUTH_SOCK, or `none` for no agent (ssh_config IdentityAgent). */
  identityAgent?: string;
  /** Offer only the identity files (or the default ones), not every key the agent holds (ssh_config IdentitiesOnly). */
  identitiesOnly?: boolean;
  /** ssh_config's `IdentityFile none`: with no identity files, offer no default ones either. */
  noDefaultIdentityFiles?: boolean;
  /** A local command whose stdin and stdout are the connection (ProxyCommand), instead of TCP to address:port. */
  proxyCommand?: ProxyCommand;
  /**
   * The jump host (bastion) this target is reached through: the hop right before it. A chain
   * `ProxyJump a,b` is target.jump = b, b.jump = a (the outermost hop is the deepest).
   */
  jump?: Target;
}

/** A ProxyCommand as ssh runs it: `exec` and the command (its %-tokens already expanded), through the user's shell. */
export interface ProxyCommand {
  command: string;
  /** $SHELL, else /bin/sh. */
  shell: string;
}

export interface Inventory {
  /** The file the inventory came from, for messages (several, comma-separated, for several -i). */
  source: string;
  targets: Target[];
  /** Things worth telling the user that do not stop the scan (ssh_config directives ignored). */
  warnings?: string[];
  /** Where each target is written, by host name: for messages about a host two inventories both name. */
  writtenAt?: Record<string, Place>;
  /** Ansible inventories: the target hosts of each group (with its children's), by group name, for --limit. */
  groups?: Record<string, string[]>;
}

/** A place in a file the user wrote; lines and columns are 1-based. */
export interface Place {
  file: string;
  line: number;
  column: number;
}

/** One process as seen on the host. `argv` is exact when read from /proc/PID/cmdline, split on spaces when only the list line had it. */
export interface ProcessInfo {
  pid: number;
  ppid: number;
  user: string;
  /** Real uid from /proc/<pid>/status, when the probe read it. */
  uid?: number;
  /**
   * The probe looked into it: its executable is a component's and it runs as root or a trusted
   * system account (etcd, kube). Only such processes are audited: anyone can start a program named etcd.
   */
  trusted?: boolean;
  /** The command line as the process list shows it (the probe's from /proc, or `ps -ef`). */
  command: string;
  argv: string[];
  argvSource: 'proc-cmdline' | 'ps';
  /** Working directory, when readable (etcd's default data dir is relative to it). */
  cwd?: string;
  /** systemd unit from /proc/<pid>/cgroup, e.g. `etcd.service`. */
  unit?: string;
  /** Its cgroup is a pod's or a container runtime's (kubepods, cri-containerd, crio, docker, libpod). */
  container?: boolean;
}

export type FileType = 'file' | 'directory' | 'symlink' | 'other';

export interface FileFact {
  path: string;
  exists: boolean;
  type?: FileType;
  /** Permission bits, e.g. 0o600. */
  mode?: number;
  uid?: number;
  gid?: number;
  owner?: string;
  group?: string;
  size?: number;
  /** Text content, for the files the probe reads (manifests, config and env files, certificates). */
  content?: string;
  /** Why content or metadata is missing although the file exists. */
  unreadable?: string;
  /** Where the path leads once its symlinks are resolved, when that is elsewhere. */
  realPath?: string;
}

export interface Problem {
  /** What could not be collected: a path, `environ of pid 1795`, `sudo`... */
  subject: string;
  reason: string;
}

export const PRIVILEGES = ['root', 'sudo', 'unprivileged'] as const;
export type Privilege = (typeof PRIVILEGES)[number];

export interface HostSnapshot {
  target: string;
  collectedAt: string;
  privilege: Privilege;
  processes: ProcessInfo[];
  files: Record<string, FileFact>;
  /** `ETCD_*` variables of candidate processes, by pid. */
  environ: Record<number, Record<string, string>>;
  /** The listings the probe made, `dir/pattern` each (it read the entries matching them), whether the directory was there or not. */
  listed: string[];
  /** Output of `etcdctl member list` run against the local member, when the probe could run it. */
  memberList?: MemberListResult;
  problems: Problem[];
}

export interface MemberListResult {
  ok: boolean;
  members: { name: string; peerUrls: string[] }[];
  error?: string;
}

/** Where a value came from, precise enough for an auditor to go and look. */
export interface Evidence {
  /** e.g. `process 1795 argv`, `/etc/kubernetes/manifests/etcd.yaml line 14`, `environment of pid 812`. */
  source: string;
  /** The setting as named there: `--client-cert-auth`, `ETCD_CLIENT_CERT_AUTH`, `client-transport-security.client-cert-auth`. */
  key?: string;
  /** The value as found, or null when the setting is absent there. */
  value: string | null;
}

export interface Finding {
  host: string;
  cluster: string;
  ruleId: string;
  /** CIS control number in the selected benchmark, e.g. `2.2`. */
  control: string;
  title: string;
  status: Status;
  reason: string;
  /** What the control requires, e.g. `--client-cert-auth=true`. */
  expected: string;
  /** What was found, e.g. `--client-cert-auth=false`, `not set`, `mode 0644`. */
  actual: string;
  evidence: Evidence[];
  remediation: string;
  /** Set when an accepted-risk waiver covers this finding: a waived FAIL does not fail the run. */
  waiver?: Waiver;
  /** Set when the scan was compared with a baseline (--baseline). */
  change?: Change;
}

export const CHANGES = ['new', 'unchanged', 'changed'] as const;
export type Change = (typeof CHANGES)[number];

export interface Waiver {
  justification: string;
  /** ISO date (YYYY-MM-DD) after which the waiver stops applying. */
  expires: string;
  /** Where the waiver is written: `file:line`. */
  source: string;
}

export interface HostOutcome {
  name: string;
  cluster: string;
  address: string;
  port: number;
  roles: Role[];
  reached: boolean;
  /** Why the host could not be scanned (or scanned only partly). */
  error?: string;
  /** Machine-readable class of `error`. */
  errorKind?: ErrorKind;
  privilege?: Privilege;
  problems: Problem[];
  durationMs: number;
  /** Connections it took to get in: more than one when the host dropped connections before the handshake. */
  attempts?: number;
}

export const ERROR_KINDS = [
  'dns',
  'refused',
  'unreachable',
  'timeout',
  'host-key',
  'auth',
  'sudo',
  'probe',
  'output-too-large',
  'connection',
  'not-scanned',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface ClusterSummary {
  name: string;
  /** etcd members as the inventory lists them. */
  inventoryMembers: string[];
  /** Member count used to decide whether peer controls apply, and why. */
  memberCount: number;
  memberCountBasis: string;
  /**
   * Hosts of the cluster in the inventory that --limit left out: not scanned, but still members
   * as far as the inventory knows, for the cluster's facts (member count, membership).
   */
  notScanned?: string[];
}

/** What a scan limited to part of the inventory or of the rules covers (--limit, --check, --skip). */
export interface Selection {
  /** --limit, as given. */
  limit?: string;
  /** --check entries (rule ids or control numbers), as given. */
  check?: string[];
  /** --skip entries, as given. */
  skip?: string[];
  /** How many hosts of the inventory --limit left out. */
  hostsLeftOut: number;
  /** Ids of the rules --check and --skip left out. */
  rulesLeftOut: string[];
}

/** One of the results a merged report was made of (fleetbench report a.json b.json). */
export interface MergedSource {
  /** The result file, as given. */
  file: string;
  inventory: string;
  startedAt: string;
  finishedAt: string;
  /** How many hosts it holds. */
  hosts: number;
  selection?: Selection;
}

export interface ScanResult {
  schemaVersion: string;
  tool: { name: string; version: string };
  benchmark: string;
  startedAt: string;
  finishedAt: string;
  inventory: string;
  clusters: ClusterSummary[];
  hosts: HostOutcome[];
  findings: Finding[];
  /** Present when compared with a previous result (--baseline). */
  baseline?: BaselineComparison;
  /** Waivers that no longer apply because they expired, so that nobody is surprised. */
  expiredWaivers?: (Waiver & { rule: string; hosts: string })[];
  /** True when the scan was interrupted; hosts not finished carry errorKind `not-scanned`. */
  interrupted?: boolean;
  /** Present when the scan covered part of the inventory or of the rules. */
  selection?: Selection;
  /** Present in a report merged from several results: each of them. */
  mergedFrom?: MergedSource[];
}

export interface BaselineComparison {
  /** The baseline file and when its scan started. */
  file: string;
  startedAt: string;
  counts: { new: number; unchanged: number; changed: number; resolved: number };
  /**
   * What only one of the two scanned, and so was not compared (a --limit, --check or --skip on
   * either side, hosts added to or removed from the inventory): findings of those hosts and rules
   * are neither marked nor resolved.
   */
  notCompared?: { hostsOnlyNow: string[]; hostsOnlyBefore: string[]; rulesOnlyNow: string[]; rulesOnlyBefore: string[] };
  /** Findings that were FAIL/WARN/ERROR in the baseline and are not any more (now passing or gone). */
  resolved: Finding[];
}
