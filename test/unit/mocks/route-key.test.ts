import { graphql, HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { handlerInfo, routeTable } from '../../../src/mocks/route-key.js';

const ok = () => HttpResponse.text('ok');
const table = (handlers: Parameters<typeof handlerInfo>[0][]) => routeTable(handlers.map(handlerInfo));

describe('route keys', () => {
  it('are the method and the path pattern in lower case, every other run of characters one dash', () => {
    expect(
      table([
        http.get('/3/movie/:id', ok),
        http.get('/isbn/:isbn.json', ok),
        http.post('https://api.stripe.example/v1/charges', ok),
        http.get('/', ok),
        http.all('*', ok),
      ]),
    ).toEqual([
      { key: 'get-3-movie-id', method: 'GET', route: '/3/movie/:id' },
      { key: 'get-isbn-isbn-json', method: 'GET', route: '/isbn/:isbn.json' },
      { key: 'post-v1-charges', method: 'POST', route: '/v1/charges' },
      { key: 'get-root', method: 'GET', route: '/' },
      { key: 'any-any', method: 'ANY', route: '*' },
    ]);
  });

  it('never name two handlers: a repeated key gets -2, -3 in handler order', () => {
    const keys = table([
      http.get('/things/:id', ok),
      http.get('/things/id', ok),
      http.get('/things/:id', ok, { once: true }),
    ]).map((r) => r.key);
    expect(keys).toEqual(['get-things-id', 'get-things-id-2', 'get-things-id-3']);
  });

  it('read RegExp paths and handlers that are not plain HTTP from what they say of themselves', () => {
    const [regex, query] = table([
      http.get(/^\/v2\/items\/\d+$/, ok),
      graphql.query('GetUser', () => HttpResponse.json({ data: {} })),
    ]);
    expect(regex).toMatchObject({ key: 'get-v2-items-d', method: 'GET' });
    expect(query?.key).toBe('query-getuser-origin-any');
    expect(query?.method).toBeUndefined();
  });

  it('give the same table from what a worker sends (msw’s header, method and path, cloned)', () => {
    const handlers = [http.get(/^\/x$/, ok), http.all('/y', ok), http.post('https://pay.example/v1/c', ok)];
    const sent = handlers.map((h) => {
      const { header, method, path } = h.info as { header: string; method: unknown; path: unknown };
      return structuredClone({ header, method, path });
    });
    expect(routeTable(sent.map((info) => handlerInfo({ info })))).toEqual(table(handlers));
  });
});
