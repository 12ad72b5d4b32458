import { defineConfig } from 'vitest/config';

// Two groups: the unit and in-process tests run in parallel; the end-to-end tests (namespace hosts
// with real sshd, etcd, sudo, Chromium, tmux) run after them, one file at a time, so that a
// benchmark-like file (200 handshakes, a tenant flipping symlinks) never competes for the CPU with
// another and its deadlines mean what they say.
const END_TO_END = ['test/e2e/**/*.test.ts', 'test/support/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'], exclude: END_TO_END, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'e2e', include: END_TO_END, fileParallelism: false, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
