// A login step as the two plain steps it runs (form GET with a token capture, form POST with the
// Referer Django's CSRF check wants), and how its answer is judged.
import { describe, expect, it } from 'vitest';
import { loginProblem, loginSteps } from '../../../src/load/login.js';
import type { FlowStep, LoginSpec } from '../../../src/scenario/types.js';

const login: LoginSpec = {
  path: '/accounts/login/',
  username: 'user{{copy}}',
  password: 'pw',
  fields: { next: '/books/' },
  sessionCookie: 'sessionid',
  status: [302, 303],
};
const step: FlowStep & { login: LoginSpec } = {
  name: 'login /accounts/login/',
  method: 'POST',
  path: login.path,
  headers: { 'X-Trace': 't' },
  follow: false,
  capture: {},
  login,
};

describe('loginSteps', () => {
  it('gets the form and captures its token, then posts the credentials with the token and a Referer', () => {
    const [form, submit] = loginSteps(step, new URL('http://127.0.0.1:9000/app/'));
    expect(form).toMatchObject({
      name: 'login /accounts/login/ (form)',
      method: 'GET',
      path: '/accounts/login/',
      expect: { status: [200] },
      capture: { _login_csrfmiddlewaretoken: { html: 'input[name=csrfmiddlewaretoken]', attr: 'value' } },
    });
    expect(submit).toMatchObject({
      name: 'login /accounts/login/',
      method: 'POST',
      headers: { Referer: 'http://127.0.0.1:9000/app/accounts/login/', 'X-Trace': 't' },
      form: {
        next: '/books/',
        username: 'user{{copy}}',
        password: 'pw',
        csrfmiddlewaretoken: '{{_login_csrfmiddlewaretoken}}',
      },
      expect: { status: [302, 303] },
    });
  });
});

describe('loginProblem', () => {
  it('accepts a redirect that sets the session cookie', () => {
    expect(
      loginProblem(login, {
        status: 302,
        setCookie: ['csrftoken=x; Path=/', 'sessionid=abc; HttpOnly; Path=/'],
      }),
    ).toBeUndefined();
  });

  it('names a form that came back', () => {
    expect(loginProblem(login, { status: 200, setCookie: undefined })).toBe(
      'login at /accounts/login/ did not succeed (the form came back: wrong username or password?)',
    );
  });

  it('names a redirect without the session cookie, and how to name another one', () => {
    expect(loginProblem(login, { status: 302, setCookie: 'csrftoken=x; Path=/' })).toBe(
      'login at /accounts/login/ answered 302 but set no sessionid cookie (if the app names its session cookie otherwise, set login.sessionCookie)',
    );
    expect(
      loginProblem({ ...login, sessionCookie: 'app_session' }, { status: 303, setCookie: 'app_session=1' }),
    ).toBeUndefined();
  });

  it('leaves other statuses to the ordinary status check', () => {
    expect(loginProblem(login, { status: 403, setCookie: undefined })).toBeUndefined();
  });
});
