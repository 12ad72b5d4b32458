import type { NamespaceFleet } from '../spec.js';
import type { KeyPair } from './pki.js';

// The harness's own etcdctl, run in the fabric namespace with a client certificate of the
// cluster's etcd CA: it adds members as `kubeadm join` does and checks that clusters formed.

export interface Member {
  name: string;
  peerURLs: string[];
  clientURLs: string[];
}

export class Etcdctl {
  constructor(
    private readonly fleet: NamespaceFleet,
    private readonly ca: string,
    private readonly client: KeyPair,
  ) {}

  private async run(endpoint: string, args: string[]): Promise<string> {
    const result = await this.fleet.runInFabric(
      'etcdctl',
      [
        `--endpoints=${endpoint}`,
        `--cacert=${this.ca}`,
        `--cert=${this.client.cert}`,
        `--key=${this.client.key}`,
        '--dial-timeout=2s',
        '--command-timeout=5s',
        ...args,
      ],
      { env: { ...process.env, ETCDCTL_API: '3' }, timeoutMs: 15_000 },
    );
    if (result.code !== 0) throw new Error(`etcdctl ${args.join(' ')} against ${endpoint}: ${(result.stderr || result.stdout).trim()}`);
    return result.stdout;
  }

  async memberList(endpoint: string): Promise<Member[]> {
    const output = JSON.parse(await this.run(endpoint, ['member', 'list', '-w', 'json'])) as { members?: Partial<Member>[] };
    return (output.members ?? []).map((m) => ({ name: m.name ?? '', peerURLs: m.peerURLs ?? [], clientURLs: m.clientURLs ?? [] }));
  }

  async memberAdd(endpoint: string, name: string, peerUrl: string): Promise<void> {
    await this.run(endpoint, ['member', 'add', name, `--peer-urls=${peerUrl}`]);
  }

  async endpointHealth(endpoint: string): Promise<void> {
    await this.run(endpoint, ['endpoint', 'health']);
  }
}
