// XML text and attribute escaping for junit.xml. Log lines and database values can hold any
// byte: characters XML 1.0 forbids (most control characters, lone surrogates) are dropped,
// because a single one makes the whole file unreadable to CI.
const FORBIDDEN = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const SPECIAL: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

export function xmlEscape(text: string): string {
  return text.replace(FORBIDDEN, '').replace(/[&<>"']/g, (c) => SPECIAL[c]!);
}

/** ` name="value"` pairs; undefined values are left out. */
export function xmlAttrs(attrs: Record<string, string | number | undefined>): string {
  let out = '';
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) out += ` ${k}="${xmlEscape(String(v))}"`;
  return out;
}
