import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { buildReportData } from '../../../src/report/tui/report/report-data.js';
import { ReportApp } from '../../../src/report/tui/report/report-app.js';
import { PAYLOAD_SHOWN, unvalidatedHostileResult } from '../../support/hostile-result.js';
import { foreignEscapes } from './fixture.js';

// The interactive report of a crafted result file, driven through every screen: no frame may
// carry a control or bidi character but in the colors Ink writes itself (colors are off here, so
// that is the selection's inverse video), and every line must still fit the terminal.

const ENTER = '\r';
const ESC = '\u001b';
const TAB = '\t';

afterEach(() => cleanup());

describe('interactive report of a hostile result file', () => {
  it('draws every screen with the payload spelled out, never written', async () => {
    const width = 250;
    const app = render(<ReportApp data={buildReportData(unvalidatedHostileResult())} color={false} size={{ width, height: 30 }} />);
    const press = async (...keys: string[]) => {
      for (const key of keys) {
        app.stdin.write(key);
        // A lone ESC is known to be Esc only on the next turn of the event loop.
        await new Promise((resolve) => setImmediate(resolve));
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await press(ENTER); // the unreachable host, first as not audited
    await press(ENTER); // its ERROR finding
    await press(ESC, ESC, 'j', ENTER); // the reached host, with its problems and privilege
    await press(ENTER); // its waived FAIL: evidence, waiver, change
    await press(' ');
    await press(ESC, ESC, TAB); // the controls
    await press(ENTER); // the hosts of a control
    await press(ENTER);
    await press(ESC, ESC, TAB, '/', 'e', 'v', 'i', 'l', '\u202e'); // a search typed with an override
    await press(ENTER, 'f');
    await press('?');

    // Every frame Ink drew on the way, not only the last one.
    const shown = app.frames.join('\n');
    expect(shown).toContain(`reached as sudo${PAYLOAD_SHOWN}`);
    expect(shown).toContain(`NOT AUDITED · evil${PAYLOAD_SHOWN} · 1 host · every control ERROR`);
    expect(shown).toContain(` error${PAYLOAD_SHOWN}`);
    expect(shown).toContain(`  reason${PAYLOAD_SHOWN}\n`);
    expect(shown).toContain(`  expires 2026-12-31${PAYLOAD_SHOWN} · waivers.yaml:4${PAYLOAD_SHOWN}\n`);
    expect(shown).toContain('search: evil\\u202e');
    // What the result says it does not cover, on the help screen (Ink's test terminal is 100 columns wide).
    expect(shown).toContain(`  --limit 'evil${PAYLOAD_SHOWN}'`);
    expect(shown).toContain(`  part-1.json${PAYLOAD_SHOWN}: i`);
    for (const frame of app.frames) {
      expect(foreignEscapes(frame)).toEqual([]);
      for (const line of frame.replace(/\u001b\[[0-9;]*m/g, '').split('\n')) expect(Array.from(line).length).toBeLessThanOrEqual(width);
    }
  });
});
