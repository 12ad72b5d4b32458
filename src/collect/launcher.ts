// The command line sshd runs for the probe. The probe itself arrives on stdin (see probe.ts), so
// this is all any process list on the host ever shows of fleetbench: no nonce, no script, nothing
// that mentions etcd. It is plain POSIX sh inside single quotes so that it works whatever the
// user's login shell is.

/** How the probe ended up running, as reported in its `hello` record. */
export type ProbeMode = 'plain' | 'root' | 'sudo' | 'sudo-refused';

const PLAIN = "sh -c 'exec sh -s plain'";

// With become: already root needs no sudo; `sudo -n` never prompts (a prompt would hang a cron
// run). When sudo is refused, the probe still runs unprivileged and reports sudo's own message,
// so the scan keeps what an ordinary user can see and says what it could not.
const BECOME =
  "sh -c 'if [ \"$(id -u)\" = 0 ]; then exec sh -s root; fi; " +
  'if FB_SUDO_ERR=$(sudo -n true 2>&1); then exec sudo -n sh -s sudo; fi; ' +
  "export FB_SUDO_ERR; exec sh -s sudo-refused'";

export function launcherCommand(become: boolean): string {
  return become ? BECOME : PLAIN;
}
