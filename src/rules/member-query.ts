import type { MemberListQuery } from '../collect/member-list.js';
import type { Privilege } from '../model.js';
import type { HostComponents } from './components.js';
import { hostPath, lookup } from './components.js';

/**
 * How to ask the host's running etcd member for the member list: its own client URL and
 * certificates. Undefined when there is no running etcd or reading its key would need root.
 */
export function memberListQuery(components: HostComponents, privilege: Privilege): MemberListQuery | undefined {
  if (privilege === 'unprivileged') return undefined;
  const instance = components.etcd.find((i) => i.running);
  const config = instance?.running;
  if (!instance || !config) return undefined;
  const value = (key: string) => {
    const found = lookup(config, key);
    return found.state === 'set' && found.setting.value !== '' ? found.setting.value : undefined;
  };
  const urls = (value('listen-client-urls') ?? value('advertise-client-urls') ?? 'http://localhost:2379').split(',').map((u) => u.trim());
  const local = urls.find((u) => /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:|\/|$)/.test(u)) ?? urls[0];
  if (!local) return undefined;
  const endpoint = local.replace('://0.0.0.0', '://127.0.0.1').replace('://[::]', '://[::1]');
  const query: MemberListQuery = { endpoint };
  const path = (key: string) => {
    const found = value(key);
    return found === undefined ? undefined : hostPath(found, instance);
  };
  const cacert = path('trusted-ca-file');
  const cert = path('cert-file');
  const key = path('key-file');
  if (cacert) query.cacert = cacert;
  if (cert) query.cert = cert;
  if (key) query.key = key;
  return query;
}
