// Scale benchmark: fleetbench against 1,000 and 10,000 hosts served by a separate process
// (bench/scale-server.ts) that answers each probe after 50 ms. Prints wall time, CPU, peak memory,
// hosts per second and client CPU per host, and whether time grows linearly with
// hosts / concurrency, at 1 thread and at one per core (or the --threads given), and the speed-up
// between them. Usage: npm run bench:scale [-- HOSTS... [--concurrency N] [--threads N,M...]]
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { ScanResult } from '../src/model.js';
import { PACKAGE_ROOT } from '../src/package-root.js';
import { measure } from './measure.js';

const DELAY_MS = 50;
const args = process.argv.slice(2);
const valueOf = (option: string) => (args.includes(option) ? args[args.indexOf(option) + 1] : undefined);
const concurrency = Number(valueOf('--concurrency') ?? 64);
const threadCounts = (valueOf('--threads') ?? `1,${availableParallelism()}`).split(',').map(Number);
const sizes = args.filter((a, i) => /^\d+$/.test(a) && !args[i - 1]?.startsWith('--')).map(Number);
const counts = sizes.length > 0 ? sizes : [1000, 10000];
const server = fileURLToPath(new URL('./scale-server.js', import.meta.url));
const cli = join(PACKAGE_ROOT, 'dist', 'cli', 'main.js');

interface Row {
  hosts: number;
  threads: number;
  wall: number;
  cpu: number;
  rss: number;
  reached: number;
}

const rows: Row[] = [];
for (const count of counts) {
  for (const threads of [...new Set(threadCounts)]) rows.push(await scanAtScale(count, threads));
}

/** Serves `count` hosts from a process of their own and scans them with `threads` threads. */
async function scanAtScale(count: number, threads: number): Promise<Row> {
  const dir = await mkdtemp(join(tmpdir(), 'fleetbench-scale-'));
  const child = spawn(process.execPath, [server, String(count), String(DELAY_MS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const first = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`scale server exited with ${code}`)));
    });
    const fleet = JSON.parse(first) as { hosts: { name: string; address: string; port: number }[]; knownHosts: string; clientPrivateKey: string; user: string };
    const key = join(dir, 'id_ed25519');
    const knownHosts = join(dir, 'known_hosts');
    const inventory = join(dir, 'fleet.yaml');
    const output = join(dir, 'results.json');
    await writeFile(key, fleet.clientPrivateKey, { mode: 0o600 });
    await writeFile(knownHosts, fleet.knownHosts);
    // Clusters of three control-plane nodes, as stacked kubeadm clusters are.
    const clusters: Record<string, { hosts: object[] }> = {};
    fleet.hosts.forEach((host, i) => {
      (clusters[`c${String(Math.floor(i / 3) + 1).padStart(4, '0')}`] ??= { hosts: [] }).hosts.push({
        name: host.name,
        address: host.address,
        port: host.port,
      });
    });
    await writeFile(inventory, stringify({ defaults: { user: fleet.user, become: true, identityFile: key }, clusters }));
    const run = await measure(
      process.execPath,
      [
        cli,
        'scan',
        '-i',
        inventory,
        '--known-hosts',
        knownHosts,
        '-c',
        String(concurrency),
        '--threads',
        String(threads),
        '-o',
        output,
        '-q',
        '--timeout',
        '120',
      ],
      {
        env: { ...process.env, SSH_AUTH_SOCK: '' },
      },
    );
    const result = JSON.parse(await readFile(output, 'utf8')) as ScanResult;
    return { hosts: count, threads, wall: run.wallSeconds, cpu: run.cpuSeconds, rss: run.peakRssMb, reached: result.hosts.filter((h) => h.reached).length };
  } finally {
    child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

const ideal = (hosts: number) => (Math.ceil(hosts / concurrency) * DELAY_MS) / 1000;
console.log(
  `fleetbench scale benchmark · concurrency ${concurrency} · ${DELAY_MS} ms per host on the server side · ${availableParallelism()} cores · ${new Date().toISOString()}`,
);
console.log('hosts  threads  reached  wall s  hosts/s  CPU s  CPU ms/host  peak RSS MB  floor s (hosts/concurrency x delay)  wall/floor');
for (const row of rows) {
  console.log(
    [
      String(row.hosts).padStart(6),
      String(row.threads).padStart(7),
      String(row.reached).padStart(8),
      row.wall.toFixed(2).padStart(7),
      (row.hosts / row.wall).toFixed(0).padStart(8),
      row.cpu.toFixed(2).padStart(6),
      ((row.cpu * 1000) / row.hosts).toFixed(2).padStart(12),
      row.rss.toFixed(0).padStart(12),
      ideal(row.hosts).toFixed(2).padStart(37),
      (row.wall / ideal(row.hosts)).toFixed(2).padStart(11),
    ].join(' '),
  );
}
for (const threads of new Set(rows.map((row) => row.threads))) {
  const same = rows.filter((row) => row.threads === threads);
  if (same.length < 2) continue;
  const [a, b] = [same[0]!, same.at(-1)!];
  console.log(
    `${threads} thread(s): time per host ${((a.wall / a.hosts) * 1000).toFixed(2)} ms at ${a.hosts} hosts, ${((b.wall / b.hosts) * 1000).toFixed(2)} ms at ${b.hosts} (linear growth keeps these equal)`,
  );
}
for (const count of counts) {
  const [one, ...more] = rows.filter((row) => row.hosts === count);
  for (const row of more) console.log(`${count} hosts: ${row.threads} threads take ${(one!.wall / row.wall).toFixed(2)}× less time than ${one!.threads}`);
}
