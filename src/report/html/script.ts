// The report's only script, inlined and allowed by its hash in the Content-Security-Policy. It
// never builds markup from data (no innerHTML): it hides rows that do not match the search, moves
// rows to sort, toggles <details> and counts what is shown. Everything it reads from the page is
// attribute or text content, which cannot turn into code. The status checkboxes filter in the
// stylesheet; the script only counts their effect, so that both agree by construction.

export const SCRIPT = `
'use strict';
(() => {
  const table = document.getElementById('findings-table');
  const filters = document.getElementById('filters');
  if (!table || !filters) return;
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  const statusBoxes = Array.from(filters.querySelectorAll('[data-filter-status]'));
  const search = document.getElementById('search');
  const changedOnly = document.getElementById('changed-only');
  const shownCount = document.getElementById('shown-count');
  const text = new Map(rows.map((row) => [row, row.textContent.toLowerCase()]));

  const apply = () => {
    const words = search.value.toLowerCase().split(/\\s+/).filter(Boolean);
    for (const row of rows) row.hidden = !words.every((word) => text.get(row).includes(word));
    shownCount.textContent = String(rows.filter((row) => row.getClientRects().length > 0).length);
  };

  for (const box of statusBoxes) box.addEventListener('change', apply);
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

  // A link from the summary or the grid leads to a finding: show its status for good (the
  // stylesheet shows a targeted row only while it is the target), clear the search, open it.
  const reveal = () => {
    const row = location.hash.length > 1 ? document.getElementById(location.hash.slice(1)) : null;
    if (!row || row.parentElement !== body) return;
    for (const box of statusBoxes) if (box.dataset.filterStatus === row.dataset.status) box.checked = true;
    if (changedOnly) changedOnly.checked = false;
    search.value = '';
    apply();
    row.querySelector('details').open = true;
    row.scrollIntoView({ block: 'center' });
  };
  window.addEventListener('hashchange', reveal);

  document.getElementById('scripted').hidden = false;
  apply();
  reveal();
})();
`;
