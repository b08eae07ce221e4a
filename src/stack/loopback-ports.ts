// Published ports bind 127.0.0.1 and nothing else. Docker publishes a port with an empty HostIp on
// every interface, IPv4 and IPv6 (`0.0.0.0:33063->5432`, `[::]:33063`): the test database, with
// its well-known login, would be reachable from the machine's network. The harness only ever
// reaches its containers from this host, through loopback; IPv6 is not published at all.

export const LOOPBACK = '127.0.0.1';

type PortBindings = Record<string, { HostIp?: string; HostPort?: string }[]>;

/** Pure: the same bindings, each on 127.0.0.1; a port mapped on several addresses is mapped once. */
export function loopbackOnly(bindings: PortBindings | undefined): PortBindings {
  return Object.fromEntries(
    Object.entries(bindings ?? {}).map(([port, hosts]) => [
      port,
      [{ HostIp: LOOPBACK, HostPort: hosts[0]?.HostPort ?? '0' }],
    ]),
  );
}
