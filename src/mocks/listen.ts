// Binds a mock's HTTP server on its addresses: loopback for the harness and the user, and the
// Docker bridge gateway when containers must reach it — never every interface, where the machine's
// network would reach it too. The first address picks the port (0: any free one); the others
// listen on the same port and hand their connections to the same server. A taken or forbidden port
// is the user's to fix (another --port or mocks.<name>.port), so it becomes a UsageError.
import type { Server } from 'node:http';
import { type AddressInfo, createServer, type Server as NetServer } from 'node:net';
import { UsageError } from '../errors.js';

export interface Listening {
  port: number;
  /** Every socket it listens on, as the kernel reports it. */
  addresses: AddressInfo[];
  /** Closes the extra listeners (the main server is closed by its owner). */
  closeExtra(): Promise<void>;
}

export function listen(server: Server, host: string, port: number, name: string): Promise<number> {
  return bind(server, host, port, name).then(() => (server.address() as AddressInfo).port);
}

export async function listenOn(
  server: Server,
  hosts: string[],
  port: number,
  name: string,
): Promise<Listening> {
  const [first, ...others] = [...new Set(hosts)];
  const bound = await listen(server, first ?? '127.0.0.1', port, name);
  const extra: NetServer[] = [];
  const closeExtra = () =>
    Promise.all(extra.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))).then(() => {});
  try {
    for (const host of others) {
      const relay = createServer((socket) => server.emit('connection', socket));
      await bind(relay, host, bound, name);
      extra.push(relay);
    }
  } catch (error) {
    await closeExtra();
    await new Promise((resolve) => server.close(resolve));
    throw error;
  }
  return {
    port: bound,
    addresses: [server, ...extra].map((s) => s.address() as AddressInfo),
    closeExtra,
  };
}

function bind(server: Server | NetServer, host: string, port: number, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES' || error.code === 'EADDRNOTAVAIL') {
        const why =
          error.code === 'EADDRINUSE'
            ? 'is in use'
            : error.code === 'EACCES'
              ? 'is not allowed'
              : 'is not available';
        reject(
          new UsageError(`mock ${name}: port ${port} on ${host} ${why}`, {
            code: 'PORT_IN_USE',
            fix: 'choose another port (0 picks any free one) or stop what listens on it',
            cause: error,
          }),
        );
      } else reject(error);
    };
    server.once('error', onError);
    // A deep accept queue: a load generator opening 1,000 connections at once would otherwise
    // overflow Node's default (511) and see SYN retries, i.e. a second of latency that is not ours.
    server.listen({ port, host, backlog: 4096 }, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
