import { STATUS_LABEL } from '../../../status.js';
import type { Finding } from '../../../model.js';
import type { Segment } from '../line.js';
import { wrapText } from '../text/wrap.js';

// The finding screen as lines of text for a given width: the verdict, what the control expects
// and what was found, every piece of evidence with where it came from, and the remediation.

export type DocumentLine = Segment[];

const INDENT = '  ';
const LABEL_WIDTH = 10;

export function findingDocument(finding: Finding, width: number): DocumentLine[] {
  const lines: DocumentLine[] = [];
  const [firstTitle = '', ...restTitle] = wrapText(`${finding.control}  ${finding.title}`, width - STATUS_LABEL[finding.status].length - 2);
  lines.push([
    { text: STATUS_LABEL[finding.status], tone: finding.status },
    { text: `  ${firstTitle}`, tone: 'heading' },
  ]);
  for (const line of restTitle) lines.push([{ text: `${' '.repeat(STATUS_LABEL[finding.status].length + 2)}${line}`, tone: 'heading' }]);
  lines.push(...paragraph(`host ${finding.host} · cluster ${finding.cluster} · rule ${finding.ruleId}`, width, '', 'dim'));

  section(lines, 'Reason', width, [finding.reason]);
  lines.push([]);
  lines.push(...labelled('Expected', finding.expected, width));
  lines.push(...labelled('Actual', finding.actual, width));

  lines.push([], [{ text: 'Evidence (where each value came from)', tone: 'heading' }]);
  if (finding.evidence.length === 0) lines.push(...paragraph('none recorded', width, INDENT, 'dim'));
  for (const evidence of finding.evidence) {
    lines.push(...paragraph(evidence.source, width, INDENT, 'accent'));
    const value = evidence.value === null ? '(not set)' : evidence.value;
    lines.push(...paragraph(evidence.key === undefined ? value : `${evidence.key} = ${value}`, width, INDENT + INDENT));
  }

  section(lines, 'Remediation', width, finding.remediation.split('\n'));
  if (finding.waiver) {
    const { justification, expires, source } = finding.waiver;
    section(lines, 'Waiver (accepted risk)', width, [justification, `expires ${expires} · ${source}`]);
  }
  if (finding.change) section(lines, 'Compared with the baseline', width, [finding.change]);
  return lines;
}

function section(lines: DocumentLine[], title: string, width: number, paragraphs: string[]): void {
  lines.push([], [{ text: title, tone: 'heading' }]);
  for (const text of paragraphs) lines.push(...paragraph(text, width, INDENT));
}

/** `Expected  value`, wrapped lines aligned under the value. */
function labelled(label: string, text: string, width: number): DocumentLine[] {
  const indent = ' '.repeat(LABEL_WIDTH);
  return wrapText(text, width - LABEL_WIDTH).map((line, i) =>
    i === 0 ? [{ text: label.padEnd(LABEL_WIDTH), tone: 'heading' }, { text: line }] : [{ text: indent + line }],
  );
}

function paragraph(text: string, width: number, indent: string, tone?: Segment['tone']): DocumentLine[] {
  return wrapText(text, width - indent.length).map((line) => [tone === undefined ? { text: indent + line } : { text: indent + line, tone }]);
}
