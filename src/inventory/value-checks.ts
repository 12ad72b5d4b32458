// Checks for the inventory values that end up on ssh and remote command lines. They are
// allow-lists rather than deny-lists: a value that passes can be passed along unquoted
// without being read as an option, a second argument or shell syntax.
//
// Each check returns what is wrong as a phrase to follow the value in a message
// (`address "a b" contains whitespace...`), or undefined when the value is fine.

import { isIPv4, isIPv6 } from 'node:net';

const MAX_HOST_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;
const MAX_USER_LENGTH = 32;
const MAX_CLUSTER_LENGTH = 63;

const WHITESPACE_OR_CONTROL = /[\s\p{Cc}]/u;
// "_" is not valid in DNS names, but it is common in /etc/hosts and Ansible inventories and
// harmless on a command line, so it is accepted.
const HOST_NAME_CHAR = /[A-Za-z0-9._-]/;
const IPV6_CHARS = /^[0-9A-Fa-f:.]+$/;
const LOOKS_LIKE_IPV4 = /^[0-9.]+$/;
const USER_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** A host name, IPv4 address or IPv6 address (without brackets or zone). */
export function hostProblem(value: string): string | undefined {
  if (value === '') return 'is empty';
  if (value.startsWith('-')) return 'starts with "-", which ssh would read as an option';
  if (WHITESPACE_OR_CONTROL.test(value)) return 'contains whitespace or a control character';
  if (value.includes(':')) {
    return IPV6_CHARS.test(value) && isIPv6(value) ? undefined : 'is not a valid IPv6 address (write it without brackets or zone, e.g. fd00:10::11)';
  }
  if (LOOKS_LIKE_IPV4.test(value)) {
    return isIPv4(value) ? undefined : 'looks like an IPv4 address but is not one (four numbers 0-255, no leading zeros)';
  }
  if (value.length > MAX_HOST_LENGTH) return `is longer than ${MAX_HOST_LENGTH} characters`;
  const bad = Array.from(value).find((ch) => !HOST_NAME_CHAR.test(ch));
  if (bad !== undefined) {
    return `contains ${JSON.stringify(bad)}, which is not allowed in a host name (letters, digits, ".", "-" and "_" are)`;
  }
  const labels = value.split('.');
  if (labels.some((label) => label === '')) return 'has an empty label (a leading, trailing or doubled ".")';
  if (labels.some((label) => label.length > MAX_LABEL_LENGTH)) {
    return `has a label (part between dots) longer than ${MAX_LABEL_LENGTH} characters`;
  }
  if (labels.some((label) => label.startsWith('-') || label.endsWith('-'))) {
    return 'has a label (part between dots) that starts or ends with "-"';
  }
  return undefined;
}

/** A remote login name, as POSIX and useradd accept it. */
export function userProblem(value: string): string | undefined {
  if (value === '') return 'is empty';
  if (value.length > MAX_USER_LENGTH) return `is longer than ${MAX_USER_LENGTH} characters`;
  if (!USER_NAME.test(value)) {
    return 'is not a valid user name (it must start with a letter or "_" and contain only letters, digits, "_", "." and "-")';
  }
  return undefined;
}

/** A cluster key: it names the cluster in every report and output file. */
export function clusterNameProblem(value: string): string | undefined {
  if (value === '') return 'is empty';
  if (value.length > MAX_CLUSTER_LENGTH) return `is longer than ${MAX_CLUSTER_LENGTH} characters`;
  if (!CLUSTER_NAME.test(value)) {
    return 'is not a valid cluster name (it must start with a letter or digit and contain only letters, digits, "_", "." and "-")';
  }
  return undefined;
}

export function isPort(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 65535;
}
