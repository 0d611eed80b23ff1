// The sweep panel: start a sweep of one run field or pipeline setting, follow its steps as a table and two curves (axes
// titled, the repeats' spread as whiskers, unstable steps marked and said in words), cancel it, download its CSV. Its
// own file so that the run dashboard (app.js) stays as it is; the two share nothing but the page.
import { api, frame } from './page.js';

const byId = (id) => document.getElementById(id);
(() => {
  const BASE = ['maxItems', 'loadIntervalMs', 'inferenceMs'];
  const PIPELINE = ['capacity', 'concurrency', 'maxBatchSize', 'batchDelayMs']; // for the whole sweep, if given
  let sweep = null; // { id, source, steps, saturations } of the sweep on screen

  document.addEventListener('DOMContentLoaded', () => {
    for (const axis of byId('s-axis').options) byId('s-axis2').append(new Option(axis.text, axis.value));
    byId('sweep-form').addEventListener('submit', start);
    byId('sweep-cancel').addEventListener('click', cancel);
    fromAddress();
    listSweeps();
  });
  window.addEventListener('hashchange', fromAddress);

  // #sweep=<id>: that sweep, its steps so far from its stream, live while it runs; a reload opens it again
  async function fromAddress() {
    const m = /^#sweep=([0-9a-f]{12})$/.exec(location.hash);
    if (!m || (sweep && sweep.id === m[1])) return;
    try {
      const response = await fetch(api('/api/sweeps/' + m[1]), { headers: { Accept: 'application/json' } });
      if (response.ok) follow(await response.json());
      else byId('sweep-error').textContent = `sweep ${m[1]}: the service answered ${response.status}`;
    } catch (e) {
      byId('sweep-error').textContent = 'could not reach the service';
    }
  }

  function progress(view) {
    const done = view.steps.length;
    return view.state === 'running' ? `step ${Math.min(done + 1, view.stepCount)} of ${view.stepCount}`
      : `${done} of ${view.stepCount} steps`;
  }

  // every sweep the service keeps (GET /api/sweeps), newest first, each a link to its address, with its current run
  let listTimer = null;
  async function listSweeps() {
    clearTimeout(listTimer);
    let running = false;
    try {
      const response = await fetch(api('/api/sweeps'), { headers: { Accept: 'application/json' } });
      const sweeps = response.ok ? await response.json() : [];
      running = sweeps.some((s) => s.state === 'running');
      byId('sweeps-empty').hidden = sweeps.length > 0;
      byId('sweep-list').replaceChildren(...sweeps.map((s) => {
        const li = document.createElement('li');
        const link = document.createElement('a');
        link.href = '#sweep=' + s.id;
        link.textContent = s.id;
        link.dataset.id = s.id;
        li.append(link, ` of ${Object.keys(s.spec.vary).join(' / ')} · ${s.state} · ${progress(s)}`);
        if (s.state === 'running' && s.currentRun) {
          const run = document.createElement('a');
          run.href = '#run=' + s.currentRun;
          run.textContent = 'run ' + s.currentRun;
          li.append(' · now ', run);
        }
        return li;
      }));
    } catch (e) {
      // the list stays as it was; the next look may reach the service
    }
    listTimer = setTimeout(listSweeps, running ? 1000 : 5000);
  }

  function number(text) {
    return text.trim() === '' ? undefined : Number(text);
  }

  // the fields of these names (their inputs' ids: prefix + name) that are filled in, as numbers
  function given(prefix, names) {
    const fields = {};
    for (const name of names) {
      const value = number(byId(prefix + name).value);
      if (value !== undefined) fields[name] = value;
    }
    return fields;
  }

  function list(text) {
    return text.split(',').filter((v) => v.trim() !== '').map(Number);
  }

  async function start(event) {
    event.preventDefault();
    document.querySelectorAll('#sweep-form .error').forEach((e) => { e.textContent = ''; });
    // exactly maxItems items a run: steps compare like with like
    const run = { sentinel: null, ...given('s-', BASE) };
    const axis = byId('s-axis').value;
    const body = { run, vary: { [axis]: list(byId('s-values').value) } };
    const pipeline = given('s-p-', PIPELINE);
    if (Object.keys(pipeline).length > 0) body.pipeline = pipeline;
    const second = byId('s-axis2').value; // a grid: one curve per value of it
    if (second !== '') body.vary[second] = list(byId('s-values2').value);
    const repeats = number(byId('s-repeats').value);
    const sloMs = number(byId('s-sloMs').value);
    if (repeats !== undefined) body.repeats = repeats;
    if (sloMs !== undefined) body.sloMs = sloMs;
    byId('sweep-button').disabled = true;
    try {
      const response = await fetch(api('/api/sweeps'), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(body),
      });
      const answer = await response.json().catch(() => null);
      if (response.status === 201) {
        location.hash = 'sweep=' + answer.id; // its address: followed from there, and back to it after a reload
        listSweeps();
      } else if (answer && answer.errors) {
        answer.errors.forEach((e) => showError(e.field, e.rule));
      } else {
        byId('sweep-error').textContent = (answer && answer.detail) || ('the service answered ' + response.status);
      }
    } catch (e) {
      byId('sweep-error').textContent = 'could not reach the service';
    } finally {
      byId('sweep-button').disabled = false;
    }
  }

  // vary.inferenceMs[2] goes beside that axis' values, run.maxItems beside maxItems, pipeline.capacity beside capacity,
  // repeats and sloMs beside theirs
  function showError(field, rule) {
    const second = byId('s-axis2').value;
    const name = field.startsWith('pipeline.') ? field.replace(/^pipeline\./, 'p-')
      : !field.startsWith('vary') ? field.replace(/^run\./, '')
        : second !== '' && field.startsWith('vary.' + second) ? 'values2' : 'values';
    const slot = byId('se-' + name) || byId('sweep-error');
    slot.textContent = (slot.id === 'sweep-error' ? field + ' ' : '') + rule;
  }

  function follow(view) {
    if (sweep) sweep.source.close();
    byId('sweep-steps').replaceChildren();
    byId('sweep-result').hidden = false;
    byId('sweep-id').textContent = view.id;
    byId('sweep-axis').textContent = Object.keys(view.spec.vary).join(' / ');
    // the steps finished so far, as GET /api/sweeps/{id} with Accept: text/csv gives them (a link cannot set Accept)
    byId('sweep-csv').href = api('/api/sweeps/' + view.id + '?format=csv');
    setState(view.state);
    byId('sweep-saturation').textContent = '';
    const source = new EventSource(api('/api/sweeps/' + view.id + '/events'));
    sweep = { id: view.id, source, steps: [], saturations: [], stepCount: view.stepCount };
    byId('sweep-progress').textContent = progress({ ...view, steps: [] });
    draw();
    sweep.source.addEventListener('step', (e) => addStep(JSON.parse(e.data)));
    sweep.source.addEventListener('end', (e) => {
      const end = JSON.parse(e.data);
      sweep.source.close();
      setState(end.state + (end.failure ? ': ' + end.failure : ''));
      byId('sweep-progress').textContent = progress(end);
      listSweeps();
      sweep.saturations = end.saturation.filter((s) => s.step !== null); // one per curve of a grid
      draw();
      byId('sweep-saturation').textContent = end.saturation.map((s) => {
        const curve = Object.entries(s.series || {}).map(([axis, value]) => axis + ' ' + value).join(', ');
        const said = s.step === null ? 'no saturation: ' + s.reason
          : 'saturates at step ' + s.step + ' (predicted: ' + (s.predictedStep ?? 'none') + '): ' + s.reason;
        return curve === '' ? said : curve + ': ' + said;
      }).join('; ');
    });
  }

  function setState(state) {
    byId('sweep-state').textContent = state;
    byId('sweep-cancel').hidden = state !== 'running';
  }

  function addStep(step) {
    const cells = [step.index, Object.values(step.at).join(' / '), fixed(step.offeredLoad, 1),
      fixed(step.predictedThroughput, 1), throughputCell(step),
      step.totalMs ? fixed(step.totalMs.p50, 1) + ' / ' + fixed(step.totalMs.p99, 1) : '–',
      fixed(step.meanQueueDepth, 2), Math.round(step.modelUtilization * 100) + '%', step.verdict,
      fixed(step.littlesLaw.meanQueueDepth, 2) + ' / ' + fixed(step.littlesLaw.throughputTimesWait, 2)];
    const tr = document.createElement('tr');
    tr.title = step.reason + (unstableText(step) ? '; ' + unstableText(step) : '');
    if (step.spread.unstable) tr.className = 'unstable';
    for (const text of cells) {
      const td = document.createElement('td');
      td.textContent = String(text);
      tr.append(td);
    }
    // the step's runs (a run per repeat), each a link to its place
    const runs = tr.firstElementChild;
    (step.runs || []).forEach((id, i) => {
      const link = document.createElement('a');
      link.href = '#run=' + id;
      link.textContent = step.runs.length === 1 ? 'run' : 'run ' + (i + 1);
      link.className = 'step-run';
      runs.append(' ', link);
    });
    byId('sweep-steps').append(tr);
    sweep.steps.push(step);
    byId('sweep-progress').textContent = progress({ state: 'running', steps: sweep.steps, stepCount: sweep.stepCount });
    draw();
  }

  function draw() {
    drawCharts(sweep ? sweep.steps : [], sweep ? sweep.saturations : []);
  }

  async function cancel() {
    if (sweep) await fetch(api('/api/sweeps/' + sweep.id), { method: 'DELETE' });
  }
})();

// What follows draws a sweep's steps; exported so that a test can draw a fixed sweep (unstable repeats cannot be made
// to happen on purpose).

const COLOURS = ['#2457c5', '#16794a', '#8e44ad', '#b3261e', '#d9822b', '#5b6577'];
const INK = '#1d2330';
const WARN = '#a15c00';
// each axis a sweep may vary, as a chart's x axis names it: the setting and its unit
const AXIS_TITLES = {
  inferenceMs: 'inference time (ms)', loadIntervalMs: 'loader pause (ms)', maxItems: 'items per run',
  priority: 'priority (1 first)', deadlineMs: 'deadline (ms)', seed: 'seed', min: 'smallest value',
  max: 'largest value',
  concurrency: 'concurrency (model slots)', capacity: 'queue capacity (items)', maxBatchSize: 'max batch size (items)',
  batchDelayMs: 'batch delay (ms)',
};
const ITEMS_PER_S = 'throughput (items/s)';
const P99_MS = 'p99 latency, load to result (ms)';

function fixed(value, digits) {
  return value === null || value === undefined ? '–' : value.toFixed(digits);
}

/** The setting a step's first axis varies, as an axis title. */
export function axisTitle(axis) {
  return AXIS_TITLES[axis] || axis;
}

/** "unstable: repeats differ by 34%" for a step whose repeats' throughputs differ beyond 10%, else null. */
export function unstableText(step) {
  return step.spread && step.spread.unstable
    ? `unstable: repeats differ by ${Math.round(step.spread.relative * 100)}%` : null;
}

// the table's items/s: the repeats' mean, their range when there are several, and whether they agree (by how much:
// in the row's title and the note under the charts)
function throughputCell(step) {
  const range = (step.runs || []).length > 1 ? ` (${fixed(step.spread.min, 1)}–${fixed(step.spread.max, 1)})` : '';
  const unstable = unstableText(step);
  return fixed(step.throughput, 1) + range + (unstable ? ' \u26A0 unstable' : '');
}

/** Both charts of these steps (as the sweep's events give them) and what they mark, and the note on unstable steps. */
export function drawCharts(steps, saturations) {
  drawByStep(steps, saturations);
  drawThroughputByLatency(steps);
  const unstable = steps.filter((s) => unstableText(s));
  byId('sweep-unstable').textContent = unstable.map((s) => `\u26A0 step ${s.index} (${Object.entries(s.at)
    .map(([axis, value]) => axis + ' ' + value).join(', ')}): ${unstableText(s)}, ${fixed(s.spread.min, 1)} to `
    + `${fixed(s.spread.max, 1)} items/s`).join('; ');
}

function first(step) {
  return Object.values(step.at)[0];
}

function p99(step) {
  return step.totalMs ? step.totalMs.p99 : 0;
}

// a grid's steps by their value on its second axis (its first varies fastest): one curve each, in a colour of its
// own; a sweep of one axis is one curve, in the single-axis colours
function series(steps) {
  const curves = new Map();
  for (const s of steps) {
    const key = Object.entries(s.at).slice(1).map(([axis, value]) => axis + ' ' + value).join(', ');
    if (!curves.has(key)) curves.set(key, []);
    curves.get(key).push(s);
  }
  return [...curves.entries()].map(([name, curveSteps], i) => ({ name, steps: curveSteps,
    colour: curves.size === 1 ? '#2457c5' : COLOURS[i % COLOURS.length] }));
}

function legend(g, ratio, box, curves) {
  if (curves.length < 2) return;
  g.textAlign = 'left';
  let at = box.left;
  for (const c of curves) {
    g.fillStyle = c.colour;
    g.fillRect(at, 4 * ratio, 10 * ratio, 4 * ratio);
    g.fillText(c.name, at + 14 * ratio, 6 * ratio);
    at += (g.measureText(c.name).width + 28 * ratio);
  }
}

// the axes' titles, drawn along them and said in the canvas' data-x-title, data-y-title (and data-y2-title for a
// right-hand scale) and its accessible name
function titles(canvas, g, ratio, box, x, y, y2) {
  g.save();
  g.fillStyle = INK;
  g.textAlign = 'center';
  g.fillText(x, box.left + box.w / 2, canvas.height - 7 * ratio);
  g.translate(9 * ratio, box.top + box.h / 2);
  g.rotate(-Math.PI / 2);
  g.fillText(y, 0, 0);
  g.restore();
  if (y2) {
    g.save();
    g.fillStyle = INK;
    g.textAlign = 'center';
    g.translate(canvas.width - 9 * ratio, box.top + box.h / 2);
    g.rotate(Math.PI / 2);
    g.fillText(y2, 0, 0);
    g.restore();
  }
  canvas.dataset.xTitle = x;
  canvas.dataset.yTitle = y;
  if (y2) canvas.dataset.y2Title = y2;
  if (!canvas.dataset.label) canvas.dataset.label = canvas.getAttribute('aria-label');
  canvas.setAttribute('aria-label',
    `${canvas.dataset.label}. Across: ${x}; up: ${y}${y2 ? '; right scale: ' + y2 : ''}`);
}

// the repeats' throughputs, fewest to most, as a whisker with caps at each step's point; false when none is drawn
function whisker(g, ratio, at, low, high, colour) {
  if (Math.abs(high - low) < ratio) return false; // repeats that agree, or one
  const cap = 4 * ratio;
  g.strokeStyle = colour;
  g.lineWidth = 1.5 * ratio;
  g.beginPath();
  g.moveTo(at, low);
  g.lineTo(at, high);
  g.moveTo(at - cap, low);
  g.lineTo(at + cap, low);
  g.moveTo(at - cap, high);
  g.lineTo(at + cap, high);
  g.stroke();
  return true;
}

// an unstable step: a ring around its point and the word, in the warning colour, on the side with room
function unstableMark(g, ratio, box, x, y) {
  g.strokeStyle = WARN;
  g.lineWidth = 2 * ratio;
  g.beginPath();
  g.arc(x, y, 7 * ratio, 0, 2 * Math.PI);
  g.stroke();
  g.fillStyle = WARN;
  g.textAlign = x > box.left + box.w * 0.75 ? 'right' : 'left';
  g.fillText('\u26A0 unstable', x + (g.textAlign === 'right' ? -10 : 10) * ratio, y + 12 * ratio);
}

function unstableIndices(steps) {
  return steps.filter((s) => unstableText(s)).map((s) => s.index).join(',');
}

// the curve so far: measured and predicted throughput (left scale, the repeats' spread as whiskers) and p99 (right
// scale) against the axis' values, saturation and unstable steps marked; a grid draws a curve per value of its second
// axis, p99 dashed in the same colour
function drawByStep(steps, saturations) {
  const canvas = byId('sweep-chart');
  const { g, ratio, box: pad } = frame(canvas, steps.length, { left: 62, right: 66, top: 24, bottom: 38 });
  canvas.dataset.saturation = saturations.length > 0 ? String(saturations[0].step) : '';
  canvas.dataset.unstable = unstableIndices(steps);
  const curves = series(steps);
  canvas.dataset.series = String(curves.length);
  titles(canvas, g, ratio, pad, steps.length > 0 ? axisTitle(Object.keys(steps[0].at)[0]) : 'the swept setting',
    ITEMS_PER_S, P99_MS);
  if (steps.length === 0) return;
  const grid = curves.length > 1;
  const values = [...new Set(steps.map(first))]; // the first axis, in order
  const w = pad.w;
  const h = pad.h;
  const x = (value) => pad.left + (values.length === 1 ? w / 2 : (values.indexOf(value) / (values.length - 1)) * w);
  const top = Math.max(1, ...steps.map((s) => Math.max(s.throughput || 0, s.predictedThroughput || 0,
    s.spread ? s.spread.max : 0)));
  const topMs = Math.max(1, ...steps.map(p99));
  const y = (v, max) => pad.top + h - (v / max) * h;
  g.fillStyle = '#5b6577';
  g.textAlign = 'right';
  g.fillText(`${Math.round(top)}`, pad.left - 6 * ratio, y(top, top));
  g.fillText('0', pad.left - 6 * ratio, y(0, top));
  g.textAlign = 'left';
  g.fillText(`${Math.round(topMs)}`, pad.left + w + 6 * ratio, y(topMs, topMs));
  g.fillText('0', pad.left + w + 6 * ratio, y(0, topMs));
  g.textAlign = 'center';
  values.forEach((v) => g.fillText(String(v), x(v), pad.top + h + 10 * ratio));
  const line = (curve, value, max, colour, dashed) => {
    g.strokeStyle = colour;
    g.lineWidth = 2 * ratio;
    g.setLineDash(dashed ? [6 * ratio, 4 * ratio] : []);
    g.beginPath();
    curve.forEach((s, i) => (i === 0 ? g.moveTo : g.lineTo).call(g, x(first(s)), y(value(s) || 0, max)));
    g.stroke();
    g.setLineDash([]);
    g.fillStyle = colour;
    const dot = 4 * ratio;
    curve.forEach((s) => g.fillRect(x(first(s)) - dot / 2, y(value(s) || 0, max) - dot / 2, dot, dot));
  };
  let whiskers = 0;
  for (const c of curves) {
    line(c.steps, (s) => s.predictedThroughput, top, '#8a93a3', true);
    whiskers += c.steps.filter((s) => s.spread
      && whisker(g, ratio, x(first(s)), y(s.spread.min, top), y(s.spread.max, top), c.colour)).length;
    line(c.steps, (s) => s.throughput, top, c.colour, false);
    line(c.steps, p99, topMs, grid ? c.colour : '#d9822b', grid);
  }
  canvas.dataset.whiskers = String(whiskers);
  steps.filter((s) => unstableText(s))
    .forEach((s) => unstableMark(g, ratio, pad, x(first(s)), y(s.throughput, top)));
  legend(g, ratio, pad, curves);
  for (const saturation of saturations) {
    const step = steps.find((s) => s.index === saturation.step);
    if (!step) continue;
    const at = x(first(step));
    g.strokeStyle = '#b3261e';
    g.setLineDash([4 * ratio, 3 * ratio]);
    g.beginPath();
    g.moveTo(at, pad.top);
    g.lineTo(at, pad.top + h);
    g.stroke();
    g.setLineDash([]);
    g.fillStyle = '#b3261e';
    g.textAlign = 'left';
    g.fillText('saturates', at + 4 * ratio, pad.top + h / 2);
  }
}

// perf_analyzer's curve: items/s against p99 ms, a point per finished step (the repeats' spread as a whisker), each
// labelled with its first axis value; a grid's curves (one per value of its second axis) are joined apart, each in
// its colour
function drawThroughputByLatency(steps) {
  const canvas = byId('sweep-latency-chart');
  const { g, ratio, box } = frame(canvas, steps.length, { left: 62, right: 28, top: 24, bottom: 38 });
  canvas.dataset.unstable = unstableIndices(steps);
  const curves = series(steps);
  canvas.dataset.series = String(curves.length);
  titles(canvas, g, ratio, box, P99_MS, ITEMS_PER_S);
  if (steps.length === 0) return;
  const topMs = Math.max(1, ...steps.map(p99));
  const top = Math.max(1, ...steps.map((s) => Math.max(s.throughput || 0, s.spread ? s.spread.max : 0)));
  const x = (ms) => box.left + (ms / topMs) * box.w;
  const y = (perSecond) => box.top + box.h - (perSecond / top) * box.h;
  g.fillStyle = '#5b6577';
  g.textAlign = 'right';
  g.fillText(`${Math.round(top)}`, box.left - 6 * ratio, y(top));
  g.fillText('0', box.left - 6 * ratio, y(0));
  g.textAlign = 'center';
  g.fillText('0', box.left, box.top + box.h + 10 * ratio);
  g.fillText(`${Math.round(topMs)}`, box.left + box.w, box.top + box.h + 10 * ratio);
  let whiskers = 0;
  for (const c of curves) {
    g.strokeStyle = c.colour;
    g.lineWidth = 2 * ratio;
    g.beginPath();
    c.steps.forEach((s, i) => (i === 0 ? g.moveTo : g.lineTo).call(g, x(p99(s)), y(s.throughput || 0)));
    g.stroke();
    for (const s of c.steps) {
      if (s.spread && whisker(g, ratio, x(p99(s)), y(s.spread.min), y(s.spread.max), c.colour)) whiskers++;
      g.fillStyle = c.colour;
      g.beginPath();
      g.arc(x(p99(s)), y(s.throughput || 0), 3 * ratio, 0, 2 * Math.PI);
      g.fill();
      g.fillStyle = '#5b6577';
      g.textAlign = 'left';
      g.fillText(String(first(s)), x(p99(s)) + 5 * ratio, y(s.throughput || 0) - 8 * ratio);
    }
  }
  canvas.dataset.whiskers = String(whiskers);
  steps.filter((s) => unstableText(s)).forEach((s) => unstableMark(g, ratio, box, x(p99(s)), y(s.throughput)));
  legend(g, ratio, box, curves);
}
