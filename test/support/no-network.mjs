// Loaded into every test process and every CLI the tests spawn (NODE_OPTIONS=--import):
// any TCP connection to an address other than loopback throws, so no test can reach a cloud
// metadata service (169.254.169.254) or the internet, even by mistake.
import net from 'node:net';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/i;
const originalConnect = net.Socket.prototype.connect;

function targetHost(args) {
  const first = args[0];
  if (Array.isArray(first)) return targetHost(first);
  if (first && typeof first === 'object') return first.path ? 'unix' : (first.host ?? 'localhost');
  if (typeof first === 'string' && Number.isNaN(Number(first))) return 'unix';
  return typeof args[1] === 'string' ? args[1] : 'localhost';
}

net.Socket.prototype.connect = function guardedConnect(...args) {
  const host = targetHost(args);
  if (host !== 'unix' && !LOOPBACK.test(host)) {
    const error = new Error(`test network guard: connection to non-loopback address ${host} refused`);
    error.code = 'ENETUNREACH';
    throw error;
  }
  return originalConnect.apply(this, args);
};
