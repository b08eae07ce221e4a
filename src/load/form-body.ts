// A form body as browsers send it (application/x-www-form-urlencoded, the WHATWG encoding:
// spaces as +, everything else outside [A-Za-z0-9*-._] percent-encoded as UTF-8), which is what
// Django's request.POST parses. URLSearchParams is that encoder; no library is needed.
export const FORM_TYPE = 'application/x-www-form-urlencoded';

export function formBody(fields: Iterable<readonly [string, string]>): string {
  return new URLSearchParams([...fields].map(([k, v]) => [k, v])).toString();
}
