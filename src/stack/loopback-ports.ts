// Published ports bind one address, never all interfaces. Docker publishes a port with an empty
// HostIp on every interface, IPv4 and IPv6 (`0.0.0.0:33063->5432`, `[::]:33063`): the test
// database, with its well-known login, would be reachable from the machine's network. A local
// engine publishes on 127.0.0.1 only; IPv6 is not published at all. A remote engine (DOCKER_HOST
// tcp://docker:2375 in CI, with TESTCONTAINERS_HOST_OVERRIDE) publishes on the one address the
// harness reaches it by, and on no other of that host's interfaces.
import { lookup } from 'node:dns/promises';

export const LOOPBACK = '127.0.0.1';

type PortBindings = Record<string, { HostIp?: string; HostPort?: string }[]>;

/** Pure: the same bindings, each on `address` alone; a port mapped on several addresses is mapped once. */
export function bindOnly(bindings: PortBindings | undefined, address: string = LOOPBACK): PortBindings {
  return Object.fromEntries(
    Object.entries(bindings ?? {}).map(([port, hosts]) => [
      port,
      [{ HostIp: address, HostPort: hosts[0]?.HostPort ?? '0' }],
    ]),
  );
}

/** Pure: a name or address that means this machine's loopback. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** Where to publish, given the host Testcontainers reaches mapped ports on. */
export async function publishAddress(runtimeHost: string): Promise<string> {
  if (isLoopbackHost(runtimeHost)) return LOOPBACK;
  if (/^\d+\.\d+\.\d+\.\d+$/.test(runtimeHost)) return runtimeHost;
  try {
    return (await lookup(runtimeHost, { family: 4 })).address;
  } catch {
    // Unresolvable here: the engine cannot be reached by it either; loopback publishes nothing wider.
    return LOOPBACK;
  }
}
