import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runChecked } from '../run-command.js';

// The stand-in for kube-apiserver (and any component whose only job here is to be seen running):
// a program that sleeps until killed. Installed under the component's name and started with the
// component's real command line, its /proc/<pid>/cmdline is exactly that component's.

const SOURCE = '#include <unistd.h>\nint main(void) { for (;;) pause(); }\n';

/** Compiles the program in `dir` and returns the executable's bytes. */
export async function buildPauseProgram(dir: string): Promise<Buffer> {
  const source = join(dir, 'pause.c');
  const binary = join(dir, 'pause');
  await writeFile(source, SOURCE);
  await runChecked('cc', ['-O2', '-o', binary, source]);
  return readFile(binary);
}
