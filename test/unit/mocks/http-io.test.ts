import { HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { bodySource, prepareCanned, prepareResponse } from '../../../src/mocks/http-io.js';

describe('response preparation', () => {
  it('reads string and byte bodies without the stream (the fast path this Node supports)', () => {
    expect(bodySource(new Response('plain'))).toBe('plain');
    expect(bodySource(HttpResponse.json({ a: 1 }))).toBe('{"a":1}');
    expect(bodySource(new Response(new Uint8Array([1, 2, 3])))).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('falls back to reading the stream for other bodies and for used ones', async () => {
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(new TextEncoder().encode('streamed'));
        c.close();
      },
    });
    expect(bodySource(new Response(stream))).toBeUndefined();
    const used = new Response('x');
    await used.text();
    expect(bodySource(used)).toBeUndefined();
    const p = prepareResponse(new Response(new Blob(['from a blob'])), 'GET');
    expect(p.body).toBeUndefined();
    expect(await new Response(p.stream).text()).toBe('from a blob');
  });

  it('keeps status, headers, multiple cookies and the byte length', async () => {
    const headers = new Headers({ 'x-one': '1', 'content-type': 'text/plain' });
    headers.append('set-cookie', 'a=1');
    headers.append('set-cookie', 'b=2');
    const p = prepareResponse(new Response('héllo', { status: 201, statusText: 'Made', headers }), 'GET');
    expect(p).toMatchObject({ status: 201, statusText: 'Made', body: 'héllo' });
    expect(p.headers).toMatchObject({ 'x-one': '1', 'set-cookie': ['a=1', 'b=2'], 'content-length': 6 });
  });

  it('sends no body for HEAD', async () => {
    expect(prepareResponse(new Response('x'), 'HEAD').body).toBeUndefined();
  });

  it('writes canned fault answers as JSON with extra headers', () => {
    const p = prepareCanned({ status: 429, body: { e: 'é' } }, { 'retry-after': '1' });
    expect(p).toMatchObject({ status: 429, body: '{"e":"é"}' });
    expect(p.headers).toMatchObject({ 'retry-after': '1', 'content-length': 10 });
  });
});
