import { Worker } from 'node:worker_threads';
import type { ScanResult, Target } from '../../model.js';
import type { FirstUse } from '../../ssh/first-use.js';
import type { SshSetup } from '../../ssh/ssh-setup.js';
import { collectIfLarge } from '../heap.js';
import { ResultCollector } from '../result-collector.js';
import { collectingSink, scanHosts } from '../scan.js';
import type { ScanEvent, ScanOptions } from '../scan.js';
import type { FromThread, ThreadTask, ToThread } from './messages.js';
import { partition, shareConcurrency } from './partition.js';

// A large fleet scanned by several threads, so that the SSH handshakes, the parsing and the judging
// use every core of the auditor's machine: Node does all of that on one core otherwise. The main
// thread scans one share itself and assembles the result; each other thread (scan-thread.ts) scans
// its share of whole clusters and reports hosts and judged clusters as they finish.

export interface ThreadedScanOptions extends ScanOptions {
  /** Threads in all, this one included. */
  threads: number;
  /** What the other threads set their SSH up from (`ssh` is this thread's, set up from the same). */
  setup: SshSetup;
  /** This thread's trust on first use, which decides for the others too. */
  firstUse: FirstUse;
}

const live = new Set<Worker>();

export async function scanInThreads(options: ThreadedScanOptions): Promise<ScanResult> {
  const { inventory } = options;
  const collector = new ResultCollector(inventory.targets);
  const emit = options.onEvent;
  const parts = partition(inventory.targets, options.threads);
  const shares = shareConcurrency(
    options.concurrency,
    parts.map((part) => part.length),
  );
  const peersOf = (part: readonly Target[]) => {
    const clusters = new Set(part.map((target) => target.cluster));
    return (options.clusterPeers ?? []).filter((peer) => clusters.has(peer.cluster));
  };
  const task = (targets: Target[], concurrency: number): ThreadTask => ({
    targets,
    clusterPeers: peersOf(targets),
    rules: options.rules,
    benchmark: options.benchmark,
    concurrency,
    setup: options.setup,
    hostTimeoutMs: options.hostTimeoutMs,
    maxOutputBytes: options.maxOutputBytes,
    ...(options.sudoPassword === undefined ? {} : { sudoPassword: options.sudoPassword }),
    events: emit !== undefined,
  });

  const [mine, ...theirs] = parts;
  const workers = theirs.map((targets, i) => startThread(task(targets, shares[i + 1]!), collector, options.firstUse, emit));
  const abort = () => {
    for (const { worker } of workers) worker.postMessage({ type: 'abort' } satisfies ToThread);
  };
  options.signal?.addEventListener('abort', abort);
  try {
    await Promise.all([
      scanHosts({ ...options, targets: mine!, concurrency: shares[0]!, clusterPeers: peersOf(mine!) }, collectingSink(collector, emit)),
      ...workers.map(({ finished }) => finished),
    ]);
  } catch (error) {
    await stopAllThreads();
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
  collectIfLarge();
  return collector.result(inventory.source, options.benchmark, options.signal?.aborted ?? false);
}

/** Starts a scan thread on `task`; `finished` settles when it has reported everything, or failed. */
function startThread(task: ThreadTask, collector: ResultCollector, firstUse: FirstUse, emit?: (event: ScanEvent) => void) {
  const worker = new Worker(new URL('./scan-thread.js', import.meta.url), { workerData: task });
  live.add(worker);
  const finished = new Promise<void>((resolve, reject) => {
    let done = false;
    worker.on('message', (message: FromThread) => {
      switch (message.type) {
        case 'host-started':
          emit?.({ type: 'host-started', host: message.host, at: message.at });
          break;
        case 'host-finished':
          collector.hostFinished(message.outcome);
          emit?.({ type: 'host-finished', outcome: message.outcome });
          break;
        case 'cluster-judged':
          collector.clusterJudgedPacked(message.summary, message.packed);
          emit?.({ type: 'cluster-evaluated', cluster: message.summary.name, findings: message.findings ?? [] });
          break;
        case 'trust':
          void firstUse.trust(message.recordTo, message.host, message.port, Buffer.from(message.key)).then((decision) => {
            worker.postMessage({ type: 'trusted', id: message.id, decision } satisfies ToThread);
          });
          break;
        case 'done':
          done = true;
          resolve();
          break;
        case 'stopped':
          break;
      }
    });
    worker.on('error', (error) => reject(new Error(`a scan thread failed: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => {
      live.delete(worker);
      if (!done) reject(new Error(`a scan thread exited (code ${code}) before it finished its hosts`));
    });
  });
  return { worker, finished };
}

/** How long a thread gets to end its ProxyCommands before the process exits anyway. */
const STOP_WAIT_MS = 1000;

/**
 * Makes every scan thread end its ProxyCommands (each in a process group of its own, which nothing
 * else would end) and stops the threads: for a process about to exit in the middle of a scan.
 */
export async function stopAllThreads(): Promise<void> {
  await Promise.all([...live].map(stopThread));
}

async function stopThread(worker: Worker): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, STOP_WAIT_MS);
    const stopped = () => {
      clearTimeout(timer);
      resolve();
    };
    worker.on('message', (message: FromThread) => message.type === 'stopped' && stopped());
    worker.once('exit', stopped);
    worker.postMessage({ type: 'stop' } satisfies ToThread);
  });
  await worker.terminate();
}
