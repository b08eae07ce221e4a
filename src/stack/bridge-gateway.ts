// Where host-side mocks listen so that containers reach them and the machine's network does not:
// the Docker bridge gateway (172.17.0.1 on a default engine). Containers reach the host as
// host.docker.internal, which Docker's `host-gateway` resolves to the default bridge's address,
// and that address exists only on this host and its bridge. Binding it rather than 0.0.0.0 keeps
// the mocks off every other interface.
//
// Where the gateway is not an address of this machine (Docker Desktop's VM, a remote engine) there
// is nothing to bind: the mocks stay on loopback, which is where Docker Desktop forwards
// host.docker.internal.
import { createServer } from 'node:net';
import createDebug from 'debug';
import type { Docker } from './docker-ops.js';

const debug = createDebug('smokestack:stack');

/** This host's address on the default bridge when there is one; undefined otherwise. */
export async function bridgeGateway(docker: Docker): Promise<string | undefined> {
  try {
    const bridge = (await docker.getNetwork('bridge').inspect()) as {
      IPAM?: { Config?: { Subnet?: string; Gateway?: string }[] };
    };
    const candidate = gatewayOf(bridge.IPAM?.Config ?? []);
    // Local or not is what a bind says: Node's interface list omits a bridge with no container
    // attached (docker0 is then NO-CARRIER), yet its address can be bound and reached.
    return candidate && (await canBind(candidate)) ? candidate : undefined;
  } catch (error) {
    debug('no default bridge gateway: %s', error);
    return undefined;
  }
}

/**
 * Pure: the bridge's gateway as the engine names it, else the first address of its subnet (what
 * Docker assigns; the engine often lists only `{"Subnet":"172.17.0.0/16"}`). IPv4 only.
 */
export function gatewayOf(config: { Subnet?: string; Gateway?: string }[]): string | undefined {
  for (const { Gateway, Subnet } of config) {
    if (Gateway && ipv4(Gateway) !== undefined) return Gateway;
    const [base, bits] = (Subnet ?? '').split('/');
    const network = ipv4(base ?? '');
    if (network !== undefined && Number(bits) < 31) return formatIpv4(network + 1);
  }
  return undefined;
}

function canBind(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(0, address, () => probe.close(() => resolve(true)));
  });
}

function ipv4(text: string): number | undefined {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + p, 0);
}

function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}
