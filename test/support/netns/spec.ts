// What a namespace fleet is made of. Plain data: fleet.ts turns it into running hosts.

/** A network segment: one bridge in the fabric namespace, one /16 of addresses. */
export interface SegmentPlan {
  name: string;
  /** e.g. `10.77.0.0/16`. */
  subnet: string;
  prefixLength: number;
  /** The fabric's own address on this segment, or undefined when the scanner must not reach it. */
  scannerAddress?: string;
}

export interface HostPlan {
  name: string;
  /** Address on each segment the host is attached to, by segment name, in attachment order. */
  addresses: Record<string, string>;
  /** The address on the host's first segment: what an inventory names. */
  address: string;
  /** Further addresses on the first segment (HostRequest.extraAddresses); sshd answers on these too. */
  extraAddresses: string[];
}

/** Every address of a fleet, decided before anything starts, so that host files can name other hosts. */
export interface FleetPlan {
  segments: SegmentPlan[];
  hosts: HostPlan[];
}

export type FileSpec =
  | { path: string; content: string | Buffer; mode?: number; owner?: string }
  | { path: string; directory: true; mode?: number; owner?: string }
  | { path: string; symlink: string };

/** An account added to the host's /etc/passwd, /etc/group (and /etc/shadow), unless the machine already has it. */
export interface AccountSpec {
  name: string;
  /** System accounts get a uid below 1000, no home and no login shell. */
  system: boolean;
}

/** How sudo treats the login user: NOPASSWD, a password it must type, or no sudo rights at all. */
export type SudoPolicy = 'nopasswd' | 'none' | { password: string };

/** A process the host's init can start by name, the way an init system or kubelet would. */
export interface ServiceSpec {
  name: string;
  /** Exact argv; argv[0] is looked up in `env.PATH` when it has no slash, as execvp does. */
  argv: string[];
  /** The whole environment of the process: nothing else is inherited. */
  env: Record<string, string>;
  /** Run as this account (name), after setting up its groups, as systemd's User= does. Default root. */
  user?: string;
  cwd?: string;
  /** cgroup path relative to the host's cgroup root, e.g. `system.slice/etcd.service`. */
  cgroup?: string;
  /** Start it as soon as the host is up, rather than when the caller asks. */
  autostart?: boolean;
}

export interface HostSpec {
  /** Must match a host of the plan. Also the host's hostname. */
  name: string;
  /**
   * Paths of the real machine hidden from this host (deleted in its overlays) before `files` are
   * installed, besides those every host hides (machine-paths.ts: everything at the probe's paths).
   */
  hide?: string[];
  /** Installed before anything starts, with their mode and owner. Only under the overlaid directories. */
  files?: FileSpec[];
  accounts?: AccountSpec[];
  /** Default `nopasswd`. */
  sudo?: SudoPolicy;
  /** Extra sshd_config lines; they come first, so they win over the defaults (sshd keeps the first value). */
  sshdConfig?: string[];
  /** Run no sshd at all (a host that is down, or that runs a misbehaving listener as a service). */
  noSshd?: boolean;
  services?: ServiceSpec[];
}

export interface FleetOptions {
  /** The login user created on every host and authorized with the fleet's client key. Default `audit`. */
  user?: string;
  /** SSH port of every host. Default 22. */
  port?: number;
  /** Hosts set up at once. Default 16. */
  concurrency?: number;
  /** Called with progress lines (host up, service started...), for benchmarks and debugging. */
  log?: (line: string) => void;
  /**
   * cgroup directories (any hierarchy, e.g. cgroup v1's cpuacct) that every host's init joins as
   * it starts, before anything else runs there: a benchmark reads what the hosts spent from them.
   */
  joinCgroups?: string[];
}

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  input?: string;
  /** Killed (SIGKILL) after this long. Default 60 s. */
  timeoutMs?: number;
}

export interface RunningHost extends HostPlan {
  port: number;
  /** Starts one of the host's services; resolves with its pid as the host itself sees it. */
  startService(name: string): Promise<number>;
  /** Installs more files while the host runs (e.g. an edit nobody restarted etcd after). */
  install(files: FileSpec[]): Promise<void>;
  /** Where this host's logs (sshd, each service) are, seen from the machine. */
  logDir: string;
  /**
   * Runs a command on the host itself (its mount, UTS, network and PID namespaces), as root or as
   * one of its accounts: what an administrator or an ordinary user of the host would run there.
   */
  run(command: string, args: string[], options?: RunOptions & { user?: string }): Promise<CommandResult>;
}

export interface NamespaceFleet {
  plan: FleetPlan;
  hosts: RunningHost[];
  host(name: string): RunningHost;
  /** known_hosts with every host's ed25519 key at each of its addresses. */
  knownHostsFile: string;
  /** The client's private key, authorized for `user` on every host. */
  keyFile: string;
  user: string;
  /** The fleet's temporary directory (removed by stop()), for callers' own files such as an inventory. */
  dir: string;
  /** Runs a command in the fabric namespace: the only place from which the hosts can be reached. */
  runInFabric(command: string, args: string[], options?: RunOptions): Promise<CommandResult>;
  /** Stops every process, removes every namespace, cgroup and temporary file. Safe to call twice. */
  stop(): Promise<void>;
}
