import { describe, expect, it } from 'vitest';
import { scanFleetFile } from '../support/fleet.js';

// Every fixture host carries the verdicts fleetbench must reach on it. Scanned over real SSH
// (in-process servers on loopback), through the inventory, probe parser, rules and cluster facts.
describe.each(['demo', 'corpus'])('fleet %s', (fleetName) => {
  it('reaches the verdict each fixture expects, for every rule it names', async () => {
    const { result, members } = await scanFleetFile(fleetName);
    const mismatches: string[] = [];
    let checked = 0;
    for (const member of members) {
      for (const [ruleId, expected] of Object.entries(member.fixture?.expected ?? {})) {
        const finding = result.findings.find((f) => f.host === member.name && f.ruleId === ruleId);
        checked += 1;
        if (finding?.status !== expected) mismatches.push(`${member.name} ${ruleId}: expected ${expected}, got ${finding?.status} (${finding?.reason})`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(20);
  });
});
