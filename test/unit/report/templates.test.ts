// Guards on the templates themselves: the only raw (`<%-`) inserts are includes, our own
// assets and the JSON slot; everything else goes through ejs's escaping.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { syntheticResult } from '../../../bench/report.js';
import { FLAGGED_VISIBLE_ROWS } from '../../../src/report/html-view.js';
import { renderHtml } from '../../../src/report/render-html.js';

const dir = fileURLToPath(new URL('../../../src/report/templates/', import.meta.url));
const templates = [
  path.join(dir, 'report.ejs'),
  ...readdirSync(path.join(dir, 'partials')).map((f) => path.join(dir, 'partials', f)),
];

describe('report templates', () => {
  it('print nothing raw but includes, the inlined assets and the escaped JSON slot', () => {
    const allowed = [
      /^include\('partials\/[a-z-]+\.ejs', v\)$/,
      /^v\.assets\.(css|uplotCss|uplotJs|clientJs)$/,
      /^v\.dataJson$/,
    ];
    const raw: string[] = [];
    for (const file of templates) {
      for (const m of readFileSync(file, 'utf8').matchAll(/<%-\s*([\s\S]*?)\s*-?%>/g)) {
        if (!allowed.some((re) => re.test(m[1]!))) raw.push(`${path.basename(file)}: ${m[1]}`);
      }
    }
    expect(raw).toEqual([]);
  });

  it('fold flagged rows beyond the first few hundred (all rendered, the rest hidden until asked)', async () => {
    const html = await renderHtml(
      syntheticResult({ requests: 10_000, flaggedCap: FLAGGED_VISIBLE_ROWS + 100 }),
    );
    expect(html.match(/<tr data-level=/g)).toHaveLength(FLAGGED_VISIBLE_ROWS + 100);
    expect(html.match(/<tr data-level="\w+" class="more">/g)).toHaveLength(100);
    expect(html).toContain('id="flagged-all"');
  });
});
