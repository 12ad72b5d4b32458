import type { NamespaceFleet } from '../../test/support/netns/spec.js';

// One tool the benchmark times: how to run it over a list of hosts, and how to tell which hosts it
// really got the data from (a tool that failed hosts is reported as such, not just timed).

export interface BenchContext {
  fleet: NamespaceFleet;
  concurrency: number;
  /** Environment of every run: a HOME of its own (no ~/.ssh or ~/.ansible of the machine's), no agent. */
  env: NodeJS.ProcessEnv;
}

/** One run: the hosts it covers, and a fresh directory for its inventory and outputs. */
export interface RunInput {
  addresses: string[];
  dir: string;
}

export interface Invocation {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Where the tool's stdout goes, when it is where the hosts' data arrives. */
  stdoutFile?: string;
}

export interface Coverage {
  /** Hosts whose data arrived complete. */
  ok: number;
  /** `address: why` for every other host. */
  failures: string[];
}

export interface Contender {
  name: string;
  /** The key exchange it negotiates with OpenSSH 9.x's sshd. */
  kex: string;
  /** Writes its inventory or host list into the run's directory; returns the command line. */
  prepare(context: BenchContext, run: RunInput): Promise<Invocation>;
  check(context: BenchContext, run: RunInput): Promise<Coverage>;
  /** Ends what a run leaves behind once the tool has exited (Ansible's ControlPersist masters). */
  finish?(context: BenchContext, run: RunInput): Promise<void>;
}
