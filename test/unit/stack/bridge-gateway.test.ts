// Which host address the mocks add for containers: the bridge's gateway when the engine names it,
// else the first address of the bridge's subnet (what Docker assigns); IPv4 only.
import { describe, expect, it } from 'vitest';
import { gatewayOf } from '../../../src/stack/bridge-gateway.js';

describe('gatewayOf', () => {
  it('takes the gateway the engine names', () => {
    expect(gatewayOf([{ Subnet: '172.18.0.0/16', Gateway: '172.18.0.254' }])).toBe('172.18.0.254');
  });

  it('takes the first address of the subnet when only the subnet is listed', () => {
    expect(gatewayOf([{ Subnet: '172.17.0.0/16' }])).toBe('172.17.0.1');
    expect(gatewayOf([{ Subnet: '10.200.255.0/24' }])).toBe('10.200.255.1');
  });

  it('gives none for an IPv6-only or empty configuration', () => {
    expect(gatewayOf([{ Subnet: 'fd00::/64', Gateway: 'fd00::1' }])).toBeUndefined();
    expect(gatewayOf([])).toBeUndefined();
  });
});
