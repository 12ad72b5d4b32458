#!/bin/bash
# PID 1 of one test host, started by host-process.ts inside fresh network, mount, UTS, PID and
# cgroup namespaces, under bash because PID 1 must reap orphans (see host-process.ts); the script
# itself is POSIX sh. $1 is the host's directory, prepared by host-directory.ts. It only ever
# writes to the host's overlays and its own /run and /tmp.
#
# It talks to the harness one line at a time: it prints `mounted`, waits for `net` (the veth is
# then in its namespace), prints `ready` once sshd listens, then serves `start NAME` (prints
# `started NAME PID`) and `install N` (prints `installed N`) until its stdin closes. Any failure
# prints `error ...` and exits. When PID 1 exits the kernel kills every process of the host, and
# its mounts and network namespace go with it: closing stdin is the whole teardown, and it also
# happens when the harness itself dies.
set -u
H=$1

say() { printf '%s\n' "$*"; }
fail() { say "error $*"; exit 1; }
# An install batch (staging.ts) hides paths and installs files, each at its declared path only.
install_batch() { sh "$H/install/$1/script"; }
log_tail() { tail -n 5 "$1" 2>/dev/null | tr '\n' ' '; }

hostname "$(cat "$H/hostname")" || fail "could not set the hostname"
# Private /run and /tmp: sshd's privilege separation directory, sudo's timestamps, and nothing of
# the machine's or of other hosts' temporary files.
mount -t tmpfs -o mode=0755 tmpfs /run || fail "could not mount /run"
mkdir -p /run/sshd /run/fleetbench-host
mount --bind "$H" /run/fleetbench-host || fail "could not bind the host directory"
H=/run/fleetbench-host
i=0
while read -r dir; do
  mount -t overlay overlay -o "lowerdir=$dir,upperdir=$H/upper/$i,workdir=$H/work/$i" "$dir" || fail "could not mount an overlay on $dir"
  i=$((i + 1))
done < "$H/overlays"
mount -t tmpfs -o mode=1777 tmpfs /tmp || fail "could not mount /tmp"
install_batch boot > "$H/logs/install.log" 2>&1 || fail "could not install the host's files: $(log_tail "$H/logs/install.log")"
say mounted

read -r go || exit 0
[ "$go" = net ] || fail "expected net, got $go"
ip -batch "$H/network" > "$H/logs/network.log" 2>&1 || fail "could not configure the network: $(log_tail "$H/logs/network.log")"

if [ -f "$H/sshd-listeners" ]; then
  want=$(cat "$H/sshd-listeners")
  : > "$H/logs/sshd.log"
  /usr/sbin/sshd -D -e -f /etc/ssh/sshd_config < /dev/null >> "$H/logs/sshd.log" 2>&1 &
  sshd=$!
  waited=0
  while [ "$(grep -c 'Server listening' "$H/logs/sshd.log")" -lt "$want" ]; do
    kill -0 "$sshd" 2>/dev/null || fail "sshd exited: $(log_tail "$H/logs/sshd.log")"
    waited=$((waited + 1))
    [ "$waited" -le 400 ] || fail "sshd did not listen within 20 s: $(log_tail "$H/logs/sshd.log")"
    sleep 0.05
  done
fi
say ready

while read -r command arg; do
  case $command in
    start)
      [ -f "$H/services/$arg" ] || { say "error no service $arg"; continue; }
      sh "$H/services/$arg" < /dev/null >> "$H/logs/$arg.log" 2>&1 &
      say "started $arg $!"
      ;;
    install)
      if install_batch "$arg" >> "$H/logs/install.log" 2>&1; then say "installed $arg"; else say "error could not install $arg: $(log_tail "$H/logs/install.log")"; fi
      ;;
    *) say "error unknown command $command" ;;
  esac
done
