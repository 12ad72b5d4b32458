// CIS titles all begin "Ensure that the …": in a narrow column that prefix is all one would see.
// Lists show the rest; the finding screen shows the title as the benchmark words it.
const CIS_PREFIX = /^Ensure that (the )?/i;

export function shortTitle(title: string): string {
  const rest = title.replace(CIS_PREFIX, '');
  return rest === '' ? title : rest;
}
