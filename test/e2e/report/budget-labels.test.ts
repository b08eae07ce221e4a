// The timeout budget's bar in a real headless Chromium: its labels (warn, critical, T and the
// slowest request) never overlap one another nor leave the card, at a desktop and a phone width,
// whether the slowest request ran far past T (5 × T) or just under it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReports } from '../../../src/report/write-reports.js';
import type { RunResult } from '../../../src/result/types.js';
import { CHROMIUM, haveBrowser, launchChromium } from '../../support/browser.js';
import { sampleResult } from '../../unit/report/fixtures.js';

if (!haveBrowser && !process.env.CI)
  console.warn(`[e2e/report] skipped: ${CHROMIUM} is missing; install it with \`bash scripts/browser.sh\``);

/** The sample run (T = 30 s) with its slowest request at `share` of T. */
function slowestAt(share: number): RunResult {
  const r = sampleResult();
  const slowest = 30_000 * share;
  for (const e of r.requests.byEndpoint) e.latencyMs.max = Math.min(e.latencyMs.max, slowest);
  for (const f of r.flagged) f.latencyMs = Math.min(f.latencyMs, slowest);
  for (const row of r.timeline) row.max = Math.min(row.max, slowest);
  r.requests.byEndpoint[0]!.latencyMs.max = slowest;
  return r;
}

interface Box {
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const overlap = (a: Box, b: Box) =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

describe.skipIf(!haveBrowser && !process.env.CI)('the budget bar in Chromium', () => {
  let browser: Browser;
  const urls: Record<string, string> = {};

  beforeAll(async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'smokestack-budget-'));
    for (const [name, share] of [
      ['far above T', 5],
      ['just under T', 0.97],
    ] as const) {
      const written = await writeReports(slowestAt(share), {
        dir: path.join(root, name.replaceAll(' ', '-')),
      });
      urls[name] = pathToFileURL(path.join(written.dir, 'index.html')).href;
    }
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  for (const width of [1280, 420])
    for (const name of ['far above T', 'just under T'])
      it(`slowest ${name}, ${width} px wide: no two labels overlap, none leaves the card`, async () => {
        const context = await browser.newContext({ viewport: { width, height: 900 } });
        const page = await context.newPage();
        await page.goto(urls[name]!, { waitUntil: 'load' });
        const { labels, card } = await page.evaluate(() => {
          const box = (el: Element) => {
            const r = el.getBoundingClientRect();
            return { text: el.textContent ?? '', left: r.left, right: r.right, top: r.top, bottom: r.bottom };
          };
          return {
            labels: Array.from(
              document.querySelectorAll('#budget .gauge .tick span, #budget .gauge .needle-label'),
            ).map(box),
            card: box(document.querySelector('#budget')!),
          };
        });
        await context.close();
        expect(labels.map((l) => l.text.split(' ')[0])).toEqual(
          expect.arrayContaining(['warn', 'critical', 'T', expect.stringMatching(/slowest|→/)]),
        );
        expect(labels).toHaveLength(4);
        for (const [i, a] of labels.entries())
          for (const b of labels.slice(i + 1))
            expect(overlap(a, b), `"${a.text}" and "${b.text}" overlap at ${width} px`).toBe(false);
        for (const l of labels) {
          expect(l.left, `"${l.text}" leaves the card on the left`).toBeGreaterThanOrEqual(card.left);
          expect(l.right, `"${l.text}" leaves the card on the right`).toBeLessThanOrEqual(card.right);
        }
      });
});
