import { describe, expect, it } from 'vitest';
import { fitColumns } from '../../../src/report/tui/text/columns.js';
import { clip, fit } from '../../../src/report/tui/text/fit.js';
import { shortTitle } from '../../../src/report/tui/text/short-title.js';
import { wrapText } from '../../../src/report/tui/text/wrap.js';
import { HOSTILE_RAW, HOSTILE_SHOWN } from './fixture.js';

describe('fit', () => {
  it('pads to the width, cuts with an ellipsis, and aligns numbers right', () => {
    expect(fit('stage-1', 10)).toBe('stage-1   ');
    expect(fit('kubernetes-control-plane', 10)).toBe('kubernete…');
    expect(fit('42', 5, 'right')).toBe('   42');
    expect(clip('a long reason here', 8)).toBe('a long …');
    expect(fit('anything', 0)).toBe('');
  });

  it('shows control characters from hosts as text, counted at their escaped width', () => {
    expect(fit(HOSTILE_RAW, 40)).toBe(HOSTILE_SHOWN.padEnd(40));
    expect(fit(`evil${HOSTILE_RAW}`, 10)).toBe('evil\\e[2J…');
    expect(fit('bidi\u202eevil', 20)).toBe('bidi\\u202eevil      ');
  });
});

describe('wrapText', () => {
  it('breaks at spaces, and inside words that are longer than a line', () => {
    expect(wrapText('Set --client-cert-auth=true in the etcd manifest', 20)).toEqual(['Set', '--client-cert-auth=t', 'rue in the etcd', 'manifest']);
    expect(wrapText('one two three', 7)).toEqual(['one two', 'three']);
    expect(wrapText('', 10)).toEqual(['']);
  });

  it('keeps a value one paragraph: newlines and escapes are shown, not obeyed', () => {
    expect(wrapText(`a\nb${HOSTILE_RAW}`, 80)).toEqual([`a\\nb${HOSTILE_SHOWN}`]);
  });
});

describe('fitColumns', () => {
  const specs = [
    { header: 'STATUS', width: 6 },
    { header: 'HOST', min: 12, max: 20, weight: 2 },
    { header: 'ADDRESS', min: 15, weight: 1, optional: true },
    { header: 'NOTE', min: 30, weight: 3 },
  ];

  it('drops optional columns when the minimums do not fit, and fills the width exactly', () => {
    const narrow = fitColumns(specs, 60);
    expect(narrow.map((c) => c.header)).toEqual(['STATUS', 'HOST', 'NOTE']);
    expect(narrow.reduce((sum, c) => sum + c.width, 0) + narrow.length - 1).toBe(60);
  });

  it('gives a wide terminal to the columns that can use it, never beyond their maximum', () => {
    const wide = fitColumns(specs, 160);
    expect(wide.map((c) => c.header)).toEqual(['STATUS', 'HOST', 'ADDRESS', 'NOTE']);
    expect(wide.find((c) => c.header === 'HOST')!.width).toBe(20);
    expect(wide.reduce((sum, c) => sum + c.width, 0) + wide.length - 1).toBe(160);
  });
});

describe('shortTitle', () => {
  it('drops the CIS "Ensure that the" prefix that would fill a narrow column', () => {
    expect(shortTitle('Ensure that the --auto-tls argument is not set to true')).toBe('--auto-tls argument is not set to true');
    expect(shortTitle('Ensure that a unique Certificate Authority is used for etcd')).toBe('a unique Certificate Authority is used for etcd');
    expect(shortTitle('etcd cluster membership agrees with the inventory')).toBe('etcd cluster membership agrees with the inventory');
  });
});
