// A daemon that accepts connections and never answers must not hang smokestack: checkEngine gives
// up after its timeout with NO_ENGINE and the fix. Own file: Testcontainers caches the first
// engine it finds per module instance, and DOCKER_HOST is read at that first probe.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InfraError } from '../../../src/errors.js';

const socketPath = path.join(os.tmpdir(), `smokestack-hung-engine-${process.pid}.sock`);
const sockets = new Set<net.Socket>();
const server = net.createServer((socket) => {
  // Accept, read, never reply.
  sockets.add(socket);
  socket.on('data', () => {});
  socket.on('error', () => {});
});
const savedHost = process.env.DOCKER_HOST;

describe('checkEngine against a daemon that never answers', () => {
  beforeAll(async () => {
    fs.rmSync(socketPath, { force: true });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    process.env.DOCKER_HOST = `unix://${socketPath}`;
  });

  afterAll(async () => {
    if (savedHost === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = savedHost;
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(socketPath, { force: true });
  });

  it('gives up after the timeout with NO_ENGINE and the fix', async () => {
    const { checkEngine } = await import('../../../src/stack/engine.js');
    const t0 = Date.now();
    const error = await checkEngine(1_500).then(
      () => undefined,
      (e: unknown) => e,
    );
    const ms = Date.now() - t0;
    expect(error).toBeInstanceOf(InfraError);
    expect(error).toMatchObject({
      code: 'NO_ENGINE',
      exitCode: 3,
      message: `DOCKER_HOST=unix://${socketPath}: no container engine answered within 1.5s`,
      fix: 'the engine DOCKER_HOST names accepts connections but does not answer: restart it, or correct or unset DOCKER_HOST',
    });
    expect(sockets.size).toBeGreaterThan(0);
    expect(ms).toBeGreaterThanOrEqual(1_400);
    expect(ms).toBeLessThan(5_000);
  });
});
