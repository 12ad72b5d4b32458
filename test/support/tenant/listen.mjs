// A listener the tenant hopes root's etcdctl connects to: every connection is logged, with its first bytes.
import { appendFileSync } from 'node:fs';
import { createServer } from 'node:net';

const [port, log] = process.argv.slice(2);
appendFileSync(log, '');
createServer((socket) => {
  appendFileSync(log, `connection from ${socket.remoteAddress}:${socket.remotePort}\n`);
  socket.once('data', (chunk) => appendFileSync(log, `first bytes: ${chunk.subarray(0, 16).toString('hex')}\n`));
  socket.on('error', () => {});
}).listen(Number(port), '127.0.0.1');
