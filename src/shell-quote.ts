// Quoting for POSIX sh: for commands fleetbench runs on hosts, whose arguments come from the
// host's own configuration and are not trusted, and for commands it suggests to the user.

/** One word for sh, whatever it contains: single quotes, each ' written as '\''. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** As shellQuote, but a word sh reads literally as it is stays unquoted: for commands a person reads. */
export function shellQuoteIfNeeded(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : shellQuote(word);
}
