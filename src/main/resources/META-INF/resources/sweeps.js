'use strict';
// The sweep panel: start a sweep of one run field or pipeline setting, follow its steps as a table and two curves, cancel
// it, download its CSV. Its own file so that the
// run dashboard (app.js) stays as it is; the two share nothing but the page.
(() => {
  const byId = (id) => document.getElementById(id);
  const api = (path) => new URL(path, location.origin).href;
  const BASE = ['maxItems', 'loadIntervalMs', 'inferenceMs'];
  let sweep = null; // { id, source, steps, saturation } of the sweep on screen

  document.addEventListener('DOMContentLoaded', () => {
    byId('sweep-form').addEventListener('submit', start);
    byId('sweep-cancel').addEventListener('click', cancel);
  });

  function number(text) {
    return text.trim() === '' ? undefined : Number(text);
  }

  async function start(event) {
    event.preventDefault();
    document.querySelectorAll('#sweep-form .error').forEach((e) => { e.textContent = ''; });
    const run = { sentinel: null }; // exactly maxItems items a run: steps compare like with like
    for (const name of BASE) {
      const value = number(byId('s-' + name).value);
      if (value !== undefined) run[name] = value;
    }
    const axis = byId('s-axis').value;
    const values = byId('s-values').value.split(',').filter((v) => v.trim() !== '').map(Number);
    const body = { run, vary: { [axis]: values } };
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
        follow(answer);
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

  // vary.inferenceMs[2] goes beside the values, run.maxItems beside maxItems, repeats and sloMs beside theirs
  function showError(field, rule) {
    const name = field.startsWith('vary') ? 'values' : field.replace(/^run\./, '');
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
    sweep = { id: view.id, source: new EventSource(api('/api/sweeps/' + view.id + '/events')), steps: [], saturation: null };
    draw();
    sweep.source.addEventListener('step', (e) => addStep(JSON.parse(e.data)));
    sweep.source.addEventListener('end', (e) => {
      const end = JSON.parse(e.data);
      sweep.source.close();
      setState(end.state + (end.failure ? ': ' + end.failure : ''));
      sweep.saturation = end.saturation.find((s) => s.step !== null) || null;
      draw();
      byId('sweep-saturation').textContent = end.saturation.map((s) => s.step === null
        ? 'no saturation: ' + s.reason
        : 'saturates at step ' + s.step + ' (predicted: ' + (s.predictedStep ?? 'none') + '): ' + s.reason).join('; ');
    });
  }

  function setState(state) {
    byId('sweep-state').textContent = state;
    byId('sweep-cancel').hidden = state !== 'running';
  }

  function fixed(value, digits) {
    return value === null || value === undefined ? '–' : value.toFixed(digits);
  }

  function addStep(step) {
    const cells = [step.index, Object.values(step.at).join(' / '), fixed(step.offeredLoad, 1),
      fixed(step.predictedThroughput, 1), fixed(step.throughput, 1) + (step.spread.unstable ? ' (unstable)' : ''),
      step.totalMs ? fixed(step.totalMs.p50, 1) + ' / ' + fixed(step.totalMs.p99, 1) : '–',
      fixed(step.meanQueueDepth, 2), Math.round(step.modelUtilization * 100) + '%', step.verdict,
      fixed(step.littlesLaw.meanQueueDepth, 2) + ' / ' + fixed(step.littlesLaw.throughputTimesWait, 2)];
    const tr = document.createElement('tr');
    tr.title = step.reason;
    for (const text of cells) {
      const td = document.createElement('td');
      td.textContent = String(text);
      tr.append(td);
    }
    byId('sweep-steps').append(tr);
    sweep.steps.push(step);
    draw();
  }

  function draw() {
    drawByStep();
    drawThroughputByLatency();
  }

  // the curve so far: measured and predicted throughput (left scale) and p99 (right scale) by step, saturation marked
  function drawByStep() {
    const canvas = byId('sweep-chart');
    const steps = sweep ? sweep.steps : [];
    const { g, ratio, box: pad } = frame(canvas, steps.length, { left: 48, right: 52, top: 14, bottom: 22 });
    canvas.dataset.saturation = sweep && sweep.saturation ? String(sweep.saturation.step) : '';
    if (steps.length === 0) return;
    const w = pad.w;
    const h = pad.h;
    const x = (i) => pad.left + (steps.length === 1 ? w / 2 : (i / (steps.length - 1)) * w);
    const top = Math.max(1, ...steps.map((s) => Math.max(s.throughput || 0, s.predictedThroughput || 0)));
    const topMs = Math.max(1, ...steps.map(p99));
    const y = (v, max) => pad.top + h - (v / max) * h;
    g.textAlign = 'right';
    g.fillText(`${Math.round(top)}/s`, pad.left - 6 * ratio, y(top, top));
    g.fillText('0', pad.left - 6 * ratio, y(0, top));
    g.textAlign = 'left';
    g.fillText(`${Math.round(topMs)} ms`, pad.left + w + 6 * ratio, y(topMs, topMs));
    g.textAlign = 'center';
    steps.forEach((s, i) => g.fillText(Object.values(s.at).join('/'), x(i), canvas.height - 9 * ratio));
    const line = (value, max, colour, dashed) => {
      g.strokeStyle = colour;
      g.lineWidth = 2 * ratio;
      g.setLineDash(dashed ? [6 * ratio, 4 * ratio] : []);
      g.beginPath();
      steps.forEach((s, i) => (i === 0 ? g.moveTo : g.lineTo).call(g, x(i), y(value(s) || 0, max)));
      g.stroke();
      g.setLineDash([]);
      g.fillStyle = colour;
      steps.forEach((s, i) => g.fillRect(x(i) - 2 * ratio, y(value(s) || 0, max) - 2 * ratio, 4 * ratio, 4 * ratio));
    };
    line((s) => s.predictedThroughput, top, '#8a93a3', true);
    line((s) => s.throughput, top, '#2457c5', false);
    line(p99, topMs, '#d9822b', false);
    if (sweep.saturation) {
      const at = x(sweep.saturation.step);
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

  function p99(step) {
    return step.totalMs ? step.totalMs.p99 : 0;
  }

  // perf_analyzer's curve: items/s against p99 ms, a point per finished step, each labelled with its first axis
  // value; a grid's curves (one per value of its second axis) are joined apart
  function drawThroughputByLatency() {
    const canvas = byId('sweep-latency-chart');
    const steps = sweep ? sweep.steps : [];
    const { g, ratio, box } = frame(canvas, steps.length, { left: 48, right: 28, top: 18, bottom: 22 });
    if (steps.length === 0) return;
    const topMs = Math.max(1, ...steps.map(p99));
    const top = Math.max(1, ...steps.map((s) => s.throughput || 0));
    const x = (ms) => box.left + (ms / topMs) * box.w;
    const y = (perSecond) => box.top + box.h - (perSecond / top) * box.h;
    g.textAlign = 'right';
    g.fillText(`${Math.round(top)}/s`, box.left - 6 * ratio, y(top));
    g.fillText('0', box.left - 6 * ratio, y(0));
    g.textAlign = 'center';
    g.fillText('p99 0 ms', box.left, canvas.height - 9 * ratio);
    g.textAlign = 'right';
    g.fillText(`${Math.round(topMs)} ms`, box.left + box.w, canvas.height - 9 * ratio);
    const curves = new Map();
    for (const s of steps) {
      const key = Object.values(s.at).slice(1).join('/');
      if (!curves.has(key)) curves.set(key, []);
      curves.get(key).push(s);
    }
    g.strokeStyle = '#2457c5';
    g.lineWidth = 2 * ratio;
    for (const curve of curves.values()) {
      g.beginPath();
      curve.forEach((s, i) => (i === 0 ? g.moveTo : g.lineTo).call(g, x(p99(s)), y(s.throughput || 0)));
      g.stroke();
    }
    g.textAlign = 'left';
    for (const s of steps) {
      g.fillStyle = '#2457c5';
      g.beginPath();
      g.arc(x(p99(s)), y(s.throughput || 0), 3 * ratio, 0, 2 * Math.PI);
      g.fill();
      g.fillStyle = '#5b6577';
      g.fillText(String(Object.values(s.at)[0]), x(p99(s)) + 5 * ratio, y(s.throughput || 0) - 8 * ratio);
    }
  }

  async function cancel() {
    if (sweep) await fetch(api('/api/sweeps/' + sweep.id), { method: 'DELETE' });
  }
})();
