import type { VarsFile } from './ansible/vars-files.js';
import type { SshConfig } from './ssh-config-file.js';
import type { Env } from './ssh-tokens.js';

/** What an inventory reader takes from the machine it runs on; tests pass fixed values. */
export interface InventoryOptions {
  /** What `~` in identity file paths stands for; defaults to the current user's home. */
  homeDir?: string;
  /** Who to log in as where the inventory names no user; defaults to the local user name. */
  localUser?: string;
  /** OpenSSH client configuration: what it says about a host fills in what the inventory leaves out. */
  sshConfig?: SshConfig;
  /** Become root with sudo on hosts whose inventory does not say (--become, as `ansible -b`). */
  become?: boolean;
  /**
   * Who to log in as on hosts whose inventory names nobody (--user, as `ansible -u` and `ssh -l`):
   * above ssh_config's User, as ssh's command line is; jump hosts are not given it.
   */
  user?: string;
  /** group_vars/ and host_vars/ files beside an Ansible inventory (loadInventory finds them). */
  varsFiles?: VarsFile[];
  /** The environment ssh would see: SHELL for ProxyCommand, ${VAR} in ssh_config, IdentityAgent $VAR. Defaults to none. */
  env?: Env;
  /**
   * Where relative paths that ssh (and Ansible's ssh) would open are taken from: ssh_config's
   * IdentityFile and UserKnownHostsFile, ansible_ssh_private_key_file. Defaults to the current directory.
   */
  cwd?: string;
  /** This machine as ssh_config's Match and %-tokens see it; defaults to what the OS says. */
  machine?: { localHost: string; uid: number; localAddresses: string[] };
}
