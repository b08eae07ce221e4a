// A login step, as the two requests a browser makes on a Django-style login page, built from the
// ordinary pieces of a flow: GET the form and capture its csrfmiddlewaretoken (the csrftoken cookie
// lands in the copy's jar), then POST the credentials and the token as a form, with the Referer
// Django's CSRF check demands over HTTPS. Success is a redirect that sets the session cookie; the
// form coming back (200) means the credentials were refused.
import type { FlowStep, LoginSpec } from '../scenario/types.js';

/** The variable the form's token is captured into (not a name a scenario can capture: it starts with _login). */
const TOKEN = '_login_csrfmiddlewaretoken';

/** Why the page at a login's path is no login form (its token capture found nothing). */
export function noLoginForm(login: LoginSpec): string {
  return `login at ${login.path}: the page has no csrfmiddlewaretoken field (is it the login form?)`;
}

/** The endpoint name of the form request, beside the step's own name (the submit). */
export function loginFormName(step: FlowStep): string {
  return `${step.name} (form)`;
}

/** The two plain steps a login step is made of. `target` is the base URL (origin and path prefix). */
export function loginSteps(step: FlowStep & { login: LoginSpec }, target: URL): [FlowStep, FlowStep] {
  const { login } = step;
  const prefix = target.pathname.replace(/\/+$/, '');
  const form: FlowStep = {
    name: loginFormName(step),
    method: 'GET',
    path: login.path,
    headers: step.headers,
    follow: false,
    expect: { status: [200] },
    capture: { [TOKEN]: { html: 'input[name=csrfmiddlewaretoken]', attr: 'value' } },
  };
  const submit: FlowStep = {
    name: step.name,
    method: 'POST',
    path: login.path,
    headers: { Referer: `${target.origin}${prefix}${login.path}`, ...step.headers },
    form: {
      ...login.fields,
      username: login.username,
      password: login.password,
      csrfmiddlewaretoken: `{{${TOKEN}}}`,
    },
    follow: false,
    expect: { status: login.status },
    capture: {},
  };
  return [form, submit];
}

/** Why a submit's answer is not a successful login, or undefined when it is. */
export function loginProblem(
  login: LoginSpec,
  res: { status: number; setCookie: string | string[] | undefined },
): string | undefined {
  if (res.status === 200 && !login.status.includes(200))
    return `login at ${login.path} did not succeed (the form came back: wrong username or password?)`;
  if (!login.status.includes(res.status)) return undefined; // the ordinary status check says it
  const set = [res.setCookie ?? []].flat().map((c) => c.slice(0, c.indexOf('=')).trim());
  if (!set.includes(login.sessionCookie))
    return `login at ${login.path} answered ${res.status} but set no ${login.sessionCookie} cookie (if the app names its session cookie otherwise, set login.sessionCookie)`;
  return undefined;
}
