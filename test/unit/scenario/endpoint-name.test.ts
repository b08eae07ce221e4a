// An endpoint's default name is its method and path with each template written as a route
// parameter (`GET /movies/:id/`), never as template text (`GET /movies/{{pick tmdb.ids}}/`),
// in the reports, the console and result.json's endpoint names and histogram keys.
import { describe, expect, it } from 'vitest';
import { endpointName, pathPattern } from '../../../src/scenario/endpoint-name.js';
import { parseScenario } from '../../../src/scenario/load-scenario.js';

describe('pathPattern', () => {
  it('names a template in the path from its value path, or its keyword', () => {
    expect(pathPattern('/movies/{{pick tmdb.ids}}/')).toBe('/movies/:id/');
    expect(pathPattern('/books/{{pick books.isbns}}/authors/{{pick authors.keys}}')).toBe(
      '/books/:isbn/authors/:key',
    );
    expect(pathPattern('/api/import/{{job}}')).toBe('/api/import/:job');
    expect(pathPattern('/api/import/{{ job }}')).toBe('/api/import/:job');
    expect(pathPattern('/pages/{{tmdb.pages}}')).toBe('/pages/:pages');
    expect(pathPattern('/items/{{pick mocks.my-api.entries}}')).toBe('/items/:entry');
    expect(pathPattern('/notes/{{seq}}')).toBe('/notes/:seq');
    expect(pathPattern('/u/{{uuid}}/c/{{copy}}')).toBe('/u/:uuid/c/:copy');
    expect(pathPattern('/r/{{random 1 50}}')).toBe('/r/:random');
    expect(pathPattern('/books/isbn-{{seq}}')).toBe('/books/isbn-:seq');
    expect(pathPattern('/healthz')).toBe('/healthz');
  });

  it('names a query value that is a template after its parameter; static parts stay', () => {
    expect(pathPattern('/api/movies?page={{random 1 50}}')).toBe('/api/movies?page=:page');
    expect(pathPattern('/echo?id={{pick tmdb.ids}}&format=json')).toBe('/echo?id=:id&format=json');
    expect(pathPattern('/search?q=title-{{seq}}')).toBe('/search?q=title-:seq');
    expect(pathPattern('/notes/?came-from={{next}}')).toBe('/notes/?came-from=:came-from');
    expect(pathPattern('/fast?i={{seq}}')).toBe('/fast?i=:i');
  });

  it('endpointName is the method and the pattern', () => {
    expect(endpointName('GET', '/movies/{{pick tmdb.ids}}/')).toBe('GET /movies/:id/');
  });
});

describe('derived names in a parsed scenario', () => {
  const text = `
name: names
mocks: { tmdb: { movies: 100 } }
load:
  - name: browse
    duration: 10s
    requests:
      - { path: "/api/movies?page={{random 1 5}}" }
      - { method: POST, path: "/movies/{{pick tmdb.ids}}/" }
      - { name: detail, path: "/api/movies/{{pick tmdb.ids}}" }
flows:
  - name: import
    steps:
      - { method: POST, path: "/api/import", capture: { job: id } }
      - { path: "/api/import/{{job}}" }
      - login: { path: "/accounts/{{seq}}/login/", username: u, password: p }
budgets:
  endpoints: { "POST /movies/:id/": { p99: 2s } }
`;

  it('requests and flow steps without name: get the pattern; an explicit name stays', () => {
    const s = parseScenario(text, 'names.yaml');
    expect(s.load[0]!.requests.map((r) => [r.name, r.path])).toEqual([
      ['GET /api/movies?page=:page', '/api/movies?page={{random 1 5}}'],
      ['POST /movies/:id/', '/movies/{{pick tmdb.ids}}/'],
      ['detail', '/api/movies/{{pick tmdb.ids}}'],
    ]);
    expect(s.flows[0]!.steps.map((st) => st.name)).toEqual([
      'POST /api/import',
      'GET /api/import/:job',
      'login /accounts/:seq/login/',
    ]);
  });

  it('a budget names the endpoint by the derived name, and the template text is no name', () => {
    expect(parseScenario(text, 'names.yaml').budgets.endpoints).toHaveProperty(['POST /movies/:id/']);
    const raw = text.replace('"POST /movies/:id/"', '"POST /movies/{{pick tmdb.ids}}/"');
    expect(() => parseScenario(raw, 'names.yaml')).toThrow(
      /budgets\.endpoints\["POST \/movies\/\{\{pick tmdb\.ids\}\}\/"\]: no endpoint, phase or flow is named .*; did you mean "POST \/movies\/:id\/"\?/,
    );
  });
});
