import { safeJson } from '../json.js';
import { safeBlock } from '../terminal-text.js';

// Building HTML without ever concatenating an unescaped string. The `html` tag escapes every
// interpolated value unless it is itself `Html` made by the tag, so markup can only come from
// template literals in this codebase, never from a host. Values are only ever interpolated into
// element content or double-quoted attribute values (never into URLs, event handlers, style or
// script), where escaping & < > " ' is what makes text inert.

export class Html {
  constructor(readonly source: string) {}
}

export type Content = Html | string | number | readonly Content[] | null | undefined | false;

export function html(strings: TemplateStringsArray, ...values: Content[]): Html {
  let source = strings[0]!;
  values.forEach((value, i) => {
    source += render(value) + strings[i + 1]!;
  });
  return new Html(source);
}

function render(value: Content): string {
  if (value instanceof Html) return value.source;
  if (typeof value === 'string') return escapeText(value);
  if (typeof value === 'number') return escapeText(String(value));
  if (value === null || value === undefined || value === false) return '';
  return value.map(render).join('');
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text for element content or a quoted attribute. Control characters (ESC, CR, bidi overrides)
 * are first turned into visible escapes such as `\e`, as in the terminal report: an auditor
 * should see that a host sent them, and a copy-paste from the page should not carry them.
 */
function escapeText(text: string): string {
  return safeBlock(text).replace(/[&<>"']/g, (char) => ENTITIES[char]!);
}

/**
 * JSON inside `<script type="application/json">`: `<` is written `\u003c` so that no
 * `</script>` or `<!--` in host data can end the block, and what `safeJson` escapes (U+2028/2029
 * for tools that still read JSON as JavaScript, controls, bidi overrides) is escaped too.
 * `JSON.parse` of the block's text gives the exact result back.
 */
export function jsonForScriptBlock(value: unknown): Html {
  const json = safeJson(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
  return new Html(json);
}
