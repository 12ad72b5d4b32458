// The placeholders of fixtures/e2e templates and layout paths: what differs between the members of
// one cluster. `{{name}}`, `{{ip}}`, `{{initialCluster}}`, `{{initialClusterState}}`,
// `{{etcdServers}}`; a line that starts with `{{if joined}}` is kept (without the guard) only on
// members that joined an existing cluster, as kubeadm writes `--initial-cluster-state=existing`
// only there.

export interface MemberContext {
  name: string;
  ip: string;
  initialCluster: string;
  initialClusterState: 'new' | 'existing';
  etcdServers: string;
  joined: boolean;
}

const GUARD = '{{if joined}}';

export function renderTemplate(text: string, context: MemberContext, what: string): string {
  const values: Record<string, string> = {
    name: context.name,
    ip: context.ip,
    initialCluster: context.initialCluster,
    initialClusterState: context.initialClusterState,
    etcdServers: context.etcdServers,
  };
  return text
    .split('\n')
    .flatMap((line) => (line.startsWith(GUARD) ? (context.joined ? [line.slice(GUARD.length)] : []) : [line]))
    .join('\n')
    .replace(/\{\{([^}]*)\}\}/g, (_, key: string) => {
      const value = values[key.trim()];
      if (value === undefined)
        throw new Error(`${what}: unknown placeholder {{${key}}} (known: ${Object.keys(values).join(', ')}, and the line guard ${GUARD})`);
      return value;
    });
}
