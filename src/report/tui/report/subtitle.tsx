import { notAuditedNote, unreadNote } from '../../summary.js';
import type { Segment } from '../line.js';
import { Line } from '../line.js';
import { fit } from '../text/fit.js';
import type { ReportData } from './report-data.js';
import type { Screen } from './screens.js';

/** The line under the tabs on a host or control screen: what is listed below it. */
export function Subtitle({ screen, data, width, color }: { screen: Screen; data: ReportData; width: number; color: boolean }) {
  return <Line segments={subtitle(screen, data, width)} color={color} />;
}

function subtitle(screen: Screen, data: ReportData, width: number): Segment[] {
  if (screen.kind === 'host') {
    const host = data.hosts.get(screen.host)?.host;
    if (!host) return [];
    const where = `${host.name} · cluster ${host.cluster} · ${host.address}:${host.port} · `;
    if (!host.reached) return [{ text: fit(`${where}${notAuditedNote(host)}`, width), tone: 'ERROR' }];
    const problems = unreadNote(host);
    const how = `reached, probe ran as ${host.privilege ?? 'unknown'}`;
    return [{ text: fit(`${where}${how}${problems === '' ? '' : ` · could not read ${problems}`}`, width) }];
  }
  if (screen.kind === 'control') {
    const control = data.controls.find((c) => c.ruleId === screen.ruleId);
    return control ? [{ text: fit(`${control.control} ${control.title} (${control.ruleId})`, width), tone: 'heading' }] : [];
  }
  return [];
}
