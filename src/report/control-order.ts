const CONTROL_NUMBER = /^\d+(\.\d+)*$/;

/**
 * Orders CIS control numbers numerically, part by part: 1.2.9 before 1.2.10, 2.2 before 2.10.
 * What is not a control number (fleetbench's own checks, control "-") comes after all of them.
 */
export function compareControls(a: string, b: string): number {
  const aNumbered = CONTROL_NUMBER.test(a);
  const bNumbered = CONTROL_NUMBER.test(b);
  if (aNumbered !== bNumbered) return aNumbered ? -1 : 1;
  if (!aNumbered) return a.localeCompare(b, 'en', { numeric: true });
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}
