#!/bin/sh
# fleetbench probe: the only code fleetbench runs on a host. Read-only, POSIX sh.
#
# It is fed to `sh -s MODE` on stdin, after a first line `N=<nonce> D=<seconds>` and the host paths
# of host-paths.ts as variables (see probe.ts), so neither the script nor its nonce appears in any
# process list. MODE says how it was started: plain, root, sudo or sudo-refused (see launcher.ts).
# FB_SUDO_ERR, set by the launcher with a sudo password at hand when sudo refused, is what sudo said.
#
# Threat model: the host's ordinary users (uid >= 1000) may be hostile. They can read every
# process's argument list, create files and directories with any name, run processes named etcd,
# swap symlinks while the probe runs and listen on ports. So:
# - Framing: every record starts a line with `FB1:<nonce>:`. The nonce lives only in this shell's
#   own variables and in the environment of the one awk that frames file contents (readable only
#   by its own user, root under sudo): never in an argument list. A payload is the raw bytes between
#   a `data` header line and a `\nFB1:<nonce>:end` line; the last record is `done`.
#   parse-output.ts is the only reader of this format.
# - Sources: only processes whose executable is etcd, kube-apiserver, k3s or rke2 AND that run as
#   root or as the system accounts etcd or kube are looked into; the paths they name, and the
#   paths named in the files read from them, are followed only when the file and every directory
#   on its way (after symlinks) belong to those accounts and no one else may write them. What is
#   not followed is reported with the reason. A path with a control character is never split,
#   followed or printed in a header: it is refused, and reported inside a payload.
# - Reads: regular files only, checked on the descriptor actually opened; at most MAXREAD bytes;
#   never a file holding a private key; never anything under /proc, /sys or /dev by reference.
# - Lifetime: a watchdog ends the probe at the client's deadline (D seconds), or as soon as the
#   sshd process serving this session is gone (the client stopped waiting), whichever comes first,
#   with everything the probe started.
#
# probe.ts wraps the script in `{ ... } </dev/null`, so nothing in it can read the shell's own
# input, which stays open: after `done` the client may send more commands to this shell, which
# saves the host a second session and sudo: follow-ups that read the files only parsing named,
# through this script's own pick() and round() and every check of theirs, each ending with a
# `files-done` record (file-follow-up.ts); then `etcdctl member list` (member-list.ts).
#
# What it collects: the process list as `ps -ef` shows it, read from /proc (or `ps -ef`, with no
# COLUMNS, so ps cuts no line; SCAN_PS sends at most a KiB of a line and PSMAX bytes in all, but of
# a trusted process); for the trusted processes, their exact argv, uid, cgroup (names the systemd
# unit), working directory and only the ETCD_* variables of their environment (other variables may
# hold secrets); static pod manifests, etcd env and config files and the systemd units at their
# usual places; and the files those name, up to four levels deep: CA certificates and configuration
# are read; other certificates, keys and directories are only stat'ed. In what it sends of a file,
# the values of keys that name a secret are redacted first (REDACT below).
MODE=${1:-plain}
unset COLUMNS LINES
LC_ALL=C; export LC_ALL
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH; export PATH
MAXREAD=1048576
PSMAX=4194304
NL='
'
TAB='	'
# S1, set before this script (probe.ts): the separator of fields that hold paths, SOH; paths with
# control characters are refused, so it can never occur in one.
# The real stdout, for awk to write records to while the references it finds are captured.
exec 4>&1
# Records: a header line, or a header and a payload. Words are joined with a space whatever IFS is.
r() { _i=$IFS; IFS=' '; printf 'FB1:%s:%s\n' "$N" "$*"; IFS=$_i; }
b() { _i=$IFS; IFS=' '; printf 'FB1:%s:data %s\n' "$N" "$*"; IFS=$_i; }
e() { printf '\nFB1:%s:end\n' "$N"; }
cd /

# --- Lifetime -------------------------------------------------------------------------------
# Find the sshd process that serves this session (the client is gone when it is) and whether this
# session's process group is ours to end: it is when its leader is the child sshd started for us.
# Without an sshd above us (a test harness, another SSH server), only the probe's own processes end.
W=''
G=0
p=$$
c=''
leader=''
pg=''
i=0
while [ $i -lt 12 ]; do
  { IFS= read -r l < "/proc/$p/stat"; } 2>/dev/null || break
  c=${l#*\(}; c=${c%\)*}
  set -f; set -- ${l##*\) }; set +f
  [ $i = 0 ] && pg=$3
  case $c in sshd|sshd-session|sshd-auth|dropbear) W=$p; break;; esac
  leader=$p
  p=$2
  case $p in ''|*[!0-9]*|0|1) break;; esac
  i=$((i + 1))
done
[ -n "$W" ] && [ "$pg" = "$leader" ] && G=1
M=$$
# Sets f1 and f2 to the first two values of this process's status line $1 (Uid:, PPid:); fails
# without one.
status_of() { f1=''; f2=''; while read -r _key f1 f2 _rest; do [ "$_key" = "$1" ] && return 0; done 2>/dev/null < /proc/self/status; f1=''; f2=''; return 1; }
# The watchdog's test that the probe's shell still runs: it is still this subshell's parent (an
# orphan never gets its parent back, so a process that took the shell's pid since cannot pass).
alive() { status_of PPid: && [ "$f1" = "$M" ]; }
(
  trap '' HUP INT TERM
  t=0
  while [ "$t" -lt "$D" ]; do
    sleep 1
    t=$((t + 1))
    alive || exit 0
    [ -z "$W" ] || [ -e "/proc/$W" ] || break
    # Most probes end within that first second. Past it, GNU tail waits for sshd's process to go
    # (without one, for the probe's shell): it looks each second without starting a program each
    # time, as this loop does, which on a host whose probe runs long costs more than the probe's own
    # work. timeout ends it at the deadline, with KILL: tail may have inherited this shell's ignored
    # TERM. Where either is missing or another (busybox's tail knows no --pid: 1), the loop goes on.
    if [ $t = 1 ] && [ $t -lt "$D" ]; then
      timeout -s KILL $((D - t)) tail -s 1 -f --pid="${W:-$M}" /dev/null 2>/dev/null
      case $? in
        0) break;;
        1|125|126|127) ;;
        *) t=$D;;
      esac
    fi
  done
  alive || exit 0
  if [ $G = 1 ]; then
    kill -s TERM 0
    sleep 1
    kill -s KILL 0
  fi
  # No group of our own: the probe's shell and every process below it, but this one.
  IFS= read -r l < /proc/self/stat
  k=$(cat /proc/[0-9]*/stat 2>/dev/null | awk -v M="$M" -v I="${l%% *}" '{ s = $0; sub(/^.*\) /, "", s); split(s, f, " "); parent[$1] = f[2] }
    END { t[M] = 1; n = 1; while (n) { n = 0; for (q in parent) if (!(q in t) && (parent[q] in t)) { t[q] = 1; n = 1 } } for (q in t) if (q != I) printf "%s ", q }')
  kill -s KILL $k
) </dev/null >/dev/null 2>&1 4>&- &

# --- Processes --------------------------------------------------------------------------------
status_of Uid:
u=$f1
eu=$f2
r hello 2 "$u" "$MODE" $$
if [ -n "${FB_SUDO_ERR:-}" ]; then b sudo-error; printf '%s' "$FB_SUDO_ERR"; e; fi

# References to other files, found by awk (see FOLLOW) in the trusted processes' command lines and
# in every file read: `R path` (read it: CA certificates, config and environment files) or `S path`
# (stat only: certificates and keys, data dirs) for --flag=/p, --flag /p (next line),
# ETCD_FLAG=/p, key: /p, EnvironmentFile=-/p, where the flag or key names a file or directory
# etcd or kube-apiserver uses. Not a manifest's `path:` values: most are volumes no rule judges
# or the liveness probe's URL (/health), which cost kubeadm hosts a second round of stat; the host
# side of a certificate or data dir mounted from elsewhere is asked in a follow-up (effective/file-needs.ts).
FOLLOW='function kind(k) { return (k ~ /ca[-_]?file|config|environmentfile/) ? "R" : "S" }
function follow(o,   l, k, t) {
  l = tolower(o)
  if (pend != "") { t = o; sub(lead, "", t); if (substr(t, 1, 1) == "/") { sub(stop, "", t); found = found pend " " t "\n" }; pend = "" }
  while (match(l, /(config[-_]file|data[-_]dir|wal[-_]dir|trusted[-_]ca[-_]file|client[-_]ca[-_]file|etcd[-_]cafile|etcd[-_]certfile|etcd[-_]keyfile|cert[-_]file|key[-_]file|environmentfile)/)) {
    k = substr(l, RSTART, RLENGTH); l = substr(l, RSTART + RLENGTH); o = substr(o, RSTART + RLENGTH)
    if (match(l, sep)) { t = substr(o, RLENGTH); sub(stop, "", t); found = found kind(k) " " t "\n" }
    else if (l ~ dangling) pend = kind(k)
  } }
function follow_init(   q) { q = sprintf("%c", 39); N = ENVIRON["N"]
  stop = "[] \t\",;}" q "].*$"; lead = "^[ \t]*-?[ \t]*[\"" q "]?"
  sep = "^[\"" q "]?[ \t]*[=:]?[ \t]*[\"" q "]?-?/"; dangling = "^[\"" q "]?[ \t]*$" }
'

# Whom to believe: root and the system accounts (id below 1000) etcd and kube, from /etc/passwd and
# /etc/group. What to look into: the processes whose executable is etcd, kube-apiserver, k3s or
# rke2 (etcdctl, grep etcd, vim etcd.yaml are not etcd); of those, only the ones root or those
# accounts run (anyone can start a program named etcd). One awk does both from the process list:
# it sends that list, the trusted ids, each such process's uid and, for the trusted ones, their
# cgroup (it names the systemd unit); on fd 3 it lists them, their units (`U unit`) and the
# references their command lines make.
# - The list (from_proc, V=proc): what `ps -ef` would print (UID PID PPID CMD, no times), read from
#   /proc/PID/stat, status and cmdline for each /proc/PID directory named on its command line:
#   three reads a process where procps makes five, and no ps to start or pipe through: a third
#   (a quiet host) to a half (367 processes) of what `ps -ef | awk` costs. It sends every byte
#   outside printable ASCII as ? (ps shows some as a space or a dot), so that a line break in an
#   argument, or a comm that names itself `x) Z 1`, passes for no other line or field; an empty
#   command line is `[comm]` (a zombie's, a kernel thread's). The list is sent once read whole:
#   mawk stops at a read error (below), and a part sent would hold the list that follows. Of a
#   process that is not a trusted account's component, only what can be sent is joined (CUT bytes
#   and its length): mawk takes 9.5 s to join 150,000 one-byte arguments one by one.
#   An awk whose strings cannot hold NUL (busybox), or no process read, prints `F` on fd 3 and
#   nothing else, and the shell gives it `ps -ef` on its stdin instead (V=ef).
# - ids_of reads a process's real and effective uid (its status's Uid: line), for each process of
#   the list from /proc and for each component a ps line names.
# - An awk that reads NULs (mawk, gawk) also sends the trusted processes' argv and ETCD_* variables
#   (see sendargs) and lists them as `C pid executable`, which saves the host a cat for each and a
#   tr for etcd; another (busybox) lists them as `P pid executable` and the loop below sends those.
# - From ps, a list without the PID and CMD columns (a ps that knows no -ef) is sent as it is, and
#   `F` on fd 3 asks for plain `ps` (V=plain) instead.
# A line longer than CUT bytes is sent cut, with how much was left out, and lines past PSMAX bytes
# in all are counted, not sent, unless they are a trusted process's: a command line may be 128 KiB
# long or more (`ps -ef` prints up to 128 KiB of each), and a user who starts 150 processes with
# long arguments (or thousands with short ones) would otherwise push the host's output past what
# the client reads (--max-output) and leave it unaudited. What is judged never comes from those lines.
SCAN_PS='function component(e) { return e == "etcd" || e == "kube-apiserver" || e == "k3s" || e == "rke2" }
function start() { printf "FB1:%s:data ps %s\n", N, ENVIRON["V"] }
function ids_of(d,   f, s, u, r) {
  r = RS; RS = "\n"; f = d "/status"; ruid = ""; euid = ""
  while ((getline s < f) > 0) if (s ~ /^Uid:/) { split(s, u, /[ \t]+/); ruid = u[2]; euid = u[3]; break }
  close(f); RS = r; return ruid != ""
}
function take(line, real, eff, all,   w, pid, exe, i) {
  if (++n == 1) {
    nh = split(line, h, " "); pc = 0; cc = 0
    for (i = 1; i <= nh; i++) { if (h[i] == "PID") pc = i; if (h[i] == "CMD" || h[i] == "COMMAND") cc = i }
    columns = pc && cc > pc
  } else if (columns && split(line, w, " ") >= cc) {
    pid = w[pc]; exe = w[cc]; sub(/.*\//, "", exe)
    if (pid ~ /^[0-9]+$/ && component(exe)) {
      if (real == "" && ids_of("/proc/" pid)) { real = ruid; eff = euid }
      if (real != "") { pids[n] = pid; ex[n] = exe; ru[n] = real; eu[n] = eff; if ((real in tu) && (eff in tu)) ok[n] }
    }
  }
  if (n > 1 && !(n in ok)) {
    if (all == "") all = length(line)
    if (all > CUT) line = substr(line, 1, CUT) " [fleetbench: " (all - CUT) " more bytes not sent]"
    if (sent + length(line) >= PSMAX) { left++; return }
    sent += length(line) + 1
  }
  lines[n] = line; if (!hold) print line
}
function shown(c,   x) { gsub(/[^ -~]/, "?", c); split(c, x, " "); c = x[1]; sub(/.*\//, "", c); return c }
function from_proc(   i, d, f, s, k, pid, comm, t, w, real, eff, cmd, j, a, all) {
  RS = z; hold = 1
  take("UID PID PPID CMD")
  for (i = 1; i < ARGC; i++) {
    d = ARGV[i]
    f = d "/stat"; s = ""; k = (getline s < f); close(f)
    if (k <= 0 || !match(s, /^[0-9]+ \(/)) continue
    pid = substr(s, 1, RLENGTH - 2)
    comm = substr(s, RLENGTH + 1); t = comm; sub(/\)[^)]*$/, "", comm); sub(/^.*\) /, "", t); split(t, w, " ")
    if (!ids_of(d)) continue
    real = ruid; eff = euid
    f = d "/cmdline"; cmd = ""; j = 0; all = 0; k = 1
    while ((getline a < f) > 0) {
      all += (j++ ? 1 : 0) + length(a)
      if (k) { cmd = cmd (j > 1 ? " " : "") a; if (k == 1 && length(cmd) > CUT) k = (real in tu) && (eff in tu) && component(shown(cmd)) ? 2 : 0 }
    }
    close(f)
    if (j == 0) { cmd = "[" comm "]"; if (w[1] == "Z") cmd = cmd " <defunct>"; all = length(cmd) }
    gsub(/[^ -~]/, "?", cmd)
    s = ((eff in uname) ? uname[eff] : eff) " " pid " " w[2] " "
    take(s cmd, real, eff, length(s) + all)
  }
  RS = "\n"
  if (n > 1) { start(); for (i = 1; i <= n; i++) if (i in lines) print lines[i] }
}
BEGIN { follow_init(); z = sprintf("%c", 0); nul = length(z) == 1; tu[0]; tg[0]; n = 0; CUT = 1024; PSMAX = ENVIRON["B"] + 0
  while ((getline s < "/etc/passwd") > 0) if (split(s, u, ":") >= 3 && u[3] ~ /^[0-9]+$/) {
    if (!(u[3] in uname)) uname[u[3]] = u[1]
    if ((u[1] == "etcd" || u[1] == "kube") && u[3] < 1000) tu[u[3]]
  }
  close("/etc/passwd")
  while ((getline s < "/etc/group") > 0) if (split(s, u, ":") >= 3 && (u[1] == "etcd" || u[1] == "kube") && u[3] ~ /^[0-9]+$/ && u[3] < 1000) tg[u[3]]
  close("/etc/group")
  if (ENVIRON["V"] != "proc") start()
  else {
    if (nul) from_proc()
    if (n < 2) { print "F" > "/dev/fd/3"; bail = 1 }
    exit
  }
}
{ take($0) }
END {
  if (bail) exit
  if (left) printf "fleetbench: lines not sent: %d, past %d bytes\n", left, PSMAX
  printf "\nFB1:%s:end\n", N
  if (!columns && ENVIRON["V"] == "ef") { print "F" > "/dev/fd/3"; exit }
  ids = ""; for (i in tu) ids = ids " " i; printf "FB1:%s:trusted-uids%s\n", N, ids; print "TU" ids > "/dev/fd/3"
  ids = ""; for (i in tg) ids = ids " " i; printf "FB1:%s:trusted-gids%s\n", N, ids; print "TG" ids > "/dev/fd/3"
  if (!columns) exit
  for (i = 2; i <= n; i++) {
    # A line held back (past PSMAX) is not spoken of: it can only be one nobody audits.
    if (!(i in ru) || !(i in lines)) continue
    pid = pids[i]; exe = ex[i]; real = ru[i]; eff = eu[i]
    printf "FB1:%s:uid %s %s %s\n", N, pid, real, eff
    if (!(i in ok)) continue
    f = "/proc/" pid "/cgroup"; cg = ""
    while ((getline s < f) > 0) { cg = cg s "\n"; if (s ~ /[.]service$/) { unit = s; sub(/.*\//, "", unit); units[unit] } }
    close(f)
    printf "FB1:%s:data cgroup %s\n%s\nFB1:%s:end\n", N, pid, cg, N
    follow(lines[i])
    cmd = lines[i]; for (k = 1; k < cc; k++) sub(/^ *[^ ]+/, "", cmd)
    if (nul && sendargs(pid, exe, cmd)) print "C", pid, exe > "/dev/fd/3"; else print "P", pid, exe > "/dev/fd/3"
  }
  for (unit in units) print "U", unit > "/dev/fd/3"
  printf "%s", found > "/dev/fd/3"
}'

# What the loop below does with cat and tr, for an awk that reads NULs: a trusted process's argv as
# it is (NUL after each argument: parse-output.ts drops a last empty one) and, but for kube-apiserver,
# the variables of its environment whose names start with ETCD_ (the rest may hold secrets), whose
# references are followed here: one per line, a line break within a value sent as SOH (\001), which
# parsing turns back, so that no line of a value passes for a variable (etcd reads none that way).
# Its environment unreadable: said, unless the process is gone. Only when the arguments it read,
# joined by spaces, are what ps showed (cmd, non-printable bytes as ps shows them: ?): an awk that
# cannot split at NUL, or a process that changed since, leaves it to cat.
SENDARGS='function sendargs(pid, exe, cmd,   f, s, ev, n, k, j, v, a, all) {
  RS = z
  f = "/proc/" pid "/cmdline"; n = 0; all = ""
  while ((getline s < f) > 0) { a[++n] = s; all = all (n > 1 ? " " : "") s }
  close(f); RS = "\n"
  gsub(/[^ -~]/, "?", all); sub(/ +$/, "", all); sub(/^ +/, "", cmd); sub(/ +$/, "", cmd)
  if (n == 0 || all != cmd) return 0
  printf "FB1:%s:data cmdline %s\n", N, pid
  for (j = 1; j <= n; j++) printf "%s%c", a[j], 0
  printf "\nFB1:%s:end\n", N
  if (exe == "kube-apiserver") return 1
  RS = z; f = "/proc/" pid "/environ"; ev = ""; k = getline s < f
  if (k < 0) {
    RS = "\n"; f = "/proc/" pid "/status"
    if ((getline s < f) > 0) printf "FB1:%s:environ-unreadable %s\n", N, pid
    close(f); return 1
  }
  for (; k > 0; k = getline s < f) if (s ~ /^ETCD_/) { gsub(/\n/, "\001", s); ev = ev s "\n" }
  close(f); RS = "\n"
  sub(/\n$/, "", ev)
  printf "FB1:%s:data environ %s\n%s\nFB1:%s:end\n", N, pid, ev, N
  pend = ""; n = split(ev, v, "\n"); for (j = 1; j <= n; j++) follow(v[j]); pend = ""
  return 1
}
'

# T: text whose references are followed by the first round's reader (the trusted etcd's ETCD_*
# variables); L: the paths of the first round, `R path` or `S path`.
T=''
L=''
units=' etcd.service '
add() {
  case $2 in
    *[[:cntrl:]]*) b refused control; printf '%s' "$2"; e;;
    *) L="$L$NL$1 $2";;
  esac
}
# The entries of directory $1 whose names match the patterns that follow, to be read (at most 64:
# a directory can hold anything). The patterns are fleetbench's own (host-paths.ts), never a host's.
pick() {
  case $- in *f*) _f=-f;; *) _f=+f;; esac
  _d=$1
  shift
  _k=0
  for _p; do
    set +f
    for f in "$_d"/$_p; do
      [ -e "$f" ] || [ -h "$f" ] || continue
      _k=$((_k + 1))
      [ $_k -gt 64 ] || add R "$f"
    done
    set -f
  done
  set $_f
}
# The scan's awk, exec'd so that no subshell waits beside it (call it in one only): $1 says where
# the list comes from (V above), the rest are its operands. With ps, the list reaches awk through a
# pipe, never a variable: in awk's environment it would be one string, and execve refuses one over
# 128 KiB, as a busy host's list (or one a tenant crowds with long command lines) is; awk would not
# run, and no etcd would be seen. (The process list shows this awk too, with its program, which is
# no secret: the nonce is in its environment.)
scan_ps() { _v=$1; shift; V=$_v B=$PSMAX N=$N exec awk "$FOLLOW$SENDARGS$SCAN_PS" "$@" 2>/dev/null 3>&1 >&4; }
# From /proc, once more when the first try printed nothing: mawk stops at a read error, as when a
# process ends between its file's open and read (from_proc sends its list only once it has read it
# all, so a stop leaves no part of it). No list from /proc (an awk whose strings cannot hold NUL;
# more processes than one command line can name, which execve refuses): ps -ef; and where ps knows
# no -ef, plain ps.
seen_ps=$(set +f; scan_ps proc /proc/[0-9]*)
[ -n "$seen_ps" ] || seen_ps=$(set +f; scan_ps proc /proc/[0-9]*)
case $seen_ps in ''|F) seen_ps=$(ps -ef 2>&1 | scan_ps ef -);; esac
[ "$seen_ps" = F ] && seen_ps=$(ps 2>&1 | scan_ps plain -)
set -f; IFS=$NL
for l in $seen_ps; do
  IFS=' 	'"$NL"; set -- $l
  case $1 in
    TU) TU="${l#TU} ";;
    TG) TG="${l#TG} ";;
    U) case $units in *" $2 "*) ;; *) units="$units$2 ";; esac;;
    R|S) add "$1" "${l#? }";;
    P|C)
      d=/proc/$2
      [ "$1" = C ] || { b cmdline "$2"; cat "$d/cmdline" 2>/dev/null; e; }
      # kube-apiserver needs neither: only etcd reads ETCD_* and has a data dir in its working directory.
      [ "$3" = kube-apiserver ] && continue
      if cd -P "$d/cwd" 2>/dev/null; then
        w=$PWD
        cd /
        b cwd "$2"; printf '%s' "$w"; e
        set +f
        # Its default data dir is NAME.etcd there: the first 64 such names (a directory anyone may
        # write can hold thousands, and one stat command line cannot); parsing asks for the one it needs.
        k=0
        case $w in *[[:cntrl:]]*) ;; *) for g in "${w%/}"/*.etcd; do [ $k -lt 64 ] || break; [ -e "$g" ] && { add S "$g"; k=$((k + 1)); }; done;; esac
        set -f
      fi
      # awk has sent etcd's ETCD_* variables (C) already.
      [ "$1" = C ] && continue
      if [ -r "$d/environ" ] && env=$(tr '\n\000' '\001\n' < "$d/environ" 2>/dev/null); then
        # Only ETCD_* variables leave the host: the rest of an environment may hold secrets.
        ev=''
        IFS=$NL
        for y in $env; do case $y in ETCD_*) ev="$ev$y$NL";; esac; done
        b environ "$2"; printf '%s' "${ev%"$NL"}"; e
        T="$T$ev"
      elif [ -e "$d/status" ]; then r environ-unreadable "$2"; fi;;
  esac
  IFS=$NL
done
IFS=' 	'"$NL"; set +f

# --- Files ------------------------------------------------------------------------------------
# FACTS and BAD: what stat said (see note_stat); KN: the paths stat'ed so far, between newlines.
FACTS=''
BAD=''
KN=$NL
seen=$NL

# Sets rp to the physical path of $1 (symlinks resolved) and H to the physical directories it goes
# through, one per symlink followed; or reports why it cannot be followed, and fails.
resolve() {
  rp=$1
  H=''
  n=0
  while :; do
    dir=${rp%/*}
    f=${rp##*/}
    if ! cd -P "${dir:-/}" 2>/dev/null; then
      # Absent, or hidden behind a directory we may not search: say which.
      a=$dir; while [ -n "$a" ] && [ ! -e "$a" ]; do a=${a%/*}; done
      if [ -x "${a:-/}" ]; then r missing "$1"; else r hidden ${#a} "$1"; fi
      cd /
      return 1
    fi
    dir=${PWD%/}
    cd /
    H="$H$S1${dir:-/}"
    want "$dir"
    if [ -z "$f" ]; then rp=${dir:-/}; return 0; fi
    rp=$dir/$f
    [ -h "$rp" ] || return 0
    n=$((n + 1))
    t=$(readlink "$rp" 2>/dev/null) || t=''
    case $t in ''|*[[:cntrl:]]*) b refused link; printf '%s' "$1"; e; return 1;; esac
    [ $n -le 8 ] || { b refused link; printf '%s' "$1"; e; return 1; }
    case $t in /*) rp=$t;; *) rp=$dir/$t;; esac
  done
}

# $1 and every directory above it, up to /, to stat in this round unless stat has spoken of them.
want() {
  a=$1
  while :; do
    case $KN in *"$NL${a:-/}$NL"*) return 0;; esac
    KN="$KN${a:-/}$NL"
    A="$A$NL${a:-/}"
    [ -n "$a" ] || return 0
    a=${a%/*}
  done
}

# One round: each path of L (lines `R path` or `S path`) is resolved, judged and reported once:
# absent, hidden, refused, not followed (with the directory or file at fault), or its metadata;
# R files are then read. Sets L to the references found in what was read.
round() {
  Q=''
  A=''
  set -f; IFS=$NL
  for l in $L; do
    vk=${l%% *}
    vp=${l#* }
    case $seen in *"$NL$vp$NL"*) continue;; esac
    seen="$seen$vp$NL"
    case $vp in
      *[[:cntrl:]]*) b refused control; printf '%s' "$vp"; e; continue;;
      /*) ;;
      *) continue;;
    esac
    resolve "$vp" || continue
    case $rp in /proc|/proc/*|/sys|/sys/*|/dev|/dev/*) b refused special; printf '%s' "$vp"; e; continue;; esac
    want "$rp"
    Q="$Q$vk$S1$vp$S1$rp$H$NL"
  done
  [ -z "$A" ] || note_stat "$(stat -c '%f %u %g %s %U %G %n' -- $A 2>/dev/null)"
  IFS=' 	'"$NL"; set +f
  F=''
  set -f; IFS=$NL
  for l in $Q; do judge "$l"; done
  IFS=' 	'"$NL"; set +f

  # Read in batches of five, each file opened once here and checked on that descriptor before
  # awk reads it through /proc/self/fd: what is read is what was checked, whatever the path does.
  L=''
  fd=5
  FB_F=''
  FA=''
  set -f; IFS=$NL
  for l in $F; do
    vp=${l%%"$S1"*}
    rp=${l#*"$S1"}
    if ! { eval "command exec $fd<\"\$rp\""; } 2>/dev/null; then r unreadable "$vp"; continue; fi
    if [ ! -f "/proc/self/fd/$fd" ]; then r notregular "$vp"; eval "exec $fd<&-"; continue; fi
    FB_F="$FB_F$fd$TAB$vp$NL"
    FA="$FA$NL/proc/self/fd/$fd"
    fd=$((fd + 1))
    if [ $fd -gt 9 ]; then read_batch; fi
  done
  IFS=' 	'"$NL"; set +f
  [ -z "$FB_F$T" ] || read_batch
}

# Succeeds when no ordinary user can change a path with these stat words ($1 mode in hex, $2 uid,
# $3 gid): it belongs to a trusted account, no one else may write it, and its group may only when
# that group is a trusted one.
trusted() {
  case $TU in *" $2 "*) ;; *) return 1;; esac
  m=$((0x$1))
  [ $((m & 2)) -eq 0 ] || return 1
  [ $((m & 16)) -eq 0 ] && return 0
  case $TG in *" $3 "*) return 0;; esac
  return 1
}

# Keeps what stat said (one line per path: the six words, then the path): FACTS has every path's
# line, BAD the paths an ordinary user could change.
note_stat() {
  set -f; IFS=$NL
  for sl in $1; do
    IFS=' '; set -- $sl
    [ $# -ge 7 ] || continue
    sp=${sl#"$1 $2 $3 $4 $5 $6 "}
    FACTS="$FACTS$NL$sp$TAB$1 $2 $3 $4 $5 $6"
    trusted "$1" "$2" "$3" || BAD="$BAD$NL$sp$TAB$1 $2 $3 $4 $5 $6"
  done
  IFS=$NL
}

# The stat words of $1 from FACTS (or BAD), in sw; fails when stat did not speak of it.
facts_of() {
  for fl in $2; do
    case $fl in "$1$TAB"*) sw=${fl#"$1$TAB"}; return 0;; esac
  done
  return 1
}

# Judges one path of the round (kind SOH name SOH physical path SOH the directories it went through):
# not followed when it or any directory on its way is in BAD (with the culprit and its stat words);
# absent when stat did not speak of it; else where it really is and its metadata, and a regular R
# file not too large goes to F, to be read.
judge() {
  IFS=$S1; set -- $1; IFS=$NL
  jk=$1 jv=$2 jr=$3
  shift 3
  for hd; do
    while :; do
      case $BAD in *"$NL${hd:-/}$TAB"*) facts_of "${hd:-/}" "$BAD"; b untrusted "$jv"; printf '%s%s%s' "${hd:-/}" "$TAB" "$sw"; e; return;; esac
      [ -n "$hd" ] || break
      hd=${hd%/*}
    done
  done
  facts_of "$jr" "$FACTS" || { r missing "$jv"; return; }
  case $BAD in *"$NL$jr$TAB"*) b untrusted "$jv"; printf '%s%s%s' "$jr" "$TAB" "$sw"; e; return;; esac
  [ "$jr" = "$jv" ] || { b realpath "$jv"; printf '%s' "$jr"; e; }
  r stat "$sw" "$jv"
  [ "$jk" = R ] || return
  IFS=' '; set -- $sw; IFS=$NL
  [ $((0x$1 & 61440)) -eq 32768 ] || return
  if [ "$4" -gt $MAXREAD ]; then r toolarge "$jv"
  elif [ "$4" -eq 0 ]; then b file "$jv"; e
  else F="$F$jv$S1$jr$NL"; fi
}

# Secrets never leave the host: in every file the probe sends, the value of a key that names one
# (token, password, passwd, secret, credential: K3S_TOKEN=, token:, --agent-token ...) is replaced by
# <redacted>, and so are the user and password of a URL (scheme://user:pass@); of a datastore
# endpoint (k3s --datastore-endpoint, K3S_DATASTORE_ENDPOINT) only the scheme is kept. A value is
# the rest of the line for a key that starts it (YAML, env files), a quoted string, or one word.
REDACT='function masked(v, keep,   c, i) {
  c = substr(v, 1, 1)
  if ((c == "\"" || c == q) && length(v) > 1 && substr(v, length(v)) == c) return c masked(substr(v, 2, length(v) - 2), keep) c
  i = index(v, "://")
  return (keep && i > 1 && substr(v, 1, i - 1) ~ /^[A-Za-z][A-Za-z0-9+.-]*$/) ? substr(v, 1, i + 2) "<redacted>" : "<redacted>"
}
function redact(l,   out, low, s, n, c, rest, lead, keep, pq) {
  q = sprintf("%c", 39); out = ""
  while (match(l, /:\/\/[^\/@ \t"]+@/)) { out = out substr(l, 1, RSTART + 2) "<redacted>@"; l = substr(l, RSTART + RLENGTH) }
  l = out l; out = ""
  for (;;) {
    low = tolower(l)
    if (!match(low, /[a-z0-9_.-]*(token|password|passwd|secret|credential|datastore[-_]endpoint)[a-z0-9_.-]*["]?([ \t]*[=:][ \t]*|[ \t]+)/)) break
    lead = substr(low, 1, RSTART - 1) ~ /^[ \t]*(-[ \t]+)?["]?$/ && substr(low, RSTART, 1) != "-"
    pq = RSTART > 1 ? substr(l, RSTART - 1, 1) : ""
    keep = index(substr(low, RSTART, RLENGTH), "datastore") > 0
    s = RSTART + RLENGTH
    out = out substr(l, 1, s - 1)
    rest = substr(l, s)
    c = substr(rest, 1, 1)
    if (c == "\"" || c == q) { n = index(substr(rest, 2), c); n = n ? n + 1 : length(rest) }
    else if (pq == "\"" || pq == q) { n = index(rest, pq); n = n ? n - 1 : length(rest) }
    else if (lead) n = length(rest)
    else n = match(rest, /[ \t"]/) ? RSTART - 1 : length(rest)
    if (n > 0) out = out masked(substr(rest, 1, n), keep)
    l = substr(rest, n + 1)
  }
  return out l
}
'
# One awk prints the content records of the files opened on fds 5-9 (FB_F maps fd to the name the
# file was found by), except those holding a private key, and on fd 3 the references found in
# them and in T: `R path` (read it) or `S path` (stat only) for --flag=/p, --flag /p (next line),
# ETCD_FLAG=/p, key: /p, EnvironmentFile=-/p.
read_batch() {
  set -f; IFS=$NL
  L="$L$NL$(FB_T=$T FB_F=$FB_F M=$MAXREAD N=$N awk "$REDACT$FOLLOW$READ" /dev/null $FA 3>&1 >&4)"
  IFS=' 	'"$NL"; set +f
  exec 5<&- 6<&- 7<&- 8<&- 9<&-
  fd=5
  FB_F=''
  FA=''
  T=''
}
READ='function flush() {
  if (cur == "") return
  if (size > M) { printf "FB1:%s:toolarge %s\n", N, cur; return }
  if (buf ~ /PRIVATE KEY/) { printf "FB1:%s:secret %s\n", N, cur; return }
  printf "FB1:%s:data file %s\n%s\nFB1:%s:end\n", N, cur, buf, N
  printf "%s", found > "/dev/fd/3"
}
BEGIN { follow_init(); M = ENVIRON["M"] + 0
  n = split(ENVIRON["FB_F"], lines, "\n")
  for (i = 1; i <= n; i++) if (split(lines[i], kv, "\t") == 2) name["/proc/self/fd/" kv[1]] = kv[2]
  n = split(ENVIRON["FB_T"], lines, "\n"); for (i = 1; i <= n; i++) follow(lines[i]); pend = ""
  printf "%s", found > "/dev/fd/3"; found = "" }
FNR == 1 { flush(); cur = name[FILENAME]; buf = ""; size = 0; found = ""; pend = "" }
cur != "" { size += length($0) + 1; if (size <= M) { buf = buf redact($0) "\n"; follow($0) } }
END { flush() }'

# The first round: what each layout keeps at its usual places (MANIFEST_DIRS, MANIFEST_NAMES,
# ALWAYS_READ, ALWAYS_EXAMINED and UNIT_DIRS come from host-paths.ts, before this script).
set -f
for d in $MANIFEST_DIRS; do pick "$d" $MANIFEST_NAMES; done
for d in $YAML_DIRS; do pick "$d" $YAML_NAMES; done
for f in $ALWAYS_READ; do add R "$f"; done
# The unit files and drop-ins systemd reads for each unit (see systemd.ts): the unit's, its
# template's (etcd@.service for etcd@a.service), those of its dash prefixes (etcd-.service.d for
# etcd-main.service), in every unit directory, and the service.d drop-ins that apply to all.
names=''
for s in $units; do
  b=${s%.service}
  i=''
  case $b in *@?*) i=@${b#*@}; b=${b%%@*}; names="$names $b@.service";; esac
  names="$names $s"
  while :; do
    case $b in ?*-*) b=${b%-*}; names="$names $b-.service"; [ -z "$i" ] || names="$names $b-$i.service $b-@.service";; *) break;; esac
  done
done
for d in $UNIT_DIRS; do
  for n in $names service; do
    set +f
    for f in "$d/$n" "$d/$n.d"/*.conf; do [ -e "$f" ] && add R "$f"; done
    set -f
  done
done
for f in $ALWAYS_EXAMINED; do add S "$f"; done
set +f

i=0
while [ -n "$L" ] && [ $i -lt 4 ]; do
  round
  i=$((i + 1))
done

r done
