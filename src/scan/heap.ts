import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// V8 lets garbage pile up in proportion to the live heap before it collects, and a fleet scan
// allocates fast (one SSH session, probe output and YAML parse per host), so peak memory grew with
// the fleet several times faster than what the scan keeps. A full collection now and then, when the
// heap is large, keeps a 10,000-host scan's peak near what it really holds. V8 exposes gc() only
// behind a flag; this turns it on for this process and fetches the function.

let collect: (() => void) | undefined;

function gcFunction(): () => void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  return collect;
}

const THRESHOLD_BYTES = 64 * 1_048_576;

/** How much V8 lets the old generation grow past what survived its last full collection. */
const HEAP_GROWING_PERCENT = 35;

/**
 * A program that allocates fast gets an old generation up to four times what survived the last
 * full collection: the main thread kept 100-120 MB of heap for 30 MB of live objects from loading
 * a 10,000-host inventory on, and two threads scanning those hosts peaked at 340-390 MB. Growing
 * it by 35% instead costs more frequent, smaller collections; npm run bench:scale at 10,000 hosts:
 * 280 MB with two threads, 221 with one, CPU per host unchanged within the noise (50%: 297 MB;
 * 25%: 273 MB, and 15% more CPU with one thread). The flag is V8's, process-wide (scan threads
 * too), and read at every collection.
 */
export function limitHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}

/** Collects garbage when the heap holds more than the threshold; cheap to call often. */
export function collectIfLarge(): void {
  if (process.memoryUsage().heapUsed > THRESHOLD_BYTES) gcFunction()();
}
