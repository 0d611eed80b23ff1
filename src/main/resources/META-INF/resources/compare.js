// Runs side by side: counts, timings and verdicts from GET /api/runs/{id}, and queue depth over the time since each
// run started, from its kept results (its event stream, replayed). The address names the runs (#compare=id1,id2) so a
// comparison can be shared; app.js's runs list ticks them. Depth is drawn by page.js's drawSteps.
import { api, drawSteps } from './page.js';
(() => {
  const byId = (id) => document.getElementById(id);
  const RUN_ID = /^[0-9a-f]{12}$/;
  const COLOURS = ['#2457c5', '#d9822b', '#16794a', '#8e44ad', '#b3261e', '#5b6577'];
  const MAX_POINTS = 4000; // per run, as on the dashboard: beyond it every other point is dropped
  const ms = (p, key) => p[key].toFixed(2);
  // a row: its key (which names its cells, cmp-{key}-{id}), its label, and what it shows of a run view; the percentiles
  // are null until a run has an item
  const ROWS = [
    ['state', 'state', (v) => v.state],
    ['spec', 'spec', (v) => `inference ${v.spec.inferenceMs} ms, loader pause ${v.spec.loadIntervalMs} ms, `
      + `${v.spec.itemCount != null ? v.spec.itemCount + ' given items' : 'maxItems ' + v.spec.maxItems}, `
      + `overflow ${v.spec.overflow}`],
    ['loaded', 'loaded', (v) => v.counts.loaded],
    ['processed', 'processed', (v) => v.counts.processed],
    ['dropped', 'dropped', (v) => v.counts.dropped],
    ['cancelled', 'cancelled', (v) => v.counts.cancelled],
    ['expired', 'expired', (v) => v.counts.expired],
    ['throughput', 'items/s', (v) => (v.stats ? v.stats.throughput.toFixed(1) : '–')],
    ['elapsed', 'elapsed s', (v) => (v.stats ? (v.stats.elapsedMs / 1000).toFixed(2) : '–')],
    ['queueWait', 'queue wait p50 / p99 ms', (v) => pair(v, 'queueWaitMs')],
    ['inference', 'inference p50 / p99 ms', (v) => pair(v, 'inferenceMs')],
    ['total', 'total p50 / p90 / p99 ms', (v) => (v.stats && v.stats.totalMs
      ? `${ms(v.stats.totalMs, 'p50')} / ${ms(v.stats.totalMs, 'p90')} / ${ms(v.stats.totalMs, 'p99')}` : '–')],
    ['meanDepth', 'mean / max depth', (v) => `${v.queue.meanDepth.toFixed(2)} / ${v.queue.maxDepth}`],
    ['verdict', 'verdict', (v) => (v.stats ? v.stats.verdict : '–')],
  ];
  let shown = null; // { series, sources, dirty } of the comparison on screen

  function pair(v, metric) {
    const p = v.stats && v.stats[metric];
    return p ? `${ms(p, 'p50')} / ${ms(p, 'p99')}` : '–';
  }

  document.addEventListener('DOMContentLoaded', show);
  window.addEventListener('hashchange', show);
  window.addEventListener('resize', () => { if (shown) draw(shown); });

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
    const mine = { series: [], sources: [], dirty: true };
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
    ROWS.forEach(([key, label]) => {
      const tr = document.createElement('tr');
      tr.id = 'cmp-row-' + key;
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = label;
      tr.append(th);
      byId('compare-rows').append(tr);
    });
    views.forEach((v, i) => column(mine, v, COLOURS[i]));
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
    byId('compare-head').append(th);
    ROWS.forEach(([key]) => {
      const td = document.createElement('td');
      td.id = `cmp-${key}-${v.id}`;
      byId('cmp-row-' + key).append(td);
    });
    fill(v);
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
    source.addEventListener('stats', (e) => fill(JSON.parse(e.data)));
    source.addEventListener('gap', (e) => note(v.id + ': ' + JSON.parse(e.data).message));
    source.addEventListener('end', (e) => {
      source.close();
      fill(JSON.parse(e.data));
      mine.dirty = true;
    });
  }

  function fill(v) {
    ROWS.forEach(([key, , cell]) => {
      const td = byId(`cmp-${key}-${v.id}`);
      if (td) td.textContent = String(cell(v));
    });
    const verdict = byId('cmp-verdict-' + v.id);
    if (verdict && v.stats) verdict.title = v.stats.reason;
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
