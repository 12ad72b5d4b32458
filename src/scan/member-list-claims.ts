// Every member of a cluster answers `etcdctl member list` alike, so one host per cluster asks (it
// costs the host etcdctl and etcd a TLS handshake). A host claims its cluster's question; when its
// answer fails, it gives the claim back and another host of the cluster may ask.
export class MemberListClaims {
  private readonly claimed = new Set<string>();

  /** True when this host should ask: no other host of the cluster has. */
  claim(cluster: string): boolean {
    if (this.claimed.has(cluster)) return false;
    this.claimed.add(cluster);
    return true;
  }

  release(cluster: string): void {
    this.claimed.delete(cluster);
  }
}
