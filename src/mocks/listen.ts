// Binds a mock's HTTP server. A taken or forbidden port is the user's to fix (another --port or
// mocks.<name>.port), so it becomes a UsageError rather than a stack trace.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../errors.js';

export function listen(server: Server, host: string, port: number, name: string): Promise<number> {
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
      resolve((server.address() as AddressInfo).port);
    });
  });
}
