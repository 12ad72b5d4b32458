import { LineProcess } from './line-process.js';
import { runChecked, runCommand } from './run-command.js';
import type { CommandResult, RunOptions, SegmentPlan } from './spec.js';

// The fabric: a network namespace of its own with one bridge per segment. Every host plugs a veth
// into the bridges of its segments; the fabric itself has an address only on the segments the
// scanner may reach. It is held by a shell that lives until its stdin closes, so the namespace
// has no name and nothing to clean up on the machine once that shell is gone.

const START_TIMEOUT_MS = 10_000;

function holderScript(segments: SegmentPlan[]): string {
  const lines = ['set -e', 'ip link set lo up'];
  segments.forEach((segment, index) => {
    lines.push(`ip link add br${index} type bridge`, `ip link set br${index} up`);
    if (segment.scannerAddress) lines.push(`ip addr add ${segment.scannerAddress}/${segment.prefixLength} dev br${index}`);
  });
  lines.push('echo ready', 'read -r _ || true');
  return lines.join('\n');
}

export class Fabric {
  private constructor(private readonly holder: LineProcess) {}

  static async start(segments: SegmentPlan[]): Promise<Fabric> {
    const holder = new LineProcess('fabric namespace', 'unshare', ['--net', '--', 'sh', '-c', holderScript(segments)]);
    try {
      await holder.exchange(undefined, START_TIMEOUT_MS);
    } catch (error) {
      await holder.stop(1_000);
      throw error;
    }
    return new Fabric(holder);
  }

  private get netns(): string {
    return `/proc/${this.holder.pid}/ns/net`;
  }

  run(command: string, args: string[], options: RunOptions = {}): Promise<CommandResult> {
    return runCommand('nsenter', [`--net=${this.netns}`, '--', command, ...args], options);
  }

  /**
   * Plugs a host into its segments: one veth pair per segment, the fabric's end on the segment's
   * bridge, the other end moved into the network namespace of `hostPid` as eth0, eth1...
   */
  async attach(hostIndex: number, hostPid: number, segmentIndexes: number[]): Promise<void> {
    const batch = segmentIndexes.flatMap((segment, n) => {
      const outer = `v${hostIndex}s${segment}`;
      return [`link add ${outer} type veth peer name eth${n} netns ${hostPid}`, `link set ${outer} master br${segment}`, `link set ${outer} up`];
    });
    await runChecked('nsenter', [`--net=${this.netns}`, '--', 'ip', '-batch', '-'], { input: `${batch.join('\n')}\n`, timeoutMs: START_TIMEOUT_MS });
  }

  stop(): Promise<void> {
    return this.holder.stop(5_000);
  }
}
