import { BENCHMARKS, DEFAULT_BENCHMARK } from '../rules/benchmarks.js';
import { FORMATS } from '../report/formats.js';
import type { CommandSpec, OptionSpec, OptionValues } from './option-table.js';

// Every command's options, one table each: the parser and the help are both made from them.
// Options an Ansible, kube-bench or Trivy user reaches for mean what they mean there: -i, -l, -u,
// -b, -K, --forks and --private-key as in ansible; --benchmark, --check and --skip as in
// kube-bench; -f for the format as in Trivy.

const INVENTORY = {
  name: 'inventory',
  short: 'i',
  value: 'PATH',
  multiple: true,
  help: 'an inventory: native YAML (see inventory/example.yaml), an Ansible or kubespray inventory (YAML or INI), or a folder of them, read as Ansible reads an inventory folder; repeat it for several: the fleet is the union of their hosts',
} as const satisfies OptionSpec;

const LIMIT = {
  name: 'limit',
  short: 'l',
  value: 'PATTERN',
  help: 'only the hosts PATTERN names, as ansible --limit: host, group, cluster or role names, globs (cp*), a:b or a,b (either), a:&b (both), a:!b (but not), ~regex, @FILE (a host a line, as a retry file)',
} as const satisfies OptionSpec;

const READ_INVENTORY = [
  INVENTORY,
  LIMIT,
  {
    name: 'ssh-config',
    short: 'F',
    value: 'FILE',
    help: 'OpenSSH client config that fills in what the inventory leaves out (default: ~/.ssh/config when it exists)',
  },
  { name: 'no-ssh-config', help: 'read no ssh_config' },
  {
    name: 'user',
    short: 'u',
    value: 'USER',
    help: "log in as USER on hosts whose inventory names nobody, as ansible -u (above ssh_config's User; not on jump hosts)",
  },
  {
    name: 'become',
    short: 'b',
    help: 'become root with sudo on hosts whose inventory does not say (become:, ansible_become), as ansible -b',
    takesNoValue: '-b is --become, as in ansible; the benchmark is --benchmark VERSION',
  },
] as const satisfies readonly OptionSpec[];

const BENCHMARK = {
  name: 'benchmark',
  value: 'VERSION',
  help: `CIS Kubernetes Benchmark whose control numbers (and thresholds) to use: ${BENCHMARKS.join(', ')} (default: ${DEFAULT_BENCHMARK})`,
} as const satisfies OptionSpec;

const CHOOSE_RULES = [
  BENCHMARK,
  {
    name: 'check',
    value: 'ID,...',
    help: 'only these controls: rule ids or control numbers of the benchmark, comma-separated, as kube-bench --check (fleetbench rules lists them)',
  },
  { name: 'skip', value: 'ID,...', help: 'leave out these controls, as kube-bench --skip' },
] as const satisfies readonly OptionSpec[];

const LOGIN = [
  {
    name: 'ask-become-pass',
    short: 'K',
    aliases: ['ask-sudo-password'],
    help: 'ask once for the sudo password of the scanned hosts (not echoed), as ansible -K; or put it in FLEETBENCH_SUDO_PASSWORD',
  },
  {
    name: 'private-key',
    value: 'FILE',
    multiple: true,
    aliases: ['identity'],
    help: 'private key for hosts whose inventory names none; repeatable (default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa that exist). ssh-agent is used when SSH_AUTH_SOCK is set. Encrypted keys: put the passphrase in FLEETBENCH_KEY_PASSPHRASE',
  },
  {
    name: 'known-hosts',
    value: 'FILE',
    multiple: true,
    help: 'known_hosts file to verify host keys against; repeatable (default: ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts)',
  },
  {
    name: 'accept-new-host-keys',
    help: 'trust hosts seen for the first time and record their keys in the first known_hosts file; changed keys are still refused',
  },
  { name: 'insecure-accept-any-host-key', help: 'do not verify host keys at all (anyone on the path can impersonate a host)' },
] as const satisfies readonly OptionSpec[];

const LIMITS = [
  { name: 'concurrency', short: 'c', value: 'N', aliases: ['forks'], help: 'hosts scanned at once (default: 32)' },
  { name: 'connect-timeout', value: 'S', help: 'seconds to connect, handshake and log in (default: 10)' },
  { name: 'timeout', value: 'S', help: 'seconds for everything on one host (default: 60)' },
  { name: 'max-output', value: 'MIB', help: 'stop reading a host after this much output (default: 16)' },
  {
    name: 'threads',
    value: 'N',
    help: 'threads to scan with, sharing the hosts by cluster (default: one per core, for fleets of 100 hosts per core or more; 1 for small fleets)',
  },
] as const satisfies readonly OptionSpec[];

const FORMAT = {
  name: 'format',
  short: 'f',
  value: 'FORMAT',
  help: `report on stdout: ${FORMATS.join(', ')} (default: text, or the interactive report when stdin and stdout are a terminal)`,
} as const satisfies OptionSpec;

const OUTPUT = {
  name: 'output',
  short: 'o',
  value: 'FILE',
  multiple: true,
  help: 'also write the report to FILE, atomically; format from the extension (.json, .csv, .html, .xml for JUnit, .txt, .prom for node_exporter textfile collector); repeatable. Every FILE is checked before the scan starts. With -o alone, stdout stays quiet unless it is a terminal',
} as const satisfies OptionSpec;

const FAIL_ON = { name: 'fail-on', value: 'fail|warn|never', help: 'what makes the exit code 1 (default: fail)' } as const satisfies OptionSpec;
const BASELINE = {
  name: 'baseline',
  value: 'FILE',
  help: 'compare with a previous JSON result: new, unchanged, changed, resolved (only hosts and controls both scanned)',
} as const satisfies OptionSpec;

const SHOW = [
  { name: 'all', short: 'a', help: 'list PASS and N/A findings too in the text report' },
  { name: 'quiet', short: 'q', help: 'only errors on stderr; no live view' },
  { name: 'no-color', help: 'no colors (also when NO_COLOR is set)' },
  { name: 'no-interactive', help: 'in a terminal, print the plain report instead of the live view and the interactive report' },
] as const satisfies readonly OptionSpec[];

const VERBOSE = {
  name: 'verbose',
  short: 'v',
  counted: true,
  help: 'more on stderr: what is scanned and a line for each host as it finishes; -vv also each host as it starts (how it is reached) and each cluster as it is judged',
} as const satisfies OptionSpec;

const HELP = { name: 'help', short: 'h', help: 'this help' } as const satisfies OptionSpec;

const TEXT_OR_JSON = { name: 'format', short: 'f', value: 'text|json', help: 'text (default) or json' } as const satisfies OptionSpec;

const SCAN_NOTES =
  "In a terminal (stdin and stdout), scan shows a live view while scanning, then the interactive report: ↑↓/jk move, Enter opens, Esc/Backspace goes back, Tab switches between hosts and controls, f filters by status, / searches, ? lists the keys, q quits; the exit code is still the scan's. Under cron or a pipe, or with --format, the report is printed instead.\n\nOn SIGINT or SIGTERM the scan stops, writes the outputs asked for with what finished, and marks the other hosts as not scanned.";

const NOT_ANSIBLE = {
  '-k': "fleetbench asks for no SSH password: give a key with --private-key FILE, or load it into ssh-agent (ansible's -k is --ask-pass)",
  '--ask-pass': 'fleetbench asks for no SSH password: give a key with --private-key FILE, or load it into ssh-agent',
} as const;

export const SCAN = {
  name: 'scan',
  usage: 'scan -i INVENTORY [options]',
  brief: 'scan every host of an inventory',
  summary: 'Scan every host of the inventories given (or those --limit names) and report the etcd-related CIS controls.',
  options: [
    ...READ_INVENTORY,
    ...CHOOSE_RULES,
    ...LOGIN,
    ...LIMITS,
    FORMAT,
    OUTPUT,
    FAIL_ON,
    BASELINE,
    {
      name: 'waivers',
      value: 'FILE',
      help: 'accepted risks (see inventory/waivers.example.yaml): waived FAILs and WARNs are reported as waived and do not fail the run',
    },
    ...SHOW,
    VERBOSE,
    HELP,
  ],
  unknown: NOT_ANSIBLE,
  notes: SCAN_NOTES,
} as const satisfies CommandSpec;

export const DEMO = {
  name: 'demo',
  usage: 'demo [options]',
  brief: 'scan the built-in demo fleet (SSH servers on 127.0.0.1)',
  summary:
    'Start the built-in demo fleet (SSH servers on 127.0.0.1, one per fixture host) and scan it over SSH like any fleet; exits 0 when it ran, whatever it found.',
  options: [
    LIMIT,
    ...CHOOSE_RULES,
    ...LIMITS,
    FORMAT,
    OUTPUT,
    BASELINE,
    { name: 'waivers', value: 'FILE', help: 'accepted risks, as for scan' },
    ...SHOW,
    VERBOSE,
    HELP,
    // Another fleet of fixtures/fleets/ (`hostile`: etcd arguments carrying escape sequences).
    { name: 'fleet', value: 'NAME', help: 'serve another fleet of fixtures/fleets/', hidden: true },
  ],
  notes: SCAN_NOTES,
} as const satisfies CommandSpec;

export const REPORT = {
  name: 'report',
  usage: 'report RESULT.json... [options]',
  brief: 'the report of saved results, merged into one',
  summary:
    'The report of saved results (-o FILE.json, --format json): the interactive report in a terminal, else text or the --format asked for. Several results are merged into one report: scans of different clusters (one per bastion or datacenter); a host or a cluster in two of them with different findings is refused. The exit code is the one scan would give for the result (see --fail-on).',
  positionals: { name: 'a result file', min: 1, max: Infinity },
  options: [FORMAT, OUTPUT, FAIL_ON, BASELINE, ...SHOW, HELP],
} as const satisfies CommandSpec;

export const INVENTORY_COMMAND = {
  name: 'inventory',
  usage: 'inventory -i INVENTORY [options]',
  brief: 'the targets as they will be scanned, without connecting',
  summary: 'Show every target as it will be scanned, without connecting: cluster, roles, address, user, sudo, jump chain, keys, and where it is written.',
  options: [...READ_INVENTORY, TEXT_OR_JSON, HELP],
} as const satisfies CommandSpec;

export const RULES = {
  name: 'rules',
  usage: 'rules [options]',
  brief: 'the controls checked',
  summary: 'List the controls checked, numbered for the chosen benchmark (those --check and --skip choose).',
  options: [...CHOOSE_RULES, TEXT_OR_JSON, HELP],
} as const satisfies CommandSpec;

export const COMMANDS: readonly CommandSpec[] = [SCAN, DEMO, REPORT, INVENTORY_COMMAND, RULES];

export type ScanValues = OptionValues<typeof SCAN.options>;
export type DemoValues = OptionValues<typeof DEMO.options>;
