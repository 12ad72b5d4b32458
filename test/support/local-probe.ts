import { probePathVariables } from '../../src/collect/host-paths.js';

/**
 * The probe script with every host path of host-paths.ts moved under `root`: a probe run on this
 * machine by a test reads nothing of the machine's /etc, /var or /usr at the probe's paths.
 */
export function probeInside(script: string, root: string): string {
  const inside = probePathVariables()
    .split('\n')
    .map((line) => {
      const match = /^([A-Z_]+)='(.*)'$/.exec(line);
      if (!match || match[1]!.endsWith('_NAMES')) return line;
      return `${match[1]}='${match[2]!
        .split(' ')
        .map((path) => `${root}${path}`)
        .join(' ')}'`;
    })
    .join('\n');
  if (!script.includes(probePathVariables())) throw new Error('the probe script no longer starts with the host path variables');
  return script.replace(probePathVariables(), inside);
}
