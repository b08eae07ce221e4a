// Captures from a response: JSON path, header, cookie, regex (first group), CSS selector (attribute
// or text), and the words of what was looked for when nothing is found.
import { describe, expect, it } from 'vitest';
import {
  type CapturedResponse,
  capture,
  checkRegex,
  checkSelector,
  describeCapture,
} from '../../../src/load/captures.js';

const loginPage = `<!doctype html><title>Log in</title>
<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="tok&amp;en-1">
<input name="username"><h1>  Welcome  <b>back</b> </h1></form>`;

const res = (over: Partial<CapturedResponse> = {}): CapturedResponse => ({
  headers: { location: '/notes/', 'set-cookie': ['a=1; Path=/', 'b=2; Path=/'] },
  text: loginPage,
  cookie: (name) => ({ csrftoken: 'c-123' })[name],
  ...over,
});

describe('capture', () => {
  it('reads a JSON path', () => {
    expect(capture({ json: 'job.id' }, res({ text: '{"job":{"id":7}}' }))).toEqual({ ok: true, value: 7 });
    expect(capture({ json: 'job.nope' }, res({ text: '{"job":{}}' }))).toEqual({
      ok: false,
      problem: 'the response has no field job.nope',
    });
    expect(capture({ json: 'id' }, res())).toEqual({
      ok: false,
      problem: 'expected a JSON response with a field id',
    });
  });

  it('reads a header by any case, the first of repeated ones', () => {
    expect(capture({ header: 'Location' }, res())).toEqual({ ok: true, value: '/notes/' });
    expect(capture({ header: 'Set-Cookie' }, res())).toEqual({ ok: true, value: 'a=1; Path=/' });
    expect(capture({ header: 'X-Nope' }, res())).toEqual({
      ok: false,
      problem: 'the response has no header X-Nope',
    });
  });

  it('reads a cookie of the jar', () => {
    expect(capture({ cookie: 'csrftoken' }, res())).toEqual({ ok: true, value: 'c-123' });
    expect(capture({ cookie: 'sessionid' }, res())).toEqual({
      ok: false,
      problem: 'no cookie sessionid was set (by this response or before)',
    });
  });

  it('reads the first group of a regex, or the whole match without groups', () => {
    expect(capture({ regex: 'name="csrfmiddlewaretoken" value="([^"]+)"' }, res())).toEqual({
      ok: true,
      value: 'tok&amp;en-1',
    });
    expect(capture({ regex: 'tok\\S+?-\\d' }, res())).toEqual({ ok: true, value: 'tok&amp;en-1' });
    expect(capture({ regex: 'nope=(\\d+)' }, res())).toEqual({
      ok: false,
      problem: 'nothing in the body matches /nope=(\\d+)/',
    });
  });

  it('reads an attribute (entities decoded) or the text of the first element a selector matches', () => {
    expect(capture({ html: 'input[name=csrfmiddlewaretoken]', attr: 'value' }, res())).toEqual({
      ok: true,
      value: 'tok&en-1',
    });
    expect(capture({ html: 'form h1' }, res())).toEqual({ ok: true, value: 'Welcome  back' });
    expect(capture({ html: 'input[name=missing]', attr: 'value' }, res())).toEqual({
      ok: false,
      problem: 'no element in the body matches input[name=missing]',
    });
    expect(capture({ html: 'input[name=username]', attr: 'value' }, res())).toEqual({
      ok: false,
      problem: 'input[name=username] has no attribute value',
    });
  });

  it('describes each source as the scenario writes it', () => {
    expect(describeCapture({ json: 'id' })).toBe('id');
    expect(describeCapture({ header: 'Location' })).toBe('{ header: "Location" }');
    expect(describeCapture({ html: 'input[name=x]', attr: 'value' })).toBe(
      '{ html: "input[name=x]", attr: value }',
    );
  });

  it('checks regexes and selectors before anything runs', () => {
    expect(checkRegex('value="([^"]+)"')).toBeUndefined();
    expect(checkRegex('value="([^"]+"')).toMatch(/^not a regular expression: /);
    expect(checkSelector('input[name=csrfmiddlewaretoken]')).toBeUndefined();
    expect(checkSelector('input[[name')).toMatch(/^not a CSS selector: /);
  });
});
