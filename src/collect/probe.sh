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
# `\nFB1:<nonce>:end` line. parse-output.ts is the only reader of this format.
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
r() { printf 'FB1:%s:%s\n' "$N" "$*"; }
b() { printf 'FB1:%s:data %s\n' "$N" "$*"; }
e() { printf '\nFB1:%s:end\n' "$N"; }

r hello 1 "$(id -u)" "${1:-plain}" $$
if [ -n "${FB_SUDO_ERR:-}" ]; then b sudo-error; printf '%s' "$FB_SUDO_ERR"; e; fi

b ps ef; ps -ef 2>&1; s=$?; e; r ps-status ef $s
if [ $s -ne 0 ]; then b ps plain; ps 2>&1; e; fi

# T: text whose references to other files are followed in the next round.
T=''
D=''
units=' etcd.service '
for f in $(grep -lE 'etcd|kube-apiserver|k3s|rke2' /proc/[0-9]*/cmdline 2>/dev/null); do
  d=${f%/cmdline}; p=${d#/proc/}
  [ "$p" = "$$" ] && continue
  b cmdline "$p"; cat "$f" 2>/dev/null; e
  u=''; while read -r k v rest; do [ "$k" = Uid: ] && { u=$v; break; }; done 2>/dev/null < "$d/status"
  r uid "$p" "${u:-unknown}"
  b cgroup "$p"; cat "$d/cgroup" 2>/dev/null; e
  while IFS= read -r l; do
    case $l in *.service) s=${l##*/}; case $units in *" $s "*) ;; *) units="$units$s ";; esac;; esac
  done 2>/dev/null < "$d/cgroup"
  if w=$(cd "$d/cwd" 2>/dev/null && pwd -P); then
    b cwd "$p"; printf '%s' "$w"; e
    # etcd's default data dir is <name>.etcd in its working directory.
    for f in "${w%/}"/*.etcd; do [ -e "$f" ] && D="$D
S $f"; done
  fi
  v=''
  if [ -r "$d/environ" ] && v=$(tr '\000' '\n' < "$d/environ" 2>/dev/null); then
    v=$(printf '%s\n' "$v" | grep '^ETCD_')
    b environ "$p"; printf '%s' "$v"; e
  else r environ-unreadable "$p"; fi
  if [ "${u:-1000}" -lt 1000 ] 2>/dev/null; then
    T="$T
$(tr '\000' '\n' < "$f" 2>/dev/null)
$v"
  fi
done

# Reads text on stdin; prints `R path` (read it) or `S path` (stat only) per reference found:
# --flag=/p, --flag /p (next argv line), ETCD_FLAG=/p, key: /p, EnvironmentFile=-/p.
refs() {
  awk 'function kind(k) { return (k ~ /data|wal|key|path/) ? "S" : "R" }
  BEGIN { q = sprintf("%c", 39)
    stop = "[] \t\",;}" q "].*$"; lead = "^[ \t]*-?[ \t]*[\"" q "]?"
    sep = "^[\"" q "]?[ \t]*[=:]?[ \t]*[\"" q "]?-?/"; dangling = "^[\"" q "]?[ \t]*$" }
  { o = $0; l = tolower(o)
    if (pend != "") { t = o; sub(lead, "", t); if (substr(t, 1, 1) == "/") { sub(stop, "", t); print pend, t }; pend = "" }
    while (match(l, /(config[-_]file|data[-_]dir|wal[-_]dir|trusted[-_]ca[-_]file|client[-_]ca[-_]file|etcd[-_]cafile|etcd[-_]certfile|etcd[-_]keyfile|cert[-_]file|key[-_]file|environmentfile|path)/)) {
      k = substr(l, RSTART, RLENGTH); l = substr(l, RSTART + RLENGTH); o = substr(o, RSTART + RLENGTH)
      if (match(l, sep)) { t = substr(o, RLENGTH); sub(stop, "", t); print kind(k), t }
      else if (l ~ dangling) pend = kind(k)
    } }'
}

seen='
'
# visit KIND PATH: report existence and metadata of PATH, and its content when KIND is R.
visit() {
  k=$1; p=$2
  case $seen in *"
$p
"*) return;; esac
  seen="$seen$p
"
  if [ ! -e "$p" ]; then
    # Absent, or hidden behind a directory we may not search: say which.
    a=${p%/*}; while [ -n "$a" ] && [ ! -e "$a" ]; do a=${a%/*}; done
    if [ -x "${a:-/}" ]; then r missing "$p"; else r hidden ${#a} "$p"; fi
    return
  fi
  if ! st=$(stat -L -c '%f %u %g %s %U %G' "$p" 2>/dev/null); then r stat-failed "$p"; return; fi
  r stat "$st" "$p"
  [ "$k" = R ] && [ -f "$p" ] || return
  if [ ! -r "$p" ]; then r unreadable "$p"; return; fi
  set -- $st
  if [ "$4" -gt $MAXREAD ]; then r toolarge "$p"; return; fi
  if grep -q 'PRIVATE KEY' "$p" 2>/dev/null; then r secret "$p"; return; fi
  c=$(cat "$p" 2>/dev/null; printf x); c=${c%x}
  b file "$p"; printf '%s' "$c"; e
  T="$T
$c"
}

L=$(printf '%s\n' "$T" | refs)$D
for f in /etc/kubernetes/manifests/*etcd* /etc/kubernetes/manifests/*apiserver* \
  /var/lib/rancher/rke2/agent/pod-manifests/*etcd* /var/lib/rancher/rke2/agent/pod-manifests/*apiserver* \
  /var/lib/rancher/rke2/server/db/etcd/config /var/lib/rancher/k3s/server/db/etcd/config \
  /var/lib/rancher/k3s/server/tls/client-ca.crt \
  /etc/etcd.env /etc/etcd/etcd.conf /etc/etcd/etcd.conf.yml /etc/etcd/etcd.yaml /etc/default/etcd; do
  case $f in *'*'*) ;; *) L="$L
R $f";; esac
done
for d in /etc/systemd/system /run/systemd/system /usr/local/lib/systemd/system /usr/lib/systemd/system /lib/systemd/system; do
  for s in $units; do
    for f in "$d/$s" "$d/$s.d"/*.conf; do
      [ -e "$f" ] && L="$L
R $f"
    done
  done
done
for f in /etc/kubernetes/manifests /var/lib/rancher/rke2/agent/pod-manifests /var/lib/etcd \
  /var/lib/rancher/k3s/server/db/etcd /var/lib/rancher/k3s/server/db/state.db /var/lib/rancher/rke2/server/db/etcd; do
  L="$L
S $f"
done

i=0
while [ -n "$L" ] && [ $i -lt 4 ]; do
  T=''
  while read -r vk vp; do [ -n "$vp" ] && visit "$vk" "$vp"; done <<EOF_LIST
$L
EOF_LIST
  L=$(printf '%s\n' "$T" | refs)
  i=$((i + 1))
done

r end
