import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { ReportApp } from '../../../src/report/tui/report/report-app.js';
import { foreignEscapes, tuiFleetData } from './fixture.js';

// Ink's colors follow the terminal's ability; force it so that leaving colors out is our doing.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

afterEach(() => cleanup());

const FOREGROUND = /\u001b\[(3[0-7]|9[0-7])m/;
const INVERSE = '\u001b[7m';

describe('colors', () => {
  it('colors statuses when colors are on, and writes no other escape sequences', () => {
    const frame = render(<ReportApp data={tuiFleetData()} color={true} size={{ width: 80, height: 24 }} />).lastFrame()!;
    expect(frame).toMatch(/\u001b\[31mFAIL/);
    expect(foreignEscapes(frame)).toEqual([]);
  });

  it('uses no color with NO_COLOR or --no-color, and still shows the selection', () => {
    const frame = render(<ReportApp data={tuiFleetData()} color={false} size={{ width: 80, height: 24 }} />).lastFrame()!;
    expect(frame).not.toMatch(FOREGROUND);
    expect(frame).toContain(INVERSE);
    expect(frame.replace(/\u001b\[[0-9;]*m/g, '')).toMatch(/^› ERROR {2}legacy-1/m);
  });
});
