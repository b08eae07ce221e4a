import { graphql, HttpResponse, http, passthrough } from 'msw';
import { describe, expect, it } from 'vitest';
import { createResolver, UNMATCHED } from '../../../src/mocks/resolve.js';

const ORIGIN = 'http://127.0.0.1:4000';

async function call(
  resolver: ReturnType<typeof createResolver>,
  method: string,
  pathAndQuery: string,
  init: RequestInit = {},
) {
  const pathname = pathAndQuery.split('?')[0] as string;
  const located = resolver.locate(method, pathname);
  let built = 0;
  const result = await resolver.resolve(located, {
    request: () => {
      built++;
      return new Request(`${located.origin ?? ORIGIN}${pathAndQuery}`, { method, ...init });
    },
    method,
    pathname,
    requestId: 'r1',
    baseUrl: ORIGIN,
  });
  return { ...result, built, body: result.response ? await result.response.text() : undefined };
}

describe('handler resolution', () => {
  it('answers from the first matching handler, with params, and names its route', async () => {
    const r = createResolver([
      http.get('/3/movie/popular', () => HttpResponse.text('popular')),
      http.get('/3/movie/:id', ({ params }) => HttpResponse.text(`movie ${params.id}`)),
    ]);
    expect(await call(r, 'GET', '/3/movie/popular?page=2')).toMatchObject({
      body: 'popular',
      route: '/3/movie/popular',
      key: 'get-3-movie-popular',
    });
    expect(await call(r, 'GET', '/3/movie/550')).toMatchObject({
      body: 'movie 550',
      route: '/3/movie/:id',
      key: 'get-3-movie-id',
    });
    const unmatched = { route: UNMATCHED, key: 'unmatched', built: 0, body: undefined };
    expect(await call(r, 'POST', '/3/movie/550')).toEqual(unmatched);
    expect(await call(r, 'GET', '/4/list')).toEqual(unmatched);
  });

  it('matches the path case-insensitively and with a trailing slash, as msw does', async () => {
    const r = createResolver([http.get('/hello', () => HttpResponse.text('hi'))]);
    expect((await call(r, 'GET', '/HELLO')).body).toBe('hi');
    expect((await call(r, 'GET', '/hello/')).body).toBe('hi');
  });

  it('serves handlers written for the real API origin on the mock origin', async () => {
    const r = createResolver([
      http.post('https://api.payments.example/v1/charges', async ({ request }) =>
        HttpResponse.json({
          url: request.url,
          amount: ((await request.json()) as { amount: number }).amount,
        }),
      ),
    ]);
    const res = await call(r, 'POST', '/v1/charges', { body: JSON.stringify({ amount: 42 }) });
    expect(res.route).toBe('/v1/charges');
    expect(JSON.parse(res.body ?? '')).toEqual({
      url: 'https://api.payments.example/v1/charges',
      amount: 42,
    });
  });

  it('builds the Request only when the handler reads it', async () => {
    const r = createResolver([
      http.get('/static', () => HttpResponse.text('no request needed')),
      http.get('/echo', ({ request }) => HttpResponse.text(new URL(request.url).search)),
    ]);
    expect((await call(r, 'GET', '/static')).built).toBe(0);
    expect(await call(r, 'GET', '/echo?x=1')).toMatchObject({ built: 1, body: '?x=1' });
  });

  it('falls through handlers that return nothing, and treats passthrough as no answer', async () => {
    const r = createResolver([
      http.get('/a', () => undefined),
      http.get('/a', () => passthrough()),
      http.get('/a', () => HttpResponse.text('third')),
      http.get('/b', () => passthrough()),
    ]);
    expect(await call(r, 'GET', '/a')).toMatchObject({ body: 'third', route: '/a' });
    expect(await call(r, 'GET', '/b')).toMatchObject({ route: '/b', body: undefined });
  });

  it('honours once, thrown responses, cookies and finalize', async () => {
    const cleaned: string[] = [];
    const r = createResolver([
      http.get('/once', () => HttpResponse.text('first'), { once: true }),
      http.get('/once', () => HttpResponse.text('later')),
      http.get('/denied', () => {
        throw HttpResponse.json({ error: 'no' }, { status: 401 });
      }),
      http.get('/cookies', ({ cookies, finalize }) => {
        finalize(() => {
          cleaned.push('done');
        });
        return HttpResponse.json(cookies);
      }),
    ]);
    expect((await call(r, 'GET', '/once')).body).toBe('first');
    expect((await call(r, 'GET', '/once')).body).toBe('later');
    const denied = await call(r, 'GET', '/denied');
    expect(denied.response?.status).toBe(401);
    const cookies = await call(r, 'GET', '/cookies', { headers: { cookie: 'a=1; b=x%20y' } });
    expect(JSON.parse(cookies.body ?? '')).toEqual({ a: '1', b: 'x y' });
    expect(cleaned).toEqual(['done']);
  });

  it('leaves generator resolvers, custom predicates and GraphQL to msw itself', async () => {
    const r = createResolver([
      http.get('/steps', function* () {
        yield HttpResponse.text('one');
        return HttpResponse.text('two');
      }),
      http.get(
        ({ request }) => new URL(request.url).pathname.startsWith('/custom'),
        () => HttpResponse.text('custom'),
      ),
      graphql.query('GetUser', () => HttpResponse.json({ data: { user: { id: 1 } } })),
    ]);
    expect((await call(r, 'GET', '/steps')).body).toBe('one');
    expect((await call(r, 'GET', '/steps')).body).toBe('two');
    expect((await call(r, 'GET', '/steps')).body).toBe('two');
    expect(await call(r, 'GET', '/custom/x')).toMatchObject({
      body: 'custom',
      route: 'GET [custom predicate]',
    });
    const gql = await call(r, 'POST', '/graphql', {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query GetUser { user { id } }' }),
    });
    expect(JSON.parse(gql.body ?? '')).toEqual({ data: { user: { id: 1 } } });
  });

  it('turns a resolver that returns a non-Response into an error naming the handler', async () => {
    const r = createResolver([http.get('/bad', (() => 42) as never)]);
    await expect(call(r, 'GET', '/bad')).rejects.toThrow(
      'the handler for GET /bad returned number, not a Response',
    );
  });
});
