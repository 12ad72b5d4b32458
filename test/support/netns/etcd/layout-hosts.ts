import type { FileSpec, FleetPlan, HostSpec } from '../spec.js';
import type { Layout } from './layout.js';
import { readPair } from './pki.js';
import type { Pki } from './pki.js';
import { staticPodService } from './static-pod.js';
import { systemdService } from './systemd-unit.js';
import { renderTemplate } from './template.js';
import type { MemberContext } from './template.js';

// Turns a layout into the specs of its hosts: every file rendered for the member it goes to,
// certificates made for it, and its services read from the manifests and units it will have,
// the way the kubelet and systemd would read them.

export interface LayoutHost {
  layout: Layout;
  name: string;
  /** Position in the cluster's bootstrap order. */
  member: number;
  context: MemberContext;
  spec: HostSpec;
  /** Installed after the services started: the drift the layout describes. */
  driftFiles: FileSpec[];
}

function memberContexts(layout: Layout, plan: FleetPlan): MemberContext[] {
  const members = layout.hosts.map((name) => {
    const host = plan.hosts.find((h) => h.name === name);
    if (!host) throw new Error(`${layout.file}: host ${name} is not in the fleet plan`);
    return { name, ip: host.address };
  });
  const peers = members.map((m) => `${m.name}=https://${m.ip}:2380`);
  return members.map((m, i) => {
    const joined = layout.bootstrap === 'join' && i > 0;
    return {
      name: m.name,
      ip: m.ip,
      initialCluster: (layout.bootstrap === 'join' ? peers.slice(0, i + 1) : peers).join(','),
      initialClusterState: joined ? 'existing' : 'new',
      etcdServers: members.map((other) => `https://${other.ip}:2379`).join(','),
      joined,
    };
  });
}

async function certificateFiles(layout: Layout, context: MemberContext, pki: Pki): Promise<FileSpec[]> {
  const made = await Promise.all(
    layout.certificates.map(async (spec): Promise<FileSpec[]> => {
      const path = renderTemplate(spec.path, context, `${layout.file} certificate path`);
      const owner = spec.owner ?? 'root:root';
      if (spec.authority) {
        const { cert } = await readPair(await pki.authority(layout.cluster, spec.authority));
        return [{ path, content: cert, mode: 0o644, owner }];
      }
      const authority = await pki.authority(layout.cluster, spec.signedBy!);
      const leaf = await readPair(
        await pki.leaf(authority, { profile: spec.profile!, commonName: spec.commonName ?? context.name, hostName: context.name, ip: context.ip }),
      );
      return [
        { path, content: leaf.cert, mode: 0o644, owner },
        { path: renderTemplate(spec.key!, context, `${layout.file} key path`), content: leaf.key, mode: 0o600, owner },
      ];
    }),
  );
  return made.flat();
}

function layoutFiles(layout: Layout, context: MemberContext, pauseProgram: Buffer): { files: FileSpec[]; texts: Map<string, string> } {
  const files: FileSpec[] = [];
  const texts = new Map<string, string>();
  for (const file of layout.files) {
    const path = renderTemplate(file.path, context, `${layout.file} file path`);
    if ('directory' in file) files.push({ ...file, path });
    else if ('symlink' in file) files.push({ path, symlink: file.symlink });
    else if ('program' in file) files.push({ path, content: pauseProgram, mode: file.mode ?? 0o755 });
    else {
      const text = renderTemplate(file.text, context, `${layout.file} ${file.path}`);
      texts.set(path, text);
      files.push({ path, content: text, ...(file.mode === undefined ? {} : { mode: file.mode }), ...(file.owner ? { owner: file.owner } : {}) });
    }
  }
  return { files, texts };
}

function driftFiles(layout: Layout, files: FileSpec[], texts: Map<string, string>): FileSpec[] {
  return layout.drift.map((edit) => {
    const before = texts.get(edit.path);
    const original = files.find((f) => f.path === edit.path);
    if (before === undefined || !original || !('content' in original))
      throw new Error(`${layout.file}: drift edits ${edit.path}, which is not a text file of the layout`);
    if (before.split(edit.replace).length !== 2)
      throw new Error(`${layout.file}: drift text ${JSON.stringify(edit.replace)} must occur exactly once in ${edit.path}`);
    return { ...original, content: before.replace(edit.replace, edit.with) };
  });
}

export async function layoutHosts(layout: Layout, plan: FleetPlan, pki: Pki, pauseProgram: Buffer): Promise<LayoutHost[]> {
  return Promise.all(
    memberContexts(layout, plan).map(async (context, member): Promise<LayoutHost> => {
      const { files, texts } = layoutFiles(layout, context, pauseProgram);
      const services = layout.services.map((service) => {
        const path = service.staticPod ?? service.systemdUnit!;
        const text = texts.get(path);
        if (text === undefined) throw new Error(`${layout.file}: service ${service.name} is started from ${path}, which is not a text file of the layout`);
        return service.staticPod
          ? staticPodService(service.name, path, text, context.name)
          : systemdService(service.name, path, text, (p) => texts.get(p), [...texts.keys()]);
      });
      return {
        layout,
        name: context.name,
        member,
        context,
        spec: {
          name: context.name,
          accounts: layout.systemAccounts.map((name) => ({ name, system: true })),
          files: [...files, ...(await certificateFiles(layout, context, pki))],
          services,
        },
        driftFiles: driftFiles(layout, files, texts),
      };
    }),
  );
}
