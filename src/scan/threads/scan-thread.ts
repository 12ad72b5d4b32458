import { parentPort, workerData } from 'node:worker_threads';
import type { FirstUse, HostKeyDecision } from '../../ssh/first-use.js';
import { stopAllProxyCommands } from '../../ssh/proxy-command.js';
import { prepareSsh } from '../../ssh/ssh-setup.js';
import { packFindings } from '../finding-store.js';
import { scanHosts } from '../scan.js';
import type { FromThread, ThreadTask, ToThread } from './messages.js';

// A scan thread: scans its share of the fleet (whole clusters) and reports each host and each
// judged cluster to the main thread, which assembles the result. It sets up its own SSH (keys,
// known_hosts) from the same settings; trust on first use is decided by the main thread, once
// for the whole scan.

const port = parentPort!;
const task = workerData as ThreadTask;
const post = (message: FromThread, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

const interrupt = new AbortController();
const pending = new Map<number, (decision: HostKeyDecision) => void>();
port.on('message', (message: ToThread) => {
  if (message.type === 'abort') interrupt.abort();
  else if (message.type === 'stop') {
    stopAllProxyCommands();
    post({ type: 'stopped' });
  } else {
    pending.get(message.id)?.(message.decision);
    pending.delete(message.id);
  }
});

let asked = 0;
const firstUse: FirstUse = {
  trust: (recordTo, host, port, key) =>
    new Promise((resolve) => {
      const id = ++asked;
      pending.set(id, resolve);
      post({ type: 'trust', id, recordTo, host, port, key: new Uint8Array(key) });
    }),
};

await scanHosts(
  {
    targets: task.targets,
    clusterPeers: task.clusterPeers,
    rules: task.rules,
    benchmark: task.benchmark,
    concurrency: task.concurrency,
    ssh: await prepareSsh(task.setup, task.targets, firstUse),
    hostTimeoutMs: task.hostTimeoutMs,
    maxOutputBytes: task.maxOutputBytes,
    signal: interrupt.signal,
    ...(task.sudoPassword === undefined ? {} : { sudoPassword: task.sudoPassword }),
  },
  {
    hostStarted: (host, at) => post({ type: 'host-started', host, at }),
    hostFinished: (outcome) => post({ type: 'host-finished', outcome }),
    clusterJudged: ({ summary, findings }) => {
      const packed = packFindings(findings);
      post({ type: 'cluster-judged', summary, packed, ...(task.events ? { findings } : {}) }, [packed.buffer as ArrayBuffer]);
    },
  },
);
post({ type: 'done' });
// Nothing is left to do; the main thread's `stop` may still come, and finds nothing running.
port.unref();
