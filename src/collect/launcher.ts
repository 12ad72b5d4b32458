// The command lines sshd runs for the probe. The probe itself arrives on stdin (see probe.ts), so
// this is all any process list on the host ever shows of fleetbench: no nonce, no script, no
// password, nothing that mentions etcd. Each is a plain command any login shell runs, or POSIX sh
// inside single quotes, so that it works whatever the user's login shell is.

/** How the probe ended up running, as reported in its `hello` record. */
export type ProbeMode = 'plain' | 'root' | 'sudo' | 'sudo-refused';

/**
 * How the client starts the probe: without become; through `sudo -n`; without sudo (a root login,
 * or after sudo refused); through sudo with a password at hand.
 */
export type Launch = 'plain' | 'sudo' | 'without-sudo' | 'sudo-with-password';

const PLAIN = "sh -c 'exec sh -s plain'";

// In the launcher with a password at hand, sudo's stderr is captured to tell a refusal from anything
// else: when sudo refuses, it has read nothing of stdin, so the probe still runs unprivileged with
// sudo's own message (its sudo-error record), and the scan keeps what an ordinary user can see and
// says what it could not.
function sudoOrRefused(sudo: string): string {
  return (
    `exec 3>&1; if FB_SUDO_ERR=$(${sudo} 2>&1 >&3); then exit 0; fi; unset FB_PW; ` +
    'case $FB_SUDO_ERR in *sudo*) export FB_SUDO_ERR; exec sh -s sudo-refused;; esac; ' +
    'printf "%s\\n" "$FB_SUDO_ERR" >&2; exit 1'
  );
}

// With become: the login shell starts sudo itself, and sudo the probe: no shell of ours waits beside
// them (one would cost every host a shell and a fork). `sudo -n` never prompts (a prompt would hang
// a cron run). When sudo refuses, it has read nothing of stdin and the probe never says hello; the
// client then starts WITHOUT_SUDO in a second session of the same connection, and reports what
// sudo said (see probe-session.ts).
const SUDO = 'sudo -n sh -s sudo';

// A root login needs no sudo (the client sends this first when it logs in as root: a host without
// sudo would refuse it); any other login gets here only after sudo refused, and the probe then
// collects what an ordinary user can read and says what it could not.
const WITHOUT_SUDO = `sh -c 'if [ "\${LOGNAME:-}" = root ]; then exec sh -s root; fi; exec sh -s sudo-refused'`;

/** What the launcher with a password at hand says before it reads anything: the client then sends the password or not. */
export const BECOME_ANSWERS = { root: 'FB-BECOME-ROOT', noPassword: 'FB-BECOME-N', password: 'FB-BECOME-PW' } as const;
export type BecomeAnswer = (typeof BECOME_ANSWERS)[keyof typeof BECOME_ANSWERS];

// With a sudo password at hand, it goes only to a host whose sudo asks for one: the launcher tries
// `sudo -n true` first and says what it needs on a line of its own (any refusal but "a password is
// required" is met without the password); the client then sends the password (or not), then the probe. The password is the first line of stdin, read before anything
// else so that it can never be taken for part of the script. sudo gets it from an askpass helper,
// printenv, which prints the variable the prompt names: the password travels on stdin and in the
// environment (readable only by the user and root), never in an argument list; sudo's env_reset
// keeps it out of the probe. A wrong password ends as sudo-refused with sudo's message.
const BECOME_WITH_PASSWORD =
  `sh -c 'if [ "\${LOGNAME:-}" = root ]; then echo ${BECOME_ANSWERS.root}; exec sh -s root; fi; ` +
  `if FB_E=$(LC_ALL=C sudo -n true 2>&1) || case $FB_E in *"password is required"*) false;; *) true;; esac; then ` +
  `echo ${BECOME_ANSWERS.noPassword}; ${sudoOrRefused('sudo -n sh -s sudo')}; fi; ` +
  `echo ${BECOME_ANSWERS.password}; IFS= read -r FB_PW; export FB_PW; SUDO_ASKPASS=$(command -v printenv); export SUDO_ASKPASS; ` +
  `${sudoOrRefused('sudo -A -p FB_PW sh -s sudo')}'`;

const COMMANDS: Record<Launch, string> = { plain: PLAIN, sudo: SUDO, 'without-sudo': WITHOUT_SUDO, 'sudo-with-password': BECOME_WITH_PASSWORD };

export function launcherCommand(launch: Launch): string {
  return COMMANDS[launch];
}

/** How the client starts the probe first on a host, from the target's settings. */
export function firstLaunch(become: boolean, user: string, withPassword: boolean): Launch {
  if (!become) return 'plain';
  if (withPassword) return 'sudo-with-password';
  return user === 'root' ? 'without-sudo' : 'sudo';
}

/** The line the client sends a launcher that said it needs the sudo password. */
export function passwordLine(sudoPassword: string): string {
  if (/[\n\r\0]/.test(sudoPassword)) throw new Error('the sudo password cannot contain a line break or NUL');
  return `${sudoPassword}\n`;
}
