import { STATUS_LABEL } from '../../status.js';
import type { Status } from '../../model.js';
import { html } from './markup.js';
import type { Html } from './markup.js';

// A status looks the same in every section of the HTML report.

export function statusBadge(status: Status): Html {
  return html`<span class="badge s-${status}">${STATUS_LABEL[status]}</span>`;
}
