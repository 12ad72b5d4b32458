// Points each LINK at each of TARGETS (comma-separated) in turn, atomically (a new symlink renamed
// over it), as fast as it can: whatever the probe checks about a link may no longer be true when it
// opens it.
import { renameSync, rmSync, symlinkSync } from 'node:fs';

const [targetList, ...links] = process.argv.slice(2);
const targets = targetList.split(',');
let i = 0;
const flip = () => {
  for (let n = 0; n < 100; n++) {
    for (const link of links) {
      const spare = `${link}.flip`;
      rmSync(spare, { force: true });
      symlinkSync(targets[(i + links.indexOf(link)) % targets.length], spare);
      renameSync(spare, link);
    }
    i++;
  }
  setImmediate(flip);
};
flip();
