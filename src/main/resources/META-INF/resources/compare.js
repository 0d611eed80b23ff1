// Runs side by side: counts, timings and verdicts from GET /api/runs/{id}, each figure beside its difference from the
// first run named; the runs' latency distributions as CDFs (GET /api/runs/{id}/latency, from each run's own
// histogram); and queue depth over the time since each run started, from its kept results (its event stream,
// replayed). The address names the runs (#compare=id1,id2) so a comparison can be shared; app.js's runs list ticks
// them. Depth is drawn by page.js's drawSteps, the CDFs by uPlot.
import uPlot from '/webjars/uplot/1.6.30/dist/uPlot.esm.js';
import { api, drawSteps, getJson, textSpan } from './page.js';
(() => {
  const byId = (id) => document.getElementById(id);
  const RUN_ID = /^[0-9a-f]{12}$/;
  const COLOURS = ['#2457c5', '#d9822b', '#16794a', '#8e44ad', '#b3261e', '#5b6577'];
  const MAX_POINTS = 4000; // per run, as on the dashboard: beyond it every other point is dropped
  const LEAST_MS = 0.001; // the CDF's x axis is logarithmic: a 0 ms item is drawn at 1 us
  const HIGHER = 1; // a figure that is better higher
  const LOWER = -1; // better lower
  const EITHER = 0; // neither: a difference is only a difference
  const ms = (p, key) => p[key].toFixed(2);
  // a row: its key (which names its cells, cmp-{key}-{id}), its label, and what it shows of a run view. A figure's
  // row also has its number (null when the run has none yet), its digits, unit and which way is better, and each run's
  // cell but the first says how far it is from the first run's
  const plain = (key, label, show) => ({ key, label, show });
  const figure = (key, label, number, digits, unit, better) => ({ key, label, number, digits, unit, better,
    show: (v) => { const n = number(v); return n == null ? '–' : n.toFixed(digits); } });
  const ROWS = [
    plain('state', 'state', (v) => v.state),
    plain('spec', 'spec', (v) => `inference ${v.spec.inferenceMs} ms, loader pause ${v.spec.loadIntervalMs} ms, `
      + `${v.spec.itemCount != null ? v.spec.itemCount + ' given items' : 'maxItems ' + v.spec.maxItems}, `
      + `overflow ${v.spec.overflow}`),
    figure('throughput', 'items/s', (v) => v.stats && v.stats.throughput, 1, 'items/s', HIGHER),
    figure('p50', 'total p50 ms', (v) => percentile(v, 'totalMs', 'p50'), 2, 'ms', LOWER),
    figure('p99', 'total p99 ms', (v) => percentile(v, 'totalMs', 'p99'), 2, 'ms', LOWER),
    plain('queueWait', 'queue wait p50 / p99 ms', (v) => pair(v, 'queueWaitMs')),
    plain('inference', 'inference p50 / p99 ms', (v) => pair(v, 'inferenceMs')),
    figure('batch', 'mean batch', (v) => v.stats && v.stats.batches && v.stats.batches.sizeMean, 2, 'items', EITHER),
    figure('meanDepth', 'queue, all runs: mean depth', (v) => v.queue.meanDepth, 2, 'items', EITHER),
    figure('maxDepth', 'queue, all runs: max depth', (v) => v.queue.maxDepth, 0, 'items', EITHER),
    figure('ownMeanDepth', 'queue, this run: mean depth', (v) => v.queue.ownMeanDepth, 2, 'items', EITHER),
    figure('ownMaxDepth', 'queue, this run: max depth', (v) => v.queue.ownMaxDepth, 0, 'items', EITHER),
    figure('loaded', 'loaded', (v) => v.counts.loaded, 0, '', EITHER),
    figure('processed', 'processed', (v) => v.counts.processed, 0, '', EITHER),
    figure('dropped', 'dropped', (v) => v.counts.dropped, 0, '', LOWER),
    figure('cancelled', 'cancelled', (v) => v.counts.cancelled, 0, '', LOWER),
    figure('expired', 'expired', (v) => v.counts.expired, 0, '', LOWER),
    figure('elapsed', 'elapsed s', (v) => v.stats && v.stats.elapsedMs / 1000, 2, 's', EITHER),
    plain('verdict', 'verdict', (v) => (v.stats ? v.stats.verdict : '–')),
  ];
  let shown = null; // { ids, views, series, sources, cdfs, dirty } of the comparison on screen
  let cdfPlot = null;

  function percentile(v, metric, key) {
    return v.stats && v.stats[metric] ? v.stats[metric][key] : null;
  }

  function pair(v, metric) {
    const p = v.stats && v.stats[metric];
    return p ? `${ms(p, 'p50')} / ${ms(p, 'p99')}` : '–';
  }

  document.addEventListener('DOMContentLoaded', show);
  window.addEventListener('hashchange', show);
  window.addEventListener('resize', () => {
    if (!shown) return;
    draw(shown);
    if (cdfPlot) cdfPlot.setSize({ width: cdfWidth(), height: cdfPlot.height });
  });

  /** The ids the address names, or null when it names no comparison (a run's #run=, or nothing). */
  function idsFromHash() {
    const m = /^#compare=(.*)$/.exec(location.hash);
    if (!m) return null;
    let list = m[1];
    try {
      list = decodeURIComponent(list);
    } catch (e) {
      // a broken %-escape: the ids are checked as they are, and named if malformed
    }
    return list.split(',').map((id) => id.trim()).filter((id) => id !== '');
  }

  async function show() {
    const ids = idsFromHash();
    if (ids === null) return; // watching a run leaves the comparison on screen
    if (shown) shown.sources.forEach((s) => s.close());
    const mine = { ids: [], views: new Map(), series: [], sources: [], cdfs: new Map(), dirty: true };
    shown = mine;
    byId('compare').hidden = false;
    byId('compare-head').replaceChildren(byId('compare-head').firstElementChild);
    byId('compare-rows').replaceChildren();
    byId('compare-note').textContent = '';
    const problems = [];
    const malformed = ids.filter((id) => !RUN_ID.test(id));
    if (malformed.length > 0) problems.push(`not a run id (12 lowercase hex digits): ${malformed.join(', ')}`);
    let wanted = [...new Set(ids.filter((id) => RUN_ID.test(id)))];
    if (wanted.length > COLOURS.length) {
      problems.push(`at most ${COLOURS.length} runs at once: the first ${COLOURS.length} are shown`);
      wanted = wanted.slice(0, COLOURS.length);
    }
    const answers = await Promise.all(wanted.map(view));
    if (shown !== mine) return; // the address changed meanwhile
    const unknown = wanted.filter((id, i) => answers[i] === null);
    if (unknown.length > 0) problems.push(`no such run (or no longer kept): ${unknown.join(', ')}`);
    const failed = wanted.filter((id, i) => answers[i] === undefined);
    if (failed.length > 0) problems.push(`could not read: ${failed.join(', ')}`);
    const views = answers.filter((v) => v);
    if (views.length < 2) problems.push('name two or more runs to compare, as #compare=id1,id2');
    byId('compare-problem').textContent = problems.join('. ');
    ROWS.forEach((row) => {
      const tr = document.createElement('tr');
      tr.id = 'cmp-row-' + row.key;
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = row.label;
      tr.append(th);
      byId('compare-rows').append(tr);
    });
    mine.ids = views.map((v) => v.id);
    views.forEach((v, i) => column(mine, v, COLOURS[i]));
    drawCdf(mine);
    byId('compare').scrollIntoView({ block: 'start' }); // below the runs list: out of sight on most screens
    requestAnimationFrame(() => render(mine));
  }

  /** The run's view; null when there is no such run, undefined when the service could not be asked. */
  async function view(id) {
    try {
      const response = await fetch(api('/api/runs/' + id), { headers: { Accept: 'application/json' } });
      if (response.status === 404) return null;
      return response.ok ? await response.json() : undefined;
    } catch (e) {
      return undefined;
    }
  }

  function column(mine, v, colour) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.className = 'run';
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = colour;
    const link = document.createElement('a');
    link.href = '#run=' + v.id;
    link.textContent = v.id;
    link.title = 'watch this run';
    th.append(swatch, link);
    if (v.id === mine.ids[0]) th.append(textSpan('diff', 'baseline')); // the run the others are measured against
    byId('compare-head').append(th);
    ROWS.forEach((row) => {
      const td = document.createElement('td');
      const value = document.createElement('span');
      value.id = `cmp-${row.key}-${v.id}`;
      td.append(value);
      if (row.number) {
        const diff = document.createElement('span');
        diff.id = `cmp-${row.key}-${v.id}-diff`;
        diff.className = 'diff';
        td.append(diff);
      }
      byId('cmp-row-' + row.key).append(td);
    });
    fill(mine, v);
    latency(mine, v.id, colour);
    // depth over time from the run's kept results: every one of an ended run (lossless), the newest of a running
    // one (live, which never holds the run up); only the fields the chart needs
    const series = { id: v.id, colour, capacity: v.queue.capacity, points: [], start: null };
    mine.series.push(series);
    const mode = v.state === 'running' ? 'live' : 'lossless';
    const source = new EventSource(api(`/api/runs/${v.id}/events?mode=${mode}&fields=seq,loadedUs,enqueuedUs,queueDepth`));
    mine.sources.push(source);
    source.addEventListener('result', (e) => {
      const r = JSON.parse(e.data);
      if (series.start === null) series.start = r.loadedUs; // the first item loaded: the run's time 0
      series.points.push([r.enqueuedUs, r.queueDepth]);
      if (series.points.length > MAX_POINTS) series.points = series.points.filter((_, i) => i % 2 === 0);
      mine.dirty = true;
    });
    source.addEventListener('stats', (e) => fill(mine, JSON.parse(e.data)));
    source.addEventListener('gap', (e) => note(v.id + ': ' + JSON.parse(e.data).message));
    source.addEventListener('end', (e) => {
      source.close();
      fill(mine, JSON.parse(e.data));
      latency(mine, v.id, colour); // now whole
      mine.dirty = true;
    });
  }

  // a run's figures, and every run's differences from the first run's (which may be the one that changed)
  function fill(mine, v) {
    mine.views.set(v.id, v);
    ROWS.forEach((row) => {
      const cell = byId(`cmp-${row.key}-${v.id}`);
      if (cell) cell.textContent = String(row.show(v));
    });
    const verdict = byId('cmp-verdict-' + v.id);
    if (verdict && v.stats) verdict.title = v.stats.reason;
    const base = mine.views.get(mine.ids[0]);
    for (const [id, other] of mine.views) {
      ROWS.filter((row) => row.number).forEach((row) => {
        const slot = byId(`cmp-${row.key}-${id}-diff`);
        if (slot && id !== mine.ids[0]) difference(slot, row, base && row.number(base), row.number(other));
      });
    }
  }

  // "▲ +2.10 ms (+21%) worse" under a figure: the arrow, the sign and the word say it, the colour only repeats it
  function difference(slot, row, base, value) {
    slot.className = 'diff';
    if (base == null || value == null) {
      slot.textContent = '';
      return;
    }
    const delta = value - base;
    const unit = row.unit ? ' ' + row.unit : '';
    const amount = Math.abs(delta).toFixed(row.digits);
    if (Number(amount) === 0) {
      slot.textContent = '= same';
      return;
    }
    const sign = delta > 0 ? '+' : '−';
    const percent = base === 0 ? '' : ` (${sign}${Math.abs(Math.round((delta / base) * 100))}%)`;
    const judged = row.better === EITHER ? '' : (Math.sign(delta) === row.better ? 'better' : 'worse');
    slot.textContent = `${delta > 0 ? '▲' : '▼'} ${sign}${amount}${unit}${percent}${judged ? ' ' + judged : ''}`;
    if (judged) slot.classList.add(judged);
  }

  // the run's latency CDF; drawn again with every run's that has come
  async function latency(mine, id, colour) {
    try {
      const cdf = await getJson('/api/runs/' + id + '/latency');
      if (shown !== mine) return;
      mine.cdfs.set(id, { ...cdf, colour });
      drawCdf(mine);
    } catch (e) {
      note(id + ': could not read its latency distribution');
    }
  }

  function cdfWidth() {
    return Math.max(240, byId('compare-cdf').clientWidth - 2);
  }

  // x: latency in ms (log), y: the fraction of the run's items done within it; a line per run, in its colour, the
  // runs in the order named. uPlot.join aligns the runs' points on one x axis; each line spans the others' points.
  function drawCdf(mine) {
    const root = byId('compare-cdf');
    if (cdfPlot) cdfPlot.destroy();
    cdfPlot = null;
    const runs = mine.ids.map((id) => [id, mine.cdfs.get(id)]).filter(([, c]) => c && c.points.length > 0);
    root.dataset.series = String(runs.length);
    root.hidden = mine.ids.length === 0;
    if (runs.length === 0) return;
    const tables = runs.map(([, c]) => {
      const byMs = new Map(); // equal times (the histogram's resolution): the largest share done within it
      c.points.forEach((p) => byMs.set(Math.max(LEAST_MS, p.ms), p.fraction));
      const xs = [...byMs.keys()];
      return [xs, xs.map((x) => byMs.get(x))];
    });
    const opts = {
      width: cdfWidth(),
      height: 240,
      scales: { x: { time: false, distr: 3, log: 10 }, y: { range: [0, 1] } },
      axes: [
        { stroke: '#5b6577', grid: { stroke: '#e6e9ef' }, label: 'total latency, load to result (ms, log scale)',
          labelSize: 20, size: 36 },
        { stroke: '#5b6577', grid: { stroke: '#e6e9ef' }, label: 'fraction of items done', labelSize: 20, size: 44 },
      ],
      cursor: { drag: { x: false, y: false } },
      series: [
        { label: 'ms', value: (u, v) => (v == null ? '–' : v.toFixed(2)) },
        ...runs.map(([id, c]) => {
          const v = mine.views.get(id);
          return { label: v && v.name ? `${id} ${v.name}` : id, stroke: c.colour, width: 2, spanGaps: true,
            points: { show: false }, value: (u, y) => (y == null ? '–' : y.toFixed(3)) };
        }),
      ],
    };
    cdfPlot = new uPlot(opts, uPlot.join(tables), root.querySelector('.cdf-plot'));
  }

  function note(text) {
    byId('compare-note').textContent += text + ' ';
  }

  // at most once a frame however fast results come, until every stream has ended and the last is drawn
  function render(mine) {
    if (shown !== mine) return;
    if (mine.dirty) draw(mine);
    if (mine.sources.some((s) => s.readyState !== EventSource.CLOSED)) requestAnimationFrame(() => render(mine));
  }

  function draw(mine) {
    mine.dirty = false;
    // the capacity changes live: the largest any run had, or a deeper queue (other runs' items count too)
    const top = Math.max(1, ...mine.series.map((s) => Math.max(s.capacity,
      s.points.reduce((most, p) => Math.max(most, p[1]), 0))));
    drawSteps(byId('compare-chart'), mine.series, top, 'capacity');
  }
})();
