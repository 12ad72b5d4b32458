import { spawn } from 'node:child_process';

/** What GNU time reports for one command: the figures the benchmark compares. */
export interface Measurement {
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  exitCode: number;
  stderr: string;
}

/** Runs a command under /usr/bin/time and returns its wall time, CPU time (user + system) and peak memory. */
export function measure(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; stdin?: string; netns?: string } = {}): Promise<Measurement> {
  const marker = '@@fleetbench-time';
  const timed = ['-f', `${marker} %e %U %S %M`, command, ...args];
  const [program, programArgs] = options.netns ? ['ip', ['netns', 'exec', options.netns, '/usr/bin/time', ...timed]] : ['/usr/bin/time', timed];
  return new Promise((resolve, reject) => {
    const child = spawn(program, programArgs as string[], { env: options.env ?? process.env, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.stdin.end(options.stdin ?? '');
    child.on('close', (code) => {
      const line = stderr.split('\n').find((l) => l.startsWith(marker));
      if (!line) return reject(new Error(`no timing from ${command}: ${stderr.slice(-500)}`));
      const [, wall, user, system, rssKb] = line.split(' ').map(Number);
      resolve({
        wallSeconds: wall!,
        cpuSeconds: user! + system!,
        peakRssMb: rssKb! / 1024,
        exitCode: code ?? -1,
        stderr: stderr.replace(line, '').trim(),
      });
    });
  });
}
