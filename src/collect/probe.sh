#!/bin/sh
# fleetbench probe: the only code fleetbench runs on a host. Read-only, POSIX sh.
#
# It is fed to `sh -s MODE` on stdin with `N=<nonce>` prepended (see probe.ts), so neither the
# script nor its nonce appears in any process list. MODE says how it was started: plain, root,
# sudo or sudo-refused (see launcher.ts).
#
# Framing: every record starts a line with `FB1:<nonce>:`. The nonce is random per host and run,
# and only this script knows it, so nothing a host's users control (process arguments, file
# contents) can forge a record. A payload is the raw bytes between a `data` header line and a
# `\nFB1:<nonce>:end` line; the last record is `done`. parse-output.ts is the only reader of this
# format.
#
# probe.ts wraps the script in `{ ... } </dev/null`, so nothing in it can read the shell's own
# input, which stays open: after `done` the client may send one more command to this shell
# (`etcdctl member list`, see member-list.ts), which saves the host a second session and sudo.
#
# What it collects:
# - `ps -ef` without COLUMNS, so lines are never cut;
# - for processes whose command line mentions etcd, kube-apiserver, k3s or rke2: the exact argv,
#   uid, cgroup (names the systemd unit), working directory, and only the ETCD_* variables of
#   the environment (other variables may hold secrets);
# - static pod manifests, etcd env and config files, and the systemd units at their usual places;
# - the files those name (config files, env files, certificates, data dirs), up to four levels
#   deep: certificates and configuration are read, key files and directories only stat'ed.
#   References are followed from files and from processes of system accounts (uid < 1000) only,
#   so an ordinary user cannot make the probe read a file by naming it in their own process.
#   A file that contains a private key is never read.
unset COLUMNS LINES
LC_ALL=C; export LC_ALL
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH; export PATH
MAXREAD=1048576
NL='
'
# The real stdout, for awk to write records to while the references it finds are captured.
exec 4>&1
r() { printf 'FB1:%s:%s\n' "$N" "$*"; }
b() { printf 'FB1:%s:data %s\n' "$N" "$*"; }
e() { printf '\nFB1:%s:end\n' "$N"; }
# Builtins where they do the job: every fork runs on the audited host, for every host of a fleet.
uid_of() { u=''; while read -r _key _value _rest; do [ "$_key" = Uid: ] && { u=$_value; break; }; done 2>/dev/null < "$1"; }

uid_of /proc/self/status
r hello 1 "$u" "${1:-plain}" $$
if [ -n "${FB_SUDO_ERR:-}" ]; then b sudo-error; printf '%s' "$FB_SUDO_ERR"; e; fi

P=$(ps -ef 2>&1); s=$?; pidfield=2
b ps ef; printf '%s\n' "$P"; e; r ps-status ef $s
if [ $s -ne 0 ]; then P=$(ps 2>&1); pidfield=1; b ps plain; printf '%s\n' "$P"; e; fi

# Candidates: processes whose ps line mentions etcd, kube-apiserver, k3s or rke2, but etcdctl
# (what they are is decided by the parser, from their exact argv). T: text whose references to
# other files are followed; D: default data dirs to look at.
T=''
D=''
units=' etcd.service '
# The lines are picked by splitting in memory: `read` takes one system call per byte, and a
# control plane's full-width ps runs to tens of kilobytes.
C=''
set -f; IFS=$NL
for l in $P; do case $l in *etcd*|*kube-apiserver*|*k3s*|*rke2*) C="$C$l$NL";; esac; done
IFS=' 	'"$NL"; set +f
while read -r c1 c2 rest; do
  if [ $pidfield = 2 ]; then p=$c2; else p=$c1; fi
  case $p in ''|*[!0-9]*) continue;; esac
  # etcdctl is a client, never audited (the parser knows processes by executable name too), and
  # where a fleet is scanned, other scans' member lists run it: skip it with -ef's CMD in $6.
  if [ $pidfield = 2 ]; then
    set -f; set -- $rest; set +f
    case ${6:-} in etcdctl|*/etcdctl) continue;; esac
  fi
  d=/proc/$p
  # Skip this shell, and processes that ended since ps saw them.
  [ "$p" = "$$" ] || [ ! -e "$d/status" ] && continue
  b cmdline "$p"; cat "$d/cmdline" 2>/dev/null; e
  uid_of "$d/status"
  r uid "$p" "${u:-unknown}"
  b cgroup "$p"
  while IFS= read -r l; do
    printf '%s\n' "$l"
    case $l in *.service) s=${l##*/}; case $units in *" $s "*) ;; *) units="$units$s ";; esac;; esac
  done 2>/dev/null < "$d/cgroup"
  e
  v=''
  # kube-apiserver needs neither: only etcd reads ETCD_* and has a data dir in its working directory.
  case $rest in *kube-apiserver*) ;; *)
    if w=$(cd "$d/cwd" 2>/dev/null && pwd -P); then
      b cwd "$p"; printf '%s' "$w"; e
      for g in "${w%/}"/*.etcd; do [ -e "$g" ] && D="$D${NL}S $g"; done
    fi
    if [ -r "$d/environ" ] && x=$(tr '\000' '\n' < "$d/environ" 2>/dev/null); then
      # Only ETCD_* variables leave the host: the rest of an environment may hold secrets.
      set -f; IFS=$NL
      for l in $x; do case $l in ETCD_*) v="$v$l$NL";; esac; done
      IFS=' 	'"$NL"; set +f
      b environ "$p"; printf '%s' "${v%$NL}"; e
    elif [ -e "$d/status" ]; then r environ-unreadable "$p"; fi;;
  esac
  # The full-width ps line carries the same flags as the argv (paths have no spaces in practice).
  if [ "${u:-1000}" -lt 1000 ] 2>/dev/null; then T="$T$NL$rest$NL$v"; fi
done <<EOF_PS
$C
EOF_PS

# For the files of a round (and the text in FB_T), one awk prints the content records of files
# without a private key, and on fd 3 the references found in them: `R path` (read it) or
# `S path` (stat only) for --flag=/p, --flag /p (next line), ETCD_FLAG=/p, key: /p,
# EnvironmentFile=-/p.
read_and_follow() {
  awk -v N="$N" 'function kind(k) { return (k ~ /data|wal|key|path/) ? "S" : "R" }
  function follow(o,   l, k, t) {
    l = tolower(o)
    if (pend != "") { t = o; sub(lead, "", t); if (substr(t, 1, 1) == "/") { sub(stop, "", t); found = found pend " " t "\n" }; pend = "" }
    while (match(l, /(config[-_]file|data[-_]dir|wal[-_]dir|trusted[-_]ca[-_]file|client[-_]ca[-_]file|etcd[-_]cafile|etcd[-_]certfile|etcd[-_]keyfile|cert[-_]file|key[-_]file|environmentfile|path)/)) {
      k = substr(l, RSTART, RLENGTH); l = substr(l, RSTART + RLENGTH); o = substr(o, RSTART + RLENGTH)
      if (match(l, sep)) { t = substr(o, RLENGTH); sub(stop, "", t); found = found kind(k) " " t "\n" }
      else if (l ~ dangling) pend = kind(k)
    } }
  function flush() {
    if (cur == "") return
    if (buf ~ /PRIVATE KEY/) { printf "FB1:%s:secret %s\n", N, cur; return }
    printf "FB1:%s:data file %s\n%s\nFB1:%s:end\n", N, cur, buf, N
    printf "%s", found > "/dev/fd/3"
  }
  BEGIN { q = sprintf("%c", 39)
    stop = "[] \t\",;}" q "].*$"; lead = "^[ \t]*-?[ \t]*[\"" q "]?"
    sep = "^[\"" q "]?[ \t]*[=:]?[ \t]*[\"" q "]?-?/"; dangling = "^[\"" q "]?[ \t]*$"
    n = split(ENVIRON["FB_T"], lines, "\n"); for (i = 1; i <= n; i++) follow(lines[i]); pend = ""
    printf "%s", found > "/dev/fd/3"; found = "" }
  FNR == 1 { flush(); cur = FILENAME; buf = ""; found = ""; pend = "" }
  { buf = buf $0 "\n"; follow($0) }
  END { flush() }' /dev/null "$@" 3>&1 >&4
}

seen=$NL
# One round: reports each path of $L (lines `R path` or `S path`) once: absent or hidden,
# metadata (one stat for all), and content for R files; sets L to the references found.
round() {
  S=''
  R=''
  while read -r vk vp; do
    [ -n "$vp" ] || continue
    case $seen in *"$NL$vp$NL"*) continue;; esac
    seen="$seen$vp$NL"
    if [ ! -e "$vp" ]; then
      # Absent, or hidden behind a directory we may not search: say which.
      a=${vp%/*}; while [ -n "$a" ] && [ ! -e "$a" ]; do a=${a%/*}; done
      if [ -x "${a:-/}" ]; then r missing "$vp"; else r hidden ${#a} "$vp"; fi
      continue
    fi
    S="$S$NL$vp"
    [ "$vk" = R ] && [ -f "$vp" ] || continue
    if [ -r "$vp" ]; then R="$R$NL$vp"; else r unreadable "$vp"; fi
  done <<EOF_ROUND
$L
EOF_ROUND
  set -f; IFS=$NL
  st=''
  [ -n "$S" ] && st=$(stat -L -c "FB1:$N:stat %f %u %g %s %U %G %n" $S 2>/dev/null)
  IFS=' 	'"$NL"; set +f
  [ -n "$st" ] && printf '%s\n' "$st"
  # Files to read: regular, readable, and not larger than MAXREAD.
  F=''
  while read -r tag mode fu fg size owner group path; do
    case $R in *"$NL$path"|*"$NL$path$NL"*) ;; *) continue;; esac
    if [ "$size" -gt $MAXREAD ]; then r toolarge "$path"
    elif [ "$size" -eq 0 ]; then b file "$path"; e
    else F="$F$NL$path"; fi
  done <<EOF_STAT
$st
EOF_STAT
  set -f; IFS=$NL
  L=$(FB_T=$T read_and_follow $F)
  IFS=' 	'"$NL"; set +f
}

L="$D"
for f in /etc/kubernetes/manifests/*etcd* /etc/kubernetes/manifests/*apiserver* \
  /var/lib/rancher/rke2/agent/pod-manifests/*etcd* /var/lib/rancher/rke2/agent/pod-manifests/*apiserver* \
  /var/lib/rancher/rke2/server/db/etcd/config /var/lib/rancher/k3s/server/db/etcd/config \
  /var/lib/rancher/k3s/server/tls/client-ca.crt \
  /etc/etcd.env /etc/etcd/etcd.conf /etc/etcd/etcd.conf.yml /etc/etcd/etcd.yaml /etc/default/etcd; do
  case $f in *'*'*) ;; *) L="$L${NL}R $f";; esac
done
for d in /etc/systemd/system /run/systemd/system /usr/local/lib/systemd/system /usr/lib/systemd/system /lib/systemd/system; do
  for s in $units; do
    for f in "$d/$s" "$d/$s.d"/*.conf; do
      [ -e "$f" ] && L="$L${NL}R $f"
    done
  done
done
for f in /etc/kubernetes/manifests /var/lib/rancher/rke2/agent/pod-manifests /var/lib/etcd \
  /var/lib/rancher/k3s/server/db/etcd /var/lib/rancher/k3s/server/db/state.db /var/lib/rancher/rke2/server/db/etcd; do
  L="$L${NL}S $f"
done

i=0
while [ -n "$L" ] && [ $i -lt 4 ]; do
  round
  T=''
  i=$((i + 1))
done

r done
