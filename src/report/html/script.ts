// The report's only script, inlined and allowed by its hash in the Content-Security-Policy. It
// never builds markup from data (no innerHTML): it shows and hides rows that the server rendered,
// moves them to sort, and toggles <details>. Everything it reads from the page is attribute or
// text content, which cannot turn into code.

export const SCRIPT = `
'use strict';
(() => {
  const table = document.getElementById('findings-table');
  const filters = document.getElementById('filters');
  if (!table || !filters) return;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const statusButtons = Array.from(filters.querySelectorAll('[data-filter-status]'));
  const search = document.getElementById('search');
  const changedOnly = document.getElementById('changed-only');
  const shownCount = document.getElementById('shown-count');
  const text = new Map(rows.map((row) => [row, row.textContent.toLowerCase()]));

  const apply = () => {
    const statuses = statusButtons.filter((b) => b.getAttribute('aria-pressed') === 'true').map((b) => b.dataset.filterStatus);
    const words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    let shown = 0;
    for (const row of rows) {
      const visible =
        (statuses.length === 0 || statuses.includes(row.dataset.status)) &&
        words.every((word) => text.get(row).includes(word)) &&
        !(changedOnly && changedOnly.checked && row.dataset.change !== 'new' && row.dataset.change !== 'changed');
      row.hidden = !visible;
      if (visible) shown += 1;
    }
    shownCount.textContent = String(shown);
  };

  for (const button of statusButtons) {
    button.addEventListener('click', () => {
      button.setAttribute('aria-pressed', button.getAttribute('aria-pressed') === 'true' ? 'false' : 'true');
      apply();
    });
  }
  search.addEventListener('input', apply);
  if (changedOnly) changedOnly.addEventListener('change', apply);

  const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  for (const button of table.querySelectorAll('button[data-sort]')) {
    button.addEventListener('click', () => {
      const key = button.dataset.sort;
      const header = button.closest('th');
      const direction = header.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
      for (const other of table.querySelectorAll('th[aria-sort]')) other.removeAttribute('aria-sort');
      header.setAttribute('aria-sort', direction === 1 ? 'ascending' : 'descending');
      const sorted = rows.slice().sort((a, b) =>
        direction * collator.compare(a.dataset[key], b.dataset[key]) || Number(a.dataset.order) - Number(b.dataset.order));
      body.append(...sorted);
    });
  }

  const setAllOpen = (open) => {
    for (const details of table.querySelectorAll('details')) details.open = open;
  };
  document.getElementById('expand-all').addEventListener('click', () => setAllOpen(true));
  document.getElementById('collapse-all').addEventListener('click', () => setAllOpen(false));

  // A matrix cell links to its finding: make sure the row is visible and its evidence open.
  const reveal = () => {
    const row = location.hash.length > 1 ? document.getElementById(location.hash.slice(1)) : null;
    if (!row || row.parentElement !== body) return;
    if (row.hidden) {
      for (const button of statusButtons) button.setAttribute('aria-pressed', 'false');
      search.value = '';
      if (changedOnly) changedOnly.checked = false;
      apply();
    }
    row.querySelector('details').open = true;
    row.scrollIntoView({ block: 'center' });
  };
  window.addEventListener('hashchange', reveal);

  // Paper has no disclosure triangles: print with every finding's evidence open, then restore.
  let closedBeforePrint = [];
  window.addEventListener('beforeprint', () => {
    closedBeforePrint = Array.from(table.querySelectorAll('details:not([open])'));
    for (const details of closedBeforePrint) details.open = true;
  });
  window.addEventListener('afterprint', () => {
    for (const details of closedBeforePrint) details.open = false;
  });

  filters.hidden = false;
  reveal();
})();
`;
