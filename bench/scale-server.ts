// A fleet of N fake hosts served by this separate process (ssh2's Server on loopback), each
// answering the probe for a realistic kubeadm control-plane node after an artificial delay that
// stands for network and host time. Prints one JSON line on stdout when it listens:
// { hosts: [{ name, address, port }], knownHosts, clientPrivateKey, user }, then serves until killed.
import { loadFixture } from '../src/demo/fixtures.js';
import { startFleet } from '../src/demo/ssh-fleet.js';

const [hostsArg = '1000', delayArg = '50', fixtureArg = 'kubeadm-stacked-3of3'] = process.argv.slice(2);
const count = Number(hostsArg);
const delayMs = Number(delayArg);
const fixture = await loadFixture(fixtureArg);
const fleet = await startFleet(
  Array.from({ length: count }, (_, i) => ({ name: `node${String(i + 1).padStart(5, '0')}`, behaviour: { kind: 'fixture' as const, fixture }, delayMs })),
  { sharedHostKey: true },
);
process.stdout.write(`${JSON.stringify({ hosts: fleet.hosts, knownHosts: fleet.knownHosts, clientPrivateKey: fleet.clientPrivateKey, user: fleet.user })}\n`);
const stop = () => void fleet.stop().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
