export const HELP = `fleetbench: audit the etcd security of Kubernetes control planes across a fleet, over SSH

Usage:
  fleetbench scan -i INVENTORY [options]   scan every host of an inventory
  fleetbench demo [options]                scan the built-in demo fleet (SSH servers on 127.0.0.1)
  fleetbench report FILE.json [options]    open the report of a saved result (-o FILE.json)
  fleetbench inventory -i INVENTORY        show the targets as they will be scanned, without
                                           connecting (-f json for machines; -F, --become
                                           and -u as for scan)
  fleetbench rules [-b VERSION]            list the controls checked
  fleetbench --version

Scan options:
  -i, --inventory FILE         inventory: native YAML (see inventory/example.yaml), or an
                               Ansible / kubespray inventory, YAML or INI
  -F, --ssh-config FILE        OpenSSH client config to fill in hosts (default: ~/.ssh/config
                               when it exists); --no-ssh-config to ignore it
      --become                 become root with sudo on hosts whose inventory does not say
                               (become:, ansible_become), as ansible -b does
  -u, --user USER              log in as USER on hosts whose inventory names nobody, as
                               ansible -u does (above ssh_config's User; not on jump hosts)
  -f, --format FORMAT          report on stdout: text, json, csv, html, junit or prom (default:
                               text, or the interactive report when stdin and stdout are a
                               terminal)
  -o, --output FILE            also write the report to FILE, atomically; format from the
                               extension (.json, .csv, .html, .xml for JUnit, .txt, .prom for
                               node_exporter's textfile collector); repeatable.
                               With -o alone, stdout stays quiet unless it is a terminal
      --baseline FILE          compare with a previous JSON result: new, unchanged, changed,
                               resolved
      --waivers FILE           accepted risks (see inventory/waivers.example.yaml): waived
                               FAILs and WARNs are reported as waived and do not fail the run
  -b, --benchmark VERSION      CIS Kubernetes Benchmark: 1.5, 1.6, 1.8, 1.9, 1.10, 1.11, 1.12
                               (default: 1.12)
  -a, --all                    list PASS and N/A findings too in the text report
  -c, --concurrency N          hosts scanned at once (default: 32)
      --connect-timeout S      seconds to connect, handshake and log in (default: 10)
      --timeout S              seconds for everything on one host (default: 60)
      --max-output MIB         stop reading a host after this much output (default: 16)
      --ask-sudo-password      ask once for the sudo password of the scanned hosts (not
                               echoed); or put it in FLEETBENCH_SUDO_PASSWORD
  -k, --identity FILE          private key for hosts whose inventory entry names none;
                               repeatable (default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa that
                               exist). ssh-agent is used when SSH_AUTH_SOCK is set. Encrypted
                               keys: put the passphrase in FLEETBENCH_KEY_PASSPHRASE
      --known-hosts FILE       known_hosts file to verify host keys against; repeatable
                               (default: ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts)
      --accept-new-host-keys   trust hosts seen for the first time and record their keys in
                               the first known_hosts file; changed keys are still refused
      --insecure-accept-any-host-key
                               do not verify host keys at all (anyone on the path can
                               impersonate a host)
      --fail-on fail|warn|never
                               what makes the exit code 1 (default: fail)
  -q, --quiet                  only errors on stderr; no live view
      --no-color               no colors (also when NO_COLOR is set)
      --no-interactive         in a terminal, print the plain report instead of the live
                               view and the interactive report

In a terminal (stdin and stdout), scan and demo show a live view while scanning, then the
interactive report, which report opens on a saved result: ↑↓/jk move, Enter opens,
Esc/Backspace goes back, Tab switches between hosts and controls, f filters by status,
/ searches, ? lists the keys, q quits; the exit code is still the scan's. Under cron or a
pipe, or with --format, the report is printed instead.

Report options:
  -f, --format FORMAT          print the saved result as text, json, csv, html, junit or prom
  -a, --all                    list PASS and N/A findings too in the text report
      --no-color, --no-interactive   as for scan

Exit codes:
  0  every evaluated control passed        1  at least one FAIL (see --fail-on)
  2  no FAIL, but some host or control could not be evaluated (ERROR)
  64 bad usage                             65 invalid inventory, rule, waiver or results file
On SIGINT or SIGTERM the scan stops, writes the outputs asked for with what finished, and
marks the other hosts as not scanned.
`;
