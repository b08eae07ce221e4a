// The support images keep the contracts the stack relies on: smokestack/postgres:15 honours the
// official image's POSTGRES_* variables under @testcontainers/postgresql (password auth from any
// address, one "ready" line from the final server only), and smokestack/redis:7 answers on 6379.
import { connect } from 'node:net';
import { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import pg from 'pg';
import { GenericContainer, type StartedTestContainer, Wait } from 'testcontainers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dockerAvailable, imageExists } from '../../support/docker.js';
import { followLogs, type LogTail } from './log-tail.js';
import { POSTGRES_IMAGE, REDIS_IMAGE } from './sample-stack.js';

const ready = dockerAvailable && [POSTGRES_IMAGE, REDIS_IMAGE].every(imageExists);
if (!ready && !process.env.CI)
  console.warn(`[sample-app] image tests skipped: needs Docker, ${POSTGRES_IMAGE} and ${REDIS_IMAGE}`);

describe.skipIf(!ready && !process.env.CI)('support images', () => {
  const labels = { 'smokestack.run': 'test-sample-images' };
  let postgres: StartedPostgreSqlContainer;
  let postgresLog: LogTail;
  let redis: StartedTestContainer;

  beforeAll(async () => {
    [postgres, redis] = await Promise.all([
      new PostgreSqlContainer(POSTGRES_IMAGE)
        .withDatabase('catalog')
        .withUsername('reader')
        .withPassword('s3cret')
        .withLabels(labels)
        .start(),
      new GenericContainer(REDIS_IMAGE)
        .withExposedPorts(6379)
        .withLabels(labels)
        .withWaitStrategy(Wait.forLogMessage('Ready to accept connections'))
        .start(),
    ]);
    postgresLog = await followLogs(postgres);
  });

  afterAll(async () => {
    await Promise.all([postgres?.stop(), redis?.stop()]);
  });

  it('postgres: the user, password and database from the environment, over TCP', async () => {
    const client = new pg.Client({ connectionString: postgres.getConnectionUri() });
    await client.connect();
    try {
      const r = await client.query<{ db: string; usr: string; v: string }>(
        'SELECT current_database() AS db, current_user AS usr, current_setting($1) AS v',
        ['server_version_num'],
      );
      expect(r.rows[0]).toMatchObject({ db: 'catalog', usr: 'reader' });
      expect(Number(r.rows[0]?.v)).toBeGreaterThanOrEqual(150_000);
    } finally {
      await client.end();
    }
  });

  it('postgres: rejects a wrong password', async () => {
    const url = new URL(postgres.getConnectionUri());
    url.password = 'wrong';
    const client = new pg.Client({ connectionString: url.toString() });
    await expect(client.connect()).rejects.toThrow(/password authentication failed/);
  });

  it('postgres: "ready to accept connections" once, from the server listening on 0.0.0.0', async () => {
    await postgresLog.waitFor(/database system is ready to accept connections/, 5_000);
    const log = postgresLog.lines.join('\n');
    expect(log.match(/database system is ready to accept connections/g)).toHaveLength(1);
    expect(log).toMatch(/listening on IPv4 address "0\.0\.0\.0", port 5432/);
    expect(log.indexOf('init process complete')).toBeLessThan(log.indexOf('ready to accept connections'));
  });

  it('redis: answers PING on the mapped port', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(redis.getMappedPort(6379), '127.0.0.1', () => socket.write('PING\r\n'));
      socket.setTimeout(5_000, () => socket.destroy(new Error('no reply from redis')));
      socket.once('data', (d) => {
        resolve(d.toString());
        socket.end();
      });
      socket.once('error', reject);
    });
    expect(reply).toBe('+PONG\r\n');
  });
});
