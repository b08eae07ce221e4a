// index.html: one self-contained file (CSS, JavaScript, uPlot and the data inline, no network),
// whose verdict, tables and findings read without JavaScript. The ejs templates print every
// value with `<%=` (escaped); the only raw inserts are our own assets and the JSON slot, which
// jsonForScript makes safe.
import { readFile } from 'node:fs/promises';
import ejs from 'ejs';
import { redactResult } from '../redact/result.js';
import type { RunResult } from '../result/types.js';
import { version } from '../version.js';
import { loadAssets, templateDir } from './assets.js';
import { chartData, jsonForScript } from './chart-data.js';
import { htmlView } from './html-view.js';
import { timeoutBudget } from './verdict-view.js';

type Template = (data: Record<string, unknown>) => string;
let compiled: Promise<Template> | undefined;

function template(): Promise<Template> {
  compiled ??= (async () => {
    const filename = `${templateDir()}report.ejs`;
    const text = await readFile(filename, 'utf8');
    // strict + a named locals object: no `with`, a typo is an error instead of an empty string.
    return ejs.compile(text, { filename, strict: true, localsName: 'v', async: false }) as Template;
  })();
  return compiled;
}

export async function renderHtml(input: RunResult): Promise<string> {
  // Redacted here too: renderHtml is public API, and the HTML is the file that travels furthest.
  const result = redactResult(input);
  const [render, assets] = await Promise.all([template(), loadAssets()]);
  const data = chartData(result, timeoutBudget(result));
  return render({
    ...htmlView(result),
    version,
    hasHistogram: data.histogram.le.length > 0,
    assets,
    dataJson: jsonForScript(data),
  });
}
