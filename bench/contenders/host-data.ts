// What every contender is asked to bring back from each host, and how to tell it did: `ps -ef`
// (with ww, so that no line is cut whatever the tool does with terminals) and the static pod
// manifests, read as root through sudo. The same work for xargs + ssh, parallel-ssh and Ansible;
// fleetbench's probe collects this and more.

/** What runs as root on each host. */
export const REMOTE_WORK = 'ps -ef -ww; cat /etc/kubernetes/manifests/*.yaml';

/** The command line the ssh-based contenders send: REMOTE_WORK through sudo, never prompting. */
export const REMOTE_COMMAND = `sudo -n sh -c '${REMOTE_WORK}'`;

// The bench host's etcd command line ends with --trusted-ca-file: a line that reaches it was not
// cut. Lines may end in \r (Ansible's raw module runs the command on a terminal).
const EXPECTED: [RegExp, string][] = [
  [/^root\s.*\setcd --advertise-client-urls=\S+ .*--trusted-ca-file=\/etc\/kubernetes\/pki\/etcd\/ca\.crt\r?$/m, 'no complete etcd command line in ps -ef'],
  [/^root\s.*\skube-apiserver --advertise-address=/m, 'no kube-apiserver in ps -ef'],
  [/^\s+component: etcd\r?$/m, 'no etcd manifest'],
  [/^\s+component: kube-apiserver\r?$/m, 'no kube-apiserver manifest'],
];

/** Why a host's output lacks the data, or undefined when it is all there. */
export function missingData(output: string): string | undefined {
  return EXPECTED.find(([pattern]) => !pattern.test(output))?.[1];
}
