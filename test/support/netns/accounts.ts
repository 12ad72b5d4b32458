// A host's /etc/passwd, /etc/group and /etc/shadow: the machine's own, plus the accounts the host
// needs. Pure: the texts go in, the new texts and the ids come out.

export interface AccountFiles {
  passwd: string;
  group: string;
  shadow: string;
}

export interface AccountRequest {
  name: string;
  system: boolean;
  /** The shadow password field to set: `*` (no password, yet not locked for sshd) or a crypt hash. */
  password?: string;
}

export interface HostAccounts {
  files: AccountFiles;
  /** uid, primary gid and home of every account, the machine's and the added ones. */
  users: Map<string, { uid: number; gid: number; home: string }>;
  groups: Map<string, number>;
  /** Homes of the added login accounts, which the host must create. */
  newHomes: { path: string; owner: string }[];
}

function records(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => line.split(':'));
}

function firstFree(taken: Set<number>, from: number, to: number): number {
  for (let id = from; id <= to; id++) if (!taken.has(id)) return id;
  throw new Error(`no free id between ${from} and ${to}`);
}

const withNewline = (text: string) => (text === '' || text.endsWith('\n') ? text : `${text}\n`);

export function addAccounts(base: AccountFiles, requests: AccountRequest[]): HostAccounts {
  const users = new Map<string, { uid: number; gid: number; home: string }>();
  for (const [name, , uid, gid, , home] of records(base.passwd)) users.set(name!, { uid: Number(uid), gid: Number(gid), home: home ?? '/' });
  const groups = new Map<string, number>();
  for (const [name, , gid] of records(base.group)) groups.set(name!, Number(gid));
  let { passwd, group } = base;
  const shadowLines = base.shadow.split('\n').filter((line) => line !== '');
  const newHomes: { path: string; owner: string }[] = [];

  for (const request of requests) {
    if (!users.has(request.name)) {
      const taken = new Set([...[...users.values()].map((u) => u.uid), ...groups.values()]);
      const id = request.system ? firstFree(taken, 100, 999) : firstFree(taken, 1000, 59999);
      const home = request.system ? '/nonexistent' : `/home/${request.name}`;
      const shell = request.system ? '/usr/sbin/nologin' : '/bin/sh';
      passwd = `${withNewline(passwd)}${request.name}:x:${id}:${id}::${home}:${shell}\n`;
      users.set(request.name, { uid: id, gid: id, home });
      if (!request.system) newHomes.push({ path: home, owner: `${request.name}:${request.name}` });
    }
    if (!groups.has(request.name)) {
      group = `${withNewline(group)}${request.name}:x:${users.get(request.name)!.gid}:\n`;
      groups.set(request.name, users.get(request.name)!.gid);
    }
    const existing = shadowLines.findIndex((line) => line.startsWith(`${request.name}:`));
    if (existing < 0) shadowLines.push(`${request.name}:${request.password ?? '*'}:19000:0:99999:7:::`);
    else if (request.password !== undefined) {
      const fields = shadowLines[existing]!.split(':');
      fields[1] = request.password;
      shadowLines[existing] = fields.join(':');
    }
  }
  return { files: { passwd, group, shadow: `${shadowLines.join('\n')}\n` }, users, groups, newHomes };
}

/** `user` or `user:group` to numeric ids on this host. */
export function resolveOwner(owner: string, accounts: HostAccounts): { uid: number; gid: number } {
  const [userName, groupName] = owner.split(':');
  const user = accounts.users.get(userName!);
  if (!user) throw new Error(`owner ${owner}: the host has no user ${userName}`);
  if (groupName === undefined) return { uid: user.uid, gid: user.gid };
  const gid = accounts.groups.get(groupName);
  if (gid === undefined) throw new Error(`owner ${owner}: the host has no group ${groupName}`);
  return { uid: user.uid, gid };
}
