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

/** Collects garbage when the heap holds more than the threshold; cheap to call often. */
export function collectIfLarge(): void {
  if (process.memoryUsage().heapUsed > THRESHOLD_BYTES) gcFunction()();
}
