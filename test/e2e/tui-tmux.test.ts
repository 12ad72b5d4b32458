import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLI } from '../support/cli.js';

// The real binary in a real terminal: tmux gives it a pseudo-terminal of a fixed size, takes
// keys (send-keys) and shows what is on the screen (capture-pane), as a person would see it.
// Each test runs its own tmux server on a private socket and kills it afterwards.

const TMUX = 'tmux';
const tmuxAvailable = spawnSync(TMUX, ['-V']).status === 0;
const SAVED = fileURLToPath(new URL('../../fixtures/results/tui-fleet.json', import.meta.url));
const WAIT_MS = 20_000;

interface Run {
  /** Environment changes for the binary: a value sets, undefined unsets. */
  env: Record<string, string | undefined>;
  args: string[];
  width?: number;
  height?: number;
}

class Terminal {
  readonly socket = `fleetbench-${process.pid}-${randomBytes(4).toString('hex')}`;
  private readonly dir = mkdtempSync(join(tmpdir(), 'fleetbench-tmux-'));
  private readonly statusFile = join(this.dir, 'exit-status');

  /** Starts the binary as the only program of an 80×24 (by default) terminal with no status line. */
  start({ env, args, width = 80, height = 24 }: Run): void {
    const config = join(this.dir, 'tmux.conf');
    // remain-on-exit keeps the screen after the program ends.
    writeFileSync(config, 'set -g status off\nset -g remain-on-exit on\n');
    const entries = Object.entries(env);
    const unset = entries.filter(([, value]) => value === undefined).map(([name]) => `-u ${name}`);
    const set = entries.filter(([, value]) => value !== undefined).map(([name, value]) => `${name}=${quote(value!)}`);
    const command = ['env', ...unset, ...set, quote(process.execPath), quote(CLI), ...args.map(quote)].join(' ');
    // tmux runs the command through a shell, which records the exit status in a file: tmux's own
    // #{pane_dead_status} is sometimes never filled in (seen with tmux 3.3a).
    const recorded = `${command}; echo $? > ${quote(this.statusFile)}`;
    this.tmux('-f', config, 'new-session', '-d', '-x', String(width), '-y', String(height), '-s', 'main', recorded);
  }

  screen(): string {
    return this.tmux('capture-pane', '-p', '-t', 'main');
  }

  /** The screen with its attributes as escape sequences (colors, bold, inverse). */
  styledScreen(): string {
    return this.tmux('capture-pane', '-p', '-e', '-t', 'main');
  }

  /** The screen and the lines that scrolled off its top. */
  everything(): string {
    return this.tmux('capture-pane', '-p', '-S', '-', '-t', 'main');
  }

  lines(): string[] {
    return this.screen().split('\n');
  }

  show(format: string): string {
    return this.tmux('display-message', '-p', '-t', 'main', format).trim();
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', 'main', ...keys);
  }

  type(text: string): void {
    this.tmux('send-keys', '-t', 'main', '-l', text);
  }

  /** Waits until the screen matches; on timeout, fails showing the screen as it was. */
  async waitFor(pattern: RegExp): Promise<string> {
    const deadline = Date.now() + WAIT_MS;
    let screen = '';
    while (Date.now() < deadline) {
      screen = this.screen();
      if (pattern.test(screen)) return screen;
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    throw new Error(`the screen never matched ${pattern}; it shows:\n${screen}`);
  }

  /** Waits for the program to end and returns its exit status. */
  async exitStatus(): Promise<number> {
    const deadline = Date.now() + WAIT_MS;
    while (Date.now() < deadline) {
      const status = existsSync(this.statusFile) ? readFileSync(this.statusFile, 'utf8') : '';
      if (status.endsWith('\n')) return Number(status);
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    throw new Error(`fleetbench did not exit; the screen shows:\n${this.screen()}`);
  }

  kill(): void {
    // tmux leaves its socket file behind when the server is killed.
    const socketPath = spawnSync(TMUX, ['-L', this.socket, 'display-message', '-p', '#{socket_path}'], { encoding: 'utf8' }).stdout.trim();
    spawnSync(TMUX, ['-L', this.socket, 'kill-server']);
    if (socketPath !== '') rmSync(socketPath, { force: true });
    rmSync(this.dir, { recursive: true, force: true });
  }

  private tmux(...args: string[]): string {
    return execFileSync(TMUX, ['-L', this.socket, ...args], { encoding: 'utf8' });
  }
}

function quote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Rows of a list screen: the selection marker or two spaces, then a status. */
function listRows(screen: string): string[] {
  return screen.split('\n').filter((line) => /^[› ] (PASS|FAIL|WARN|N\/A|ERROR) /.test(line));
}

if (!tmuxAvailable && process.env.FLEETBENCH_CI === '1') {
  it('has tmux to drive the interactive report', () => {
    throw new Error('tmux is not installed, and FLEETBENCH_CI=1 requires this test to run: install tmux (e.g. apt-get install tmux)');
  });
}

/** Runs fleetbench in a terminal of its own, always killing the tmux server afterwards. */
async function inTerminal(run: Run, use: (terminal: Terminal) => Promise<void>): Promise<void> {
  const terminal = new Terminal();
  try {
    terminal.start(run);
    await use(terminal);
  } finally {
    terminal.kill();
  }
}

// Each test has its own tmux server and fleet, so they run side by side.
describe.skipIf(!tmuxAvailable)('the interactive report in a real terminal (tmux)', { concurrent: true }, () => {
  it('opens a saved result, goes to a failing host and a finding, filters, and quits (CI set: still drawn)', () =>
    inTerminal({ env: { CI: 'true', CONTINUOUS_INTEGRATION: undefined }, args: ['report', SAVED] }, async (t) => {
      const overview = await t.waitFor(/^\[Hosts\] Controls/m);
      expect(overview.split('\n')[0]).toMatch(/^fleetbench · CIS 1\.12 +13 PASS {2}4 FAIL {2}3 WARN {2}0 N\/A {2}3 ERROR$/);
      expect(overview.split('\n')[3]).toBe('NOT AUDITED · legacy · 1 host · every control ERROR');
      expect(listRows(overview).map((row) => row.split(/ +/).slice(1, 3).join(' '))).toEqual([
        'ERROR legacy-1',
        'FAIL evil-1',
        'FAIL prod-cp2',
        'PASS prod-cp1',
        'PASS prod-cp3',
        'FAIL stage-1',
        'WARN stage-2',
      ]);

      t.keys('j', 'j', 'j', 'j', 'j');
      await t.waitFor(/^› FAIL {3}stage-1/m);
      t.keys('Enter');
      const host = await t.waitFor(/^\[Hosts\] Controls {3}stage-1$/m);
      expect(host).toContain('stage-1 · cluster staging · 10.0.2.11:22 · reached, probe ran as sudo');
      expect(listRows(host)[0]).toMatch(/^› FAIL {3}2\.2 {5}--client-cert-auth argument/);

      t.keys('Down', 'Enter');
      const finding = await t.waitFor(/^Evidence \(where each value came from\)$/m);
      expect(finding).toMatch(/^FAIL {2}2\.3 {2}Ensure that the --auto-tls argument is not set to true$/m);
      expect(finding).toMatch(/^ {2}environment of pid 812\n {4}ETCD_AUTO_TLS = true$/m);
      expect(finding).toMatch(/^Remediation\n {2}Remove --auto-tls or set it to false/m);

      t.keys('Escape');
      await t.waitFor(/^› FAIL {3}2\.3/m);
      t.keys('BSpace');
      await t.waitFor(/^› FAIL {3}stage-1/m);
      t.keys('f');
      const failing = await t.waitFor(/^filter: FAIL +3\/3 hosts$/m);
      expect(listRows(failing).map((row) => row.split(/ +/).slice(1, 3).join(' '))).toEqual(['FAIL evil-1', 'FAIL prod-cp2', 'FAIL stage-1']);

      t.keys('q');
      // The code scan gave the result: it has FAILs.
      expect(await t.exitStatus()).toBe(1);
      // The alternate screen is gone: the terminal shows what it showed before the report.
      expect(t.screen()).not.toContain('[Hosts] Controls');
    }));

  it('scans the demo fleet with a live view, then the report; quitting leaves the live summary', () =>
    inTerminal({ env: { CI: undefined, CONTINUOUS_INTEGRATION: undefined }, args: ['demo'] }, async (t) => {
      await t.waitFor(/^\[Hosts\] Controls/m);
      t.type('/stage-node1');
      t.keys('Enter');
      await t.waitFor(/^filter: all {2}search: stage-node1 +1\/1 hosts$/m);
      t.keys('Enter');
      const host = await t.waitFor(/^\[Hosts\] Controls {3}stage-node1$/m);
      expect(listRows(host)[0]).toMatch(/^› FAIL /);
      t.keys('Enter');
      const finding = await t.waitFor(/^Evidence \(where each value came from\)$/m);
      expect(finding).toMatch(/^FAIL {2}\S+ {2}Ensure that/m);

      t.keys('q');
      expect(await t.exitStatus()).toBe(0);
      const after = t.everything();
      expect(after).toMatch(/^fleetbench demo: started 8 SSH servers on 127\.0\.0\.1/m);
      expect(after).toMatch(/^fleetbench · scanning 8 hosts in 4 clusters · CIS 1\.12$/m);
      expect(after).toMatch(/^█+ 8\/8 hosts · 0 in flight · 1 unreachable$/m);
      expect(after).toMatch(/^elapsed \d+\.\d s · done$/m);
      expect(after).toMatch(/^failing controls \(\d+\)$/m);
    }));

  it('says what a limited scan left out under the top bar, at the cluster scanned in part and on ?, in 80×24', () =>
    inTerminal({ env: { CI: undefined, CONTINUOUS_INTEGRATION: undefined }, args: ['demo', '--limit', 'all:!east-cp3', '--skip', '2.6'] }, async (t) => {
      const overview = await t.waitFor(/^\[Hosts\] Controls/m);
      const lines = overview.split('\n');
      expect(lines[0]).toMatch(/^fleetbench · CIS 1\.12 /);
      expect(lines[1]).toMatch(/^Partial scan: 1 host and 1 control left out \(--limit, --skip\) +\? details$/);
      expect(lines[2]).toBe('[Hosts] Controls');
      expect(overview).toMatch(/^prod-east · 2 of 3 hosts scanned; east-cp3 left out by --limit · /m);
      expect(lines[22]).toMatch(/^↑↓ j\/k move/);
      expect(Math.max(...lines.map((line) => Array.from(line).length))).toBeLessThanOrEqual(80);

      t.keys('?');
      const help = await t.waitFor(/^fleetbench interactive report: keys/m);
      expect(help.split('\n').slice(0, 3)).toEqual([
        'Partial scan (this report says nothing about what it left out)',
        "  --limit 'all:!east-cp3' left out 1 host of the inventory",
        '  --skip 2.6 left out 1 control: etcd-no-peer-auto-tls',
      ]);
      expect(help).toMatch(/^q {2}Ctrl\+C +quit/m);
      t.keys('x');
      await t.waitFor(/^\[Hosts\] Controls/m);
      t.keys('q');
      expect(await t.exitStatus()).toBe(0);
    }));

  it('shows escape sequences from a hostile host as text: no cleared screen, no title change, no color', () =>
    inTerminal({ env: { CI: undefined, CONTINUOUS_INTEGRATION: '1' }, args: ['demo', '--fleet', 'hostile'] }, async (t) => {
      await t.waitFor(/^\[Hosts\] Controls/m);
      const title = t.show('#{pane_title}');
      t.type('/hostile-cp1');
      t.keys('Enter');
      await t.waitFor(/search: hostile-cp1 +1\/1 hosts$/m);
      t.keys('Enter');
      await t.waitFor(/^\[Hosts\] Controls {3}hostile-cp1$/m);
      t.type('/2.1');
      t.keys('Enter');
      await t.waitFor(/search: 2\.1 +1\/1 findings$/m);
      t.keys('Enter');
      const finding = await t.waitFor(/^Evidence \(where each value came from\)$/m);

      expect(finding).toContain('--cert-file =\n    /etc/kubernetes/pki/etcd/server.crt\\e[2J\\e[31mPWNED\\e]0;owned\\x07');
      const lines = t.lines();
      expect(lines[0]).toMatch(/^fleetbench · CIS 1\.12 /);
      expect(lines[1]).toBe('[Hosts] Controls   hostile-cp1 › control 2.1');
      expect(lines[22]).toMatch(/^↑↓ j\/k scroll/);
      expect(t.show('#{pane_title}')).toBe(title);
      expect(t.show('#{pane_title}')).not.toBe('owned');
      expect(t.styledScreen()).not.toMatch(/\u001b\[(0;)?31m(\\e\]0;owned)?PWNED/);

      t.keys('q');
      expect(await t.exitStatus()).toBe(0);
      expect(t.everything()).toMatch(/^fleetbench demo: started 2 SSH servers on 127\.0\.0\.1/m);
    }));
});
