// Which compose service is the stack's Postgres (the checks query it) and its login.
import { describe, expect, it } from 'vitest';
import { isPostgresService, postgresLogin } from '../../../src/compose/index.js';
import type { ComposeService } from '../../../src/compose/types.js';

const service = (s: Partial<ComposeService>): ComposeService => ({
  name: 's',
  env: {},
  ports: [],
  expose: [],
  dependsOn: [],
  volumes: [],
  profiles: [],
  ...s,
});

describe('isPostgresService', () => {
  it('by image name, or by POSTGRES_* env when it is not a client of one', () => {
    expect(isPostgresService(service({ image: 'postgres:16-alpine' }))).toBe(true);
    expect(isPostgresService(service({ image: 'registry.example/postgis/postgis:16-3.4' }))).toBe(true);
    expect(isPostgresService(service({ image: 'mydb:1', env: { POSTGRES_DB: 'app' } }))).toBe(true);
    expect(
      isPostgresService(service({ image: 'myapp:1', env: { POSTGRES_HOST: 'db', POSTGRES_PASSWORD: 'x' } })),
    ).toBe(false);
    expect(
      isPostgresService(
        service({ image: 'myapp:1', env: { DATABASE_URL: 'postgres://db/app', POSTGRES_DB: 'a' } }),
      ),
    ).toBe(false);
    expect(isPostgresService(service({ image: 'postgresql-exporter:1' }))).toBe(false);
  });

  it("the login is what the image's entrypoint creates: user postgres and a database named after the user by default", () => {
    expect(postgresLogin(service({ env: { POSTGRES_PASSWORD: 'pw' } }))).toEqual({
      user: 'postgres',
      password: 'pw',
      database: 'postgres',
    });
    expect(postgresLogin(service({ env: { POSTGRES_USER: 'u', POSTGRES_PASSWORD: 'p' } })).database).toBe(
      'u',
    );
  });
});
