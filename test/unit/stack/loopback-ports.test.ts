// Published ports go on one address: loopback for a local engine, the engine's own address for a
// remote one (dind in CI); never Docker's empty HostIp (every interface, IPv4 and IPv6).
import { describe, expect, it } from 'vitest';
import { bindOnly, isLoopbackHost, publishAddress } from '../../../src/stack/loopback-ports.js';

describe('bindOnly', () => {
  it('puts every binding on the one address, keeping its host port', () => {
    expect(
      bindOnly({ '8000/tcp': [{ HostPort: '0' }], '5432/tcp': [{ HostIp: '', HostPort: '15432' }] }),
    ).toEqual({
      '8000/tcp': [{ HostIp: '127.0.0.1', HostPort: '0' }],
      '5432/tcp': [{ HostIp: '127.0.0.1', HostPort: '15432' }],
    });
    expect(
      bindOnly({ '80/tcp': [{ HostPort: '0' }, { HostIp: '::', HostPort: '0' }] }, '172.18.0.2'),
    ).toEqual({
      '80/tcp': [{ HostIp: '172.18.0.2', HostPort: '0' }],
    });
  });
});

describe('where to publish', () => {
  it('loopback for a local engine', async () => {
    for (const host of ['localhost', '127.0.0.1', '::1', '[::1]']) {
      expect(isLoopbackHost(host)).toBe(true);
      expect(await publishAddress(host)).toBe('127.0.0.1');
    }
  });

  it('the address a remote engine is reached by, and loopback when that cannot be resolved', async () => {
    expect(isLoopbackHost('docker')).toBe(false);
    expect(await publishAddress('10.1.2.3')).toBe('10.1.2.3');
    expect(await publishAddress('no-such-engine.invalid')).toBe('127.0.0.1');
  });
});
