// The HTML report in a real headless Chromium, opened from file:// as a CI artifact would be:
// no console errors, no network request but the file itself, charts drawn, the killed import
// listed with its WORKER TIMEOUT line, sorting and filtering, readable without JavaScript, and
// hostile text inert. Saves reports/screenshots/report.png (a CI artifact).
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticResult } from '../../../bench/report.js';
import { newPhaseAccount } from '../../../src/load/phase-account.js';
import { writeReports } from '../../../src/report/write-reports.js';
import { CHROMIUM, haveBrowser, launchChromium } from '../../support/browser.js';
import { hostileResult, sampleResult, XSS } from '../../unit/report/fixtures.js';

if (!haveBrowser && !process.env.CI)
  console.warn(`[e2e/report] skipped: ${CHROMIUM} is missing; install it with \`bash scripts/browser.sh\``);

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const SCREENSHOT = path.join(repoRoot, 'reports', 'screenshots', 'report.png');

describe.skipIf(!haveBrowser && !process.env.CI)('HTML report in Chromium', () => {
  let browser: Browser;
  let sampleUrl: string;
  let hostileUrl: string;
  let longUrl: string;

  beforeAll(async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'smokestack-report-e2e-'));
    sampleUrl = pathToFileURL(
      path.join((await writeReports(sampleResult(), { outRoot: root })).dir, 'index.html'),
    ).href;
    const hostile = await writeReports(hostileResult(), { dir: path.join(root, 'hostile') });
    hostileUrl = pathToFileURL(path.join(hostile.dir, 'index.html')).href;
    const long = await writeReports(syntheticResult({ requests: 20_000, flaggedCap: 1_200 }), {
      dir: path.join(root, 'long'),
    });
    longUrl = pathToFileURL(path.join(long.dir, 'index.html')).href;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(url: string, javaScriptEnabled = true) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled });
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(url, { waitUntil: 'load' });
    return { page, errors, requests, close: () => context.close() };
  }

  const flaggedRows = (page: Page) =>
    page.$$eval('#flagged-table tbody tr', (rows) =>
      (rows as HTMLTableRowElement[])
        .filter((r) => !r.hidden)
        .map((r) => Array.from(r.cells, (c) => c.textContent?.trim() ?? '')),
    );

  it('loads without errors or network, draws the charts, lists the killed import with its WORKER TIMEOUT line', async () => {
    const { page, errors, requests, close } = await open(sampleUrl);
    try {
      await page.waitForSelector('#chart-latency canvas');
      expect(errors).toEqual([]);
      expect(requests).toEqual([sampleUrl]);
      const canvases = await page.$$eval('.uplot canvas', (cs) =>
        cs.map((c) => ({ w: (c as HTMLCanvasElement).width, h: (c as HTMLCanvasElement).height })),
      );
      expect(canvases).toHaveLength(3);
      for (const c of canvases) expect(c.w * c.h).toBeGreaterThan(0);
      // The latency chart has pixels on it (not a blank canvas).
      const inked = await page.$eval('#chart-latency canvas', (c) => {
        const canvas = c as HTMLCanvasElement;
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
        return n;
      });
      expect(inked).toBeGreaterThan(1000);
      const killed = (await flaggedRows(page)).find((cells) => cells[0] === 'killed');
      expect(killed).toBeDefined();
      expect(killed!.join(' ')).toMatch(
        /import all pages.*POST\s*\/api\/import.*30\.7 s.*ECONNRESET.*WORKER TIMEOUT \(pid:9\)/,
      );
      mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      console.info(`[e2e/report] screenshot: ${path.relative(repoRoot, SCREENSHOT)}`);
    } finally {
      await close();
    }
  });

  it('sorts the flagged table by a column and filters it by text and level', async () => {
    const { page, errors, close } = await open(sampleUrl);
    try {
      const latencyHeader = page.locator('#flagged-table th', { hasText: 'Latency' });
      await latencyHeader.click();
      expect((await flaggedRows(page)).map((r) => r[4])).toEqual(['15.8 s', '17.9 s', '25.3 s', '30.7 s']);
      await latencyHeader.click();
      expect((await flaggedRows(page)).map((r) => r[4])).toEqual(['30.7 s', '25.3 s', '17.9 s', '15.8 s']);
      await expect(latencyHeader.getAttribute('aria-sort')).resolves.toBe('descending');
      await page.fill('#flagged-filter', '/api/movies/550');
      expect((await flaggedRows(page)).map((r) => r[0])).toEqual(['critical']);
      await page.fill('#flagged-filter', '');
      await page.selectOption('#flagged-level', 'approaching');
      expect(await flaggedRows(page)).toHaveLength(2);
      expect(await page.textContent('#flagged-shown')).toBe('2 of 4 shown');
      await page.fill('#flagged-filter', 'worker timeout');
      expect(await flaggedRows(page)).toHaveLength(0);
      await page.selectOption('#flagged-level', '');
      expect((await flaggedRows(page)).map((r) => r[0])).toEqual(['killed']);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('reads without JavaScript: verdict, budget, flagged table and findings are in the page', async () => {
    const { page, close } = await open(sampleUrl, false);
    try {
      expect(await page.textContent('.banner .word')).toBe('FAILED');
      expect(await page.textContent('#budget')).toMatch(/30\.7 s\s*= 102% of T/);
      expect((await flaggedRows(page)).length).toBe(4);
      expect(await page.textContent('#findings')).toMatch(/What to do:/);
      expect(await page.isVisible('.nojs')).toBe(true);
      expect(await page.isVisible('#flagged-filter')).toBe(false);
    } finally {
      await close();
    }
  });

  it('renders hostile paths, names, log lines and database values as text', async () => {
    const { page, errors, requests, close } = await open(hostileUrl);
    try {
      await page.waitForSelector('#chart-latency canvas');
      expect(await page.evaluate(() => (window as { __xss?: unknown }).__xss)).toBeUndefined();
      expect(errors).toEqual([]);
      expect(requests).toEqual([hostileUrl]);
      expect(await page.$$('iframe, svg[onload], img')).toHaveLength(0);
      const text = (await page.textContent('body')) ?? '';
      for (const s of [XSS.path, XSS.dbValue, XSS.endpoint]) expect(text).toContain(s);
      expect(await page.$$eval('script', (s) => s.length)).toBe(3);
    } finally {
      await close();
    }
  });

  it('a long flagged list: 500 rows laid out, filtering reaches the folded ones, "show all" shows every row', async () => {
    const { page, errors, close } = await open(longUrl);
    try {
      const visible = () =>
        page.$$eval(
          '#flagged-table tbody tr',
          (rows) => (rows as HTMLElement[]).filter((r) => r.offsetParent !== null).length,
        );
      expect(await visible()).toBe(500);
      expect(await page.textContent('#flagged-shown')).toBe('500 of 1200 matching shown');
      // Rows are rendered killed-first: a folded row is an approaching one near the end.
      const lastPath = await page.$eval(
        '#flagged-table tbody tr:last-child td:nth-child(4)',
        (td) => td.textContent ?? '',
      );
      await page.fill('#flagged-filter', lastPath.replace(/^GET|^POST/, ''));
      expect((await flaggedRows(page)).map((r) => r[3])).toContain(lastPath);
      await page.fill('#flagged-filter', '');
      await page.check('#flagged-all');
      expect(await visible()).toBe(1200);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('draws an open-model phase: the target and the sent rate beside the answers, and the phase table', async () => {
    const base = sampleResult();
    const result = {
      ...base,
      timeline: base.timeline.map((row) => ({ ...row, target: 20, sent: row.t === 2 ? 11 : 20 })),
      phases: [
        newPhaseAccount({
          name: 'browse',
          model: 'open',
          planned: 300,
          connections: 10,
          sent: 291,
          completed: 291,
          dropped: 9,
          maxConnections: 10,
          connectionsOpened: 10,
          peakRatePerSecond: 20,
        }),
      ],
    };
    const dir = mkdtempSync(path.join(tmpdir(), 'smokestack-report-open-'));
    const url = pathToFileURL(path.join((await writeReports(result, { dir })).dir, 'index.html')).href;
    const { page, errors, close } = await open(url);
    try {
      const legend = await page.$$eval('#throughput .u-legend .u-label', (els) =>
        els.map((e) => e.textContent),
      );
      expect(legend).toEqual(['time', 'answered/s', 'target/s', 'sent/s', 'errors/s']);
      const row = await page.$$eval('#throughput table.phases tbody tr td', (tds) =>
        tds.map((td) => td.textContent),
      );
      expect(row.slice(0, 5)).toEqual(['browse', 'open, 20/s', '300', '291', '9']);
      expect(await page.getAttribute('#throughput table.phases tbody tr', 'class')).toBe('bad');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
