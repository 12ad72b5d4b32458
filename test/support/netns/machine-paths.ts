import { realpathSync } from 'node:fs';
import { ALWAYS_EXAMINED, ALWAYS_READ, PROBE_PICKS, RANCHER, UNIT_DIRS } from '../../../src/collect/host-paths.js';
import { OVERLAID_DIRECTORIES } from './staging.js';

// What a test host must not inherit from this machine: everything the probe reads, examines or
// lists at its fixed places (src/collect/host-paths.ts), the directories those live in, and the
// unit files it reads for the components it knows. A host sees the machine's /etc, /usr and /var
// through its overlays, so a machine with Debian's etcd package (/var/lib/etcd, its unit and
// defaults file) or a leftover /etc/kubernetes would otherwise leak into every verdict. Hidden
// first, before a host's own files are installed: what its spec installs is what it has.

const UNIT_NAMES = [
  'etcd.service',
  'etcd.service.d',
  'etcd@.service',
  'etcd-.service.d',
  'etcd2.service',
  'service.d',
  'k3s.service',
  'k3s.service.d',
  'k3s.service.env',
  'rke2-server.service',
  'rke2-server.service.d',
  'kube-apiserver.service',
  'multi-user.target.wants/etcd.service',
];

/** The directories whose whole content the probe's paths point into. */
const WHOLE_DIRECTORIES = [
  '/etc/kubernetes',
  '/etc/etcd',
  '/etc/ssl/etcd',
  '/var/lib/etcd',
  '/var/lib/kubelet',
  '/etc/init.d/etcd',
  ...Object.values(RANCHER).flatMap((p) => [p.dataDir, p.config.slice(0, p.config.lastIndexOf('/'))]),
];

// /lib is hidden with /usr/lib where /usr is merged; elsewhere it is not in any overlay (and a
// test host cannot have files there either).
const LIB_IS_USR_LIB = realpathSync('/lib') === '/usr/lib';

const everything = [
  ...new Set([
    ...WHOLE_DIRECTORIES,
    ...ALWAYS_READ,
    ...ALWAYS_EXAMINED,
    ...PROBE_PICKS.map((pick) => pick.dir),
    ...UNIT_DIRS.flatMap((dir) => UNIT_NAMES.map((name) => `${dir}/${name}`)),
  ]),
];

/** Each path once, none inside another: hiding a directory hides what it holds. */
export const MACHINE_PATHS_HIDDEN: readonly string[] = everything
  .filter((path) => OVERLAID_DIRECTORIES.some((dir) => path.startsWith(`${dir}/`)) || (path.startsWith('/lib/') && LIB_IS_USR_LIB))
  .filter((path) => !everything.some((other) => other !== path && path.startsWith(`${other}/`)));
