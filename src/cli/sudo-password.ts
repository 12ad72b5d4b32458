import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

export const SUDO_PASSWORD_ENV = 'FLEETBENCH_SUDO_PASSWORD';

/** Asks for the sudo password on the terminal without echoing it. */
export function askSudoPassword(input: NodeJS.ReadStream, output: NodeJS.WritableStream): Promise<string> {
  output.write('sudo password for the scanned hosts (not echoed): ');
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  const reader = createInterface({ input, output: silent, terminal: true });
  return new Promise((resolve) => {
    reader.once('line', (line) => {
      reader.close();
      output.write('\n');
      resolve(line);
    });
  });
}
