import { cpus, release, totalmem } from 'node:os';
import { runCommand } from '../test/support/netns/run-command.js';
import { PACKAGE_ROOT } from '../src/package-root.js';
import { VERSION } from '../src/version.js';

// The machine a benchmark ran on and the versions of everything it timed, for the report.

async function firstLine(command: string, args: string[]): Promise<string> {
  const result = await runCommand(command, args).catch(() => undefined);
  if (!result) return 'not installed';
  return `${result.stdout}\n${result.stderr}`.trim().split('\n')[0] ?? '';
}

/** OpenSSH's default key exchange: the first algorithm its client offers. */
export async function opensshDefaultKex(): Promise<string> {
  const config = await runCommand('ssh', ['-G', '-F', '/dev/null', 'localhost']);
  const offered = /^kexalgorithms (\S+)/m.exec(config.stdout)?.[1];
  if (!offered) throw new Error(`ssh -G printed no kexalgorithms: ${config.stderr.trim()}`);
  return offered.split(',')[0]!;
}

export interface MachineDescription {
  cores: number;
  /** Hardware, then the versions of fleetbench and of every tool timed. */
  lines: string[];
}

export async function describeMachine(): Promise<MachineDescription> {
  const cores = cpus();
  const commit = (await runCommand('git', ['-C', PACKAGE_ROOT, 'describe', '--always', '--dirty']).catch(() => undefined))?.stdout.trim();
  return {
    cores: cores.length,
    lines: [
      `machine: ${cores.length} cores (${cores[0]?.model.trim() ?? 'unknown CPU'}), Linux ${release()}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
      `fleetbench ${VERSION}${commit ? ` (git ${commit})` : ''} on Node ${process.version}; ${await firstLine('ssh', ['-V'])}; ` +
        `parallel-ssh ${await firstLine('parallel-ssh', ['--version'])}; ${await firstLine('ansible', ['--version'])}; ${await firstLine('etcd', ['--version'])}`,
    ],
  };
}
