/** The terminal the interactive views draw on and read keys from. */
export interface Terminal {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

export interface Size {
  width: number;
  height: number;
}

/** Ink needs a size even when a terminal reports none (some multiplexers, right after attach). */
export function sizeOf(stdout: NodeJS.WriteStream): Size {
  return { width: stdout.columns || 80, height: stdout.rows || 24 };
}
