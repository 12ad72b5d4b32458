import type { ScanProgress } from '../scan/scan.js';

/** One line on stderr that follows the scan, when stdout is not for a person but stderr is. */
export function progressLine(total: number, stderr: NodeJS.WritableStream): ScanProgress {
  let finished = 0;
  let failed = 0;
  let started = 0;
  const begin = Date.now();
  const draw = () => {
    const seconds = ((Date.now() - begin) / 1000).toFixed(1);
    stderr.write(`\r\u001b[2Kscanning: ${finished}/${total} hosts done, ${started - finished} in flight, ${failed} unreachable or failed · ${seconds} s`);
  };
  return {
    update(event) {
      if (event.type === 'host-started') started += 1;
      if (event.type === 'host-finished') {
        finished += 1;
        if (!event.outcome.reached) failed += 1;
      }
      draw();
    },
    note(message) {
      stderr.write(`\r\u001b[2K${message}\n`);
      draw();
    },
    finish() {
      stderr.write('\r\u001b[2K');
      return Promise.resolve();
    },
  };
}
