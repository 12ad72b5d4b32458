// The command line sshd runs for the probe. The probe itself arrives on stdin (see probe.ts), so
// this is all any process list on the host ever shows of fleetbench: no nonce, no script, no
// password, nothing that mentions etcd. It is plain POSIX sh inside single quotes so that it works
// whatever the user's login shell is.

/** How the probe ended up running, as reported in its `hello` record. */
export type ProbeMode = 'plain' | 'root' | 'sudo' | 'sudo-refused';

const PLAIN = "sh -c 'exec sh -s plain'";

// With become: a root login needs no sudo; `sudo -n` never prompts (a prompt would hang a cron
// run). sudo runs the probe directly (asking it first would cost every host a second sudo); when
// sudo refuses, it has read nothing of stdin, so the probe still runs unprivileged with sudo's own
// message, and the scan keeps what an ordinary user can see and says what it could not.
// sudo's stderr is captured to tell a refusal from anything else.
const BECOME =
  "sh -c 'if [ \"${LOGNAME:-}\" = root ]; then exec sh -s root; fi; exec 3>&1; " +
  'if FB_SUDO_ERR=$(sudo -n sh -s sudo 2>&1 >&3); then exit 0; fi; ' +
  'case $FB_SUDO_ERR in *sudo*) export FB_SUDO_ERR; exec sh -s sudo-refused;; esac; ' +
  "printf \"%s\\n\" \"$FB_SUDO_ERR\" >&2; exit 1'";

// With a sudo password: it is the first line of stdin, read before anything else so that it can
// never be taken for part of the script. sudo gets it from an askpass helper, printenv, which
// prints the variable the prompt names: the password travels on stdin and in the environment
// (readable only by the user and root), never in an argument list; sudo's env_reset keeps it out
// of the probe. A wrong password ends as sudo-refused with sudo's message.
const BECOME_WITH_PASSWORD =
  "sh -c 'IFS= read -r FB_PW; export FB_PW; if [ \"${LOGNAME:-}\" = root ]; then unset FB_PW; exec sh -s root; fi; " +
  'SUDO_ASKPASS=$(command -v printenv); export SUDO_ASKPASS; exec 3>&1; ' +
  'if FB_SUDO_ERR=$(sudo -A -p FB_PW sh -s sudo 2>&1 >&3); then exit 0; fi; unset FB_PW; ' +
  'case $FB_SUDO_ERR in *sudo*) export FB_SUDO_ERR; exec sh -s sudo-refused;; esac; ' +
  "printf \"%s\\n\" \"$FB_SUDO_ERR\" >&2; exit 1'";

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
