import type { HostAccounts } from './accounts.js';
import { shellQuote } from '../../../src/shell-quote.js';
import type { ServiceSpec } from './spec.js';

/**
 * The script the host's init runs for a service: join its cgroup, then exec the service with exactly
 * its environment and user, so that the process the probe finds has the argv, environment, uid and
 * cgroup an init system or kubelet would have given it, and the pid the init reported.
 */
export function serviceScript(service: ServiceSpec, accounts: HostAccounts, cgroupDir: string | undefined): string {
  const lines = [`# service ${service.name}, started by the host's init`];
  if (cgroupDir && service.cgroup) lines.push(`echo $$ > ${shellQuote(`${cgroupDir}/${service.cgroup}/cgroup.procs`)} || exit 1`);
  lines.push(`cd ${shellQuote(service.cwd ?? '/')} || exit 1`);
  const env = Object.entries(service.env).map(([name, value]) => shellQuote(`${name}=${value}`));
  const asUser: string[] = [];
  if (service.user && service.user !== 'root') {
    const user = accounts.users.get(service.user);
    if (!user) throw new Error(`service ${service.name} runs as ${service.user}, which the host does not have`);
    asUser.push('setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', '--');
  }
  lines.push(['exec env -i', ...env, ...asUser, ...service.argv.map(shellQuote)].join(' '));
  return `${lines.join('\n')}\n`;
}
