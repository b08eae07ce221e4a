// The engine the user named: the client's endpoint must be DOCKER_HOST's, read as Testcontainers
// reads it; a fallback to the default socket is told apart.
import { describe, expect, it } from 'vitest';
import { endpointMatches } from '../../../src/stack/engine.js';

describe('endpointMatches', () => {
  it('matches a unix socket by its path, and sees the fallback to /var/run/docker.sock', () => {
    expect(
      endpointMatches('unix:///run/user/1000/docker.sock', { socketPath: '/run/user/1000/docker.sock' }),
    ).toBe(true);
    expect(endpointMatches('unix:///tmp/dead.sock', { socketPath: '/var/run/docker.sock' })).toBe(false);
  });

  it('matches tcp by host and port', () => {
    expect(endpointMatches('tcp://docker:2375', { host: 'docker', port: '2375' })).toBe(true);
    expect(endpointMatches('tcp://docker:2375', { socketPath: '/var/run/docker.sock' })).toBe(false);
    expect(endpointMatches('tcp://10.0.0.5:2376', { host: '10.0.0.5', port: '2375' })).toBe(false);
  });
});
