// The command line sshd runs for the probe. The probe itself arrives on stdin (see probe.ts), so
// this is all any process list on the host ever shows of fleetbench: no nonce, no script, no
// password, nothing that mentions etcd. It is plain POSIX sh inside single quotes so that it works
// whatever the user's login shell is.

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

// With a sudo password: it is the first line of stdin, read before anything else so that it can
// never be taken for part of the script. sudo gets it from an askpass helper, printenv, which
// prints the variable the prompt names: the password travels on stdin and in the environment
// (readable only by the user and root), never in an argument list; sudo's env_reset keeps it out
// of the probe. A wrong password ends as sudo-refused with sudo's message.
const BECOME_WITH_PASSWORD =
  "sh -c 'IFS= read -r FB_PW; export FB_PW; if [ \"$(id -u)\" = 0 ]; then unset FB_PW; exec sh -s root; fi; " +
  'SUDO_ASKPASS=$(command -v printenv); export SUDO_ASKPASS; ' +
  'if FB_SUDO_ERR=$(sudo -A -p FB_PW true 2>&1); then exec sudo -A -p FB_PW sh -s sudo; fi; ' +
  "unset FB_PW; export FB_SUDO_ERR; exec sh -s sudo-refused'";

export function launcherCommand(become: boolean, withPassword = false): string {
  if (!become) return PLAIN;
  return withPassword ? BECOME_WITH_PASSWORD : BECOME;
}

/** What goes to the launcher's stdin: the password line first, when there is one, then the probe. */
export function launcherInput(script: string, sudoPassword: string | undefined): string {
  if (sudoPassword === undefined) return script;
  if (/[\n\r\0]/.test(sudoPassword)) throw new Error('the sudo password cannot contain a line break or NUL');
  return `${sudoPassword}\n${script}`;
}
