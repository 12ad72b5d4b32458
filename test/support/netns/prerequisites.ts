import { readFile } from 'node:fs/promises';
import { runCommand } from './run-command.js';

// What a namespace fleet needs from the machine. Tests skip with these reasons, or fail in CI.

const FLEET_COMMANDS = ['/bin/bash', '/usr/sbin/sshd', 'ssh-keygen', 'ssh', 'unshare', 'nsenter', 'ip', 'setpriv', 'install', 'sudo', 'openssl'];

async function hasCommand(command: string): Promise<boolean> {
  const result = await runCommand('sh', ['-c', 'command -v "$1"', 'sh', command]).catch(() => undefined);
  return result?.code === 0;
}

async function succeeds(command: string, args: string[]): Promise<string | undefined> {
  const result = await runCommand(command, args, { timeoutMs: 10_000 }).catch((error: unknown) => ({
    code: -1,
    stderr: error instanceof Error ? error.message : String(error),
  }));
  return result.code === 0 ? undefined : result.stderr.trim() || `exit ${result.code}`;
}

/** Why a namespace fleet cannot run here (empty when it can); `commands` adds what the caller's hosts run. */
export async function missingPrerequisites(commands: string[] = []): Promise<string[]> {
  if (process.platform !== 'linux') return ['needs Linux namespaces'];
  if (process.getuid?.() !== 0) return ['needs root (namespaces, overlays, sshd)'];
  const missing: string[] = [];
  for (const command of [...FLEET_COMMANDS, ...commands]) if (!(await hasCommand(command))) missing.push(`no ${command} on PATH`);
  if (!(await readFile('/proc/filesystems', 'utf8')).includes('overlay')) missing.push('the kernel has no overlayfs');
  if (missing.length > 0) return missing;
  const namespaces = await succeeds('unshare', ['--net', '--mount', '--uts', '--pid', '--cgroup', '--fork', '--mount-proc', 'true']);
  if (namespaces) missing.push(`cannot create namespaces: ${namespaces}`);
  const links = await succeeds('unshare', [
    '--net',
    'sh',
    '-c',
    'ip link add b0 type bridge && ip link add v0 type veth peer name v1 && ip link set v0 master b0',
  ]);
  if (links) missing.push(`cannot create bridges and veth pairs: ${links}`);
  return missing;
}
