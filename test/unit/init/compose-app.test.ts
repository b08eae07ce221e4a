// Which compose service init takes for the app, and what the compose file says about it.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCompose } from '../../../src/compose/index.js';
import { composeFacts, pickAppService } from '../../../src/init/compose-app.js';

const FIXTURE = path.resolve('test/fixtures/init/localmovies/docker-compose.yml');
const BOOKSHELF = path.resolve('docker/bookshelf/docker-compose.yml');

describe('pickAppService', () => {
  it('takes the web service: it publishes a port and has an HTTP healthcheck; names the other candidates', () => {
    const pick = pickAppService(loadCompose(FIXTURE, {}))!;
    expect(pick.app.name).toBe('web');
    expect(pick.why).toBe('ports 8080:8000, image localmovies:fixed, an HTTP healthcheck');
    // Redis publishes a port but backs the app; the profiled debug tool is off.
    expect(pick.others).toEqual(['admin']);
  });

  it('on the bookshelf sample: web, built from the file', () => {
    const pick = pickAppService(loadCompose(BOOKSHELF, {}))!;
    expect(pick.app.name).toBe('web');
    expect(pick.others).toEqual([]);
  });

  it('none when no service publishes a port', () => {
    const project = loadCompose(FIXTURE, {});
    project.services = project.services.map((s) => ({ ...s, ports: [], expose: [] }));
    expect(pickAppService(project)).toBeUndefined();
  });
});

describe('composeFacts', () => {
  it('reads the container port, the Postgres service, the healthcheck path and the one-shots', () => {
    const project = loadCompose(FIXTURE, {});
    const facts = composeFacts(project, pickAppService(project)!.app);
    expect(facts.port.value).toBe(8000);
    expect(facts.port.from).toContain('ports 8080:8000 of service web: the container port');
    expect(facts.postgres).toBe('service db (smokestack/postgres:15) in the compose file');
    expect(facts.ready).toEqual({
      path: '/healthz',
      from: 'the healthcheck of service web in the compose file',
    });
    expect(facts.oneShots).toEqual(['migrate']);
  });
});
