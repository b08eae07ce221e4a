// The report's JavaScript, inlined into index.html after uPlot. It only enhances what the
// server-rendered page already says: charts from the one JSON slot (#data), sorting and
// filtering of tables. Nothing here fetches anything (the page's CSP forbids it anyway).
(() => {
  document.documentElement.classList.add('js');
  const data = JSON.parse(document.getElementById('data').textContent);
  const charts = [];

  const INTEGER_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000];
  const LEVEL_COLOUR = { 1: '#d97706', 2: '#dc2626', 3: '#7f1d1d' };
  const EVENT_COLOUR = {
    'worker-timeout': '#991b1b',
    'worker-killed': '#991b1b',
    'worker-exit': '#9ca3af',
    'worker-boot': '#9ca3af',
    error: '#dc2626',
  };

  function fmtMs(ms) {
    if (ms == null) return '–';
    if (ms < 1) return `${ms.toFixed(2)} ms`;
    if (ms < 1000) return `${Math.round(ms)} ms`;
    if (ms < 10000) return `${Number((ms / 1000).toFixed(2))} s`;
    if (ms < 60000) return `${Number((ms / 1000).toFixed(1))} s`;
    return `${Math.floor(ms / 60000)} m ${String(Math.round((ms % 60000) / 1000)).padStart(2, '0')} s`;
  }
  /** Axis labels: short, no space ("50ms", "1s", "2m"). */
  function fmtTick(ms) {
    if (ms < 1000) return `${Number(ms.toPrecision(3))}ms`;
    if (ms < 60000) return `${Number((ms / 1000).toPrecision(3))}s`;
    return `${Number((ms / 60000).toPrecision(3))}m`;
  }
  /** Log-axis ticks at 1-2-5 steps (fewer when the range spans many decades). */
  function logSplits(min, max) {
    const decades = Math.log10(max / min);
    const steps = decades <= 2.5 ? [1, 2, 5] : decades <= 4.5 ? [1, 3] : [1];
    const out = [];
    for (let p = Math.floor(Math.log10(min)); p <= Math.ceil(Math.log10(max)); p++) {
      for (const s of steps) {
        const v = s * 10 ** p;
        if (v >= min && v <= max) out.push(v);
      }
    }
    return out;
  }
  function fmtT(s) {
    if (s == null) return '–';
    const neg = s < 0;
    const a = Math.abs(Math.round(s));
    const m = Math.floor(a / 60);
    return `${neg ? '−' : ''}${m}:${String(a % 60).padStart(2, '0')}`;
  }
  function clock(t) {
    return new Date(data.origin.ms + t * 1000).toISOString().slice(11, 19);
  }
  function widthOf(el) {
    return Math.max(280, el.clientWidth);
  }
  function noData(el, text) {
    const p = document.createElement('p');
    p.className = 'empty';
    p.textContent = text;
    el.appendChild(p);
  }
  // Zeros cannot sit on a log scale: leave a gap instead.
  function positive(values) {
    return values.map((v) => (v > 0 ? v : null));
  }

  /** Horizontal threshold lines, server-event markers and flagged dots, drawn over the series. */
  function label(ctx, text, x, y, colour, right, px) {
    const w = ctx.measureText(text).width + 8 * px;
    const lx = right ? x - w - 3 * px : x + 3 * px;
    ctx.fillStyle = 'rgba(255,255,255,0.9)';
    ctx.fillRect(lx, y - 11 * px, w, 15 * px);
    ctx.fillStyle = colour;
    ctx.fillText(text, lx + 4 * px, y);
  }

  function drawOverlays(u) {
    const ctx = u.ctx;
    const { left, top, width, height } = u.bbox;
    const px = devicePixelRatio || 1;
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, width, height);
    ctx.clip();
    const lines = [
      [data.warnMs, '#f59e0b', [6, 4]],
      [data.critMs, '#dc2626', [6, 4]],
      [data.timeoutMs, '#7f1d1d', []],
    ];
    for (const [ms, colour, dash] of lines) {
      if (!(ms > 0)) continue;
      const y = u.valToPos(ms, 'y', true);
      ctx.strokeStyle = colour;
      ctx.lineWidth = 1.5 * px;
      ctx.setLineDash(dash.map((d) => d * px));
      ctx.beginPath();
      ctx.moveTo(left, y);
      ctx.lineTo(left + width, y);
      ctx.stroke();
    }
    ctx.setLineDash([]);
    ctx.font = `600 ${11 * px}px system-ui, sans-serif`;
    // uPlot leaves its axis text alignment on the context.
    ctx.textAlign = 'left';
    ctx.textBaseline = 'alphabetic';
    let lastLabelX = Number.NEGATIVE_INFINITY;
    for (const e of data.events) {
      const x = u.valToPos(e.t, 'x', true);
      if (x < left || x > left + width) continue;
      const strong = e.kind === 'worker-timeout' || e.kind === 'worker-killed' || e.kind === 'error';
      ctx.strokeStyle = EVENT_COLOUR[e.kind] || '#6b7280';
      ctx.lineWidth = (strong ? 2 : 1) * px;
      ctx.setLineDash(strong ? [] : [3 * px, 3 * px]);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      if (strong && x - lastLabelX > 110 * px) {
        const text = e.kind === 'worker-timeout' ? 'WORKER TIMEOUT' : e.label;
        label(ctx, text, x, top + height - 6 * px, EVENT_COLOUR[e.kind], x > left + width - 120 * px, px);
        lastLabelX = x;
      }
    }
    ctx.setLineDash([]);
    const f = data.flagged;
    for (let i = 0; i < f.t.length; i++) {
      const x = u.valToPos(f.t[i], 'x', true);
      if (x < left || x > left + width) continue;
      const y = u.valToPos(f.ms[i], 'y', true);
      ctx.fillStyle = LEVEL_COLOUR[f.level[i]] || '#d97706';
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 1.5 * px;
      ctx.beginPath();
      ctx.arc(x, y, (f.level[i] === 3 ? 5 : 4) * px, 0, 2 * Math.PI);
      ctx.fill();
      ctx.stroke();
    }
    ctx.restore();
  }

  const msAxis = {
    size: 56,
    splits: (u) => logSplits(u.scales.y.min, u.scales.y.max),
    values: (_u, splits) => splits.map((s) => (s == null ? '' : fmtTick(s))),
    grid: { stroke: '#eef0f3' },
    ticks: { show: false },
  };
  const tAxis = {
    incrs: [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400],
    values: (_u, splits) => splits.map(fmtT),
    grid: { stroke: '#eef0f3' },
  };
  const tSeries = { label: 'time', value: (_u, v) => (v == null ? '–' : `${fmtT(v)} (${clock(v)} UTC)`) };

  function latencyChart(el) {
    const tl = data.timeline;
    if (tl.t.length === 0) return noData(el, 'No traffic was recorded.');
    let hi = data.timeoutMs > 0 ? data.timeoutMs * 1.25 : 1;
    let lo = Number.POSITIVE_INFINITY;
    for (const v of tl.max) if (v > hi) hi = v * 1.1;
    for (const v of tl.p50) if (v > 0 && v < lo) lo = v;
    for (const v of data.flagged.ms) if (v * 1.1 > hi) hi = v * 1.1;
    if (!Number.isFinite(lo)) lo = 1;
    // Whole decades at the bottom read better on a log axis.
    lo = Math.max(0.1, 10 ** Math.floor(Math.log10(lo / 1.5)));
    const opts = {
      width: widthOf(el),
      height: 320,
      scales: { x: { time: false }, y: { distr: 3, range: () => [lo, hi] } },
      series: [
        tSeries,
        { label: 'p50', stroke: '#2563eb', width: 1.5, value: (_u, v) => fmtMs(v), points: { show: false } },
        { label: 'p99', stroke: '#9333ea', width: 1.5, value: (_u, v) => fmtMs(v), points: { show: false } },
        {
          label: 'max',
          stroke: '#f97316',
          width: 1,
          dash: [3, 3],
          value: (_u, v) => fmtMs(v),
          points: { show: false },
        },
      ],
      axes: [tAxis, msAxis],
      cursor: { drag: { x: true, y: false, setScale: true } },
      hooks: { draw: [drawOverlays] },
    };
    return new uPlot(opts, [tl.t, positive(tl.p50), positive(tl.p99), positive(tl.max)], el);
  }

  function histogramChart(el) {
    const h = data.histogram;
    if (h.le.length === 0) return undefined;
    const x = h.le.map((_v, i) => i);
    const labels = h.le.map((le) => (Number.isFinite(le) ? fmtTick(le) : 'more'));
    let top = 1;
    for (const c of h.count) if (c > top) top = c;
    const opts = {
      width: widthOf(el),
      height: 240,
      // Log counts so a single killed request still shows next to thousands of fast ones.
      scales: {
        x: { time: false, range: [-0.6, h.le.length - 0.4] },
        y: { distr: 3, range: () => [0.5, top * 2] },
      },
      series: [
        { label: 'up to', value: (_u, v) => (v == null ? '–' : `${fmtMs(h.le[v])}`) },
        {
          label: 'requests',
          fill: '#93c5fd',
          stroke: '#2563eb',
          width: 1,
          paths: uPlot.paths.bars({ size: [0.8, 80] }),
          points: { show: false },
        },
      ],
      axes: [
        {
          values: (_u, splits) => splits.map((s) => labels[s] || ''),
          splits: () => x,
          grid: { show: false },
        },
        {
          size: 56,
          splits: (u) => {
            const out = [];
            for (let v = 1; v <= u.scales.y.max; v *= 10) out.push(v);
            return out;
          },
          values: (_u, splits) =>
            splits.map((s) => (s == null ? '' : s >= 1000 ? `${s / 1000}k` : String(s))),
          grid: { stroke: '#eef0f3' },
        },
      ],
      cursor: { drag: { x: false, y: false } },
    };
    return new uPlot(opts, [x, positive(h.count)], el);
  }

  function throughputChart(el) {
    const tl = data.timeline;
    if (tl.t.length === 0) return noData(el, 'No traffic was recorded.');
    const opts = {
      width: widthOf(el),
      height: 240,
      scales: {
        x: { time: false },
        y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
        err: { range: (_u, _min, max) => [0, Math.max(1, max * 1.2)] },
      },
      series: [
        tSeries,
        {
          label: tl.target ? 'answered/s' : 'requests/s',
          stroke: '#2563eb',
          fill: 'rgba(37,99,235,0.08)',
          width: 1.5,
          points: { show: false },
        },
        ...(tl.target
          ? [
              { label: 'target/s', stroke: '#6b7280', dash: [6, 4], width: 1.5, points: { show: false } },
              { label: 'sent/s', stroke: '#16a34a', width: 1.5, points: { show: false } },
            ]
          : []),
        {
          label: 'errors/s',
          scale: 'err',
          stroke: '#dc2626',
          fill: 'rgba(220,38,38,0.55)',
          width: 1,
          paths: uPlot.paths.bars({ size: [0.9, 12] }),
          points: { show: false },
        },
      ],
      axes: [
        tAxis,
        { size: 50, grid: { stroke: '#eef0f3' } },
        { scale: 'err', side: 1, size: 40, grid: { show: false }, stroke: '#dc2626', incrs: INTEGER_STEPS },
      ],
      cursor: { drag: { x: true, y: false, setScale: true } },
    };
    const open = tl.target ? [tl.target, tl.sent] : [];
    return new uPlot(opts, [tl.t, tl.rps, ...open, positive(tl.errors)], el);
  }

  function mount(id, build) {
    const el = document.getElementById(id);
    if (!el || typeof uPlot === 'undefined') return;
    const chart = build(el);
    if (chart) charts.push([el, chart]);
  }
  mount('chart-latency', latencyChart);
  mount('chart-histogram', histogramChart);
  mount('chart-throughput', throughputChart);
  if (!data.origin.exact && data.events.length > 0) document.getElementById('origin-note').hidden = false;

  let resizeTimer;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => {
      for (const [el, chart] of charts) chart.setSize({ width: widthOf(el), height: chart.height });
    }, 100);
  });

  // Sorting: click a header; numbers sort by their data-v, text by its content.
  for (const table of document.querySelectorAll('table.sortable')) {
    const headers = table.querySelectorAll('th');
    headers.forEach((th, col) => {
      if (!th.dataset.sort) return;
      th.tabIndex = 0;
      const sort = () => {
        const asc = th.getAttribute('aria-sort') !== 'ascending';
        for (const h of headers) h.removeAttribute('aria-sort');
        th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
        const tbody = table.tBodies[0];
        const numeric = th.dataset.sort === 'num';
        const keyed = Array.from(tbody.rows, (row) => {
          const cell = row.cells[col];
          const key = numeric
            ? Number(cell.dataset.v ?? cell.textContent)
            : cell.textContent.trim().toLowerCase();
          return [key, row];
        });
        keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0) * (asc ? 1 : -1));
        // Rows move into a detached tbody, swapped in once: one layout, not one per row.
        const sorted = tbody.cloneNode(false);
        for (const [, row] of keyed) sorted.appendChild(row);
        table.replaceChild(sorted, tbody);
        table.dispatchEvent(new Event('sorted'));
      };
      th.addEventListener('click', sort);
      th.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          sort();
        }
      });
    });
  }

  // Filtering the flagged table: free text over every cell, and the level. At most LIMIT rows
  // are laid out at a time (a 10,000-row table takes seconds to lay out); "show all" lifts it.
  const LIMIT = 500;
  const filter = document.getElementById('flagged-filter');
  const level = document.getElementById('flagged-level');
  const table = document.getElementById('flagged-table');
  if (filter && level && table) {
    const haystacks = new Map();
    for (const row of table.tBodies[0].rows) haystacks.set(row, row.textContent.toLowerCase());
    const shown = document.getElementById('flagged-shown');
    const all = document.getElementById('flagged-all');
    const total = haystacks.size;
    const apply = () => {
      const text = filter.value.trim().toLowerCase();
      const want = level.value;
      const showAll = !all || all.checked;
      let matched = 0;
      let visibleCount = 0;
      for (const row of table.tBodies[0].rows) {
        const match = (!want || row.dataset.level === want) && (!text || haystacks.get(row).includes(text));
        if (match) matched++;
        const visible = match && (showAll || matched <= LIMIT);
        row.hidden = !visible;
        if (visible) visibleCount++;
      }
      shown.textContent =
        visibleCount < matched
          ? `${visibleCount} of ${matched} matching shown`
          : `${matched} of ${total} shown`;
    };
    apply();
    table.classList.remove('collapsed');
    filter.addEventListener('input', apply);
    level.addEventListener('change', apply);
    table.addEventListener('sorted', apply);
    if (all) all.addEventListener('change', apply);
  }
})();
