'use strict';
// The sweep panel: start a sweep of one run field or pipeline setting, follow its steps as a table, cancel it. Its own file so that the
// run dashboard (app.js) stays as it is; the two share nothing but the page.
(() => {
  const byId = (id) => document.getElementById(id);
  const api = (path) => new URL(path, location.origin).href;
  const BASE = ['maxItems', 'loadIntervalMs', 'inferenceMs'];
  let sweep = null; // { id, source } of the sweep on screen

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
        byId('se-body').textContent = (answer && answer.detail) || ('the service answered ' + response.status);
      }
    } catch (e) {
      byId('se-body').textContent = 'could not reach the service';
    } finally {
      byId('sweep-button').disabled = false;
    }
  }

  // vary.inferenceMs[2] goes beside the values, run.maxItems beside maxItems, repeats and sloMs beside theirs
  function showError(field, rule) {
    const name = field.startsWith('vary') ? 'values' : field.replace(/^run\./, '');
    const slot = byId('se-' + name) || byId('se-body');
    slot.textContent = (slot.id === 'se-body' ? field + ' ' : '') + rule;
  }

  function follow(view) {
    if (sweep) sweep.source.close();
    byId('sweep-steps').replaceChildren();
    byId('sweep-result').hidden = false;
    byId('sweep-id').textContent = view.id;
    byId('sweep-axis').textContent = Object.keys(view.spec.vary).join(' / ');
    setState(view.state);
    byId('sweep-saturation').textContent = '';
    sweep = { id: view.id, source: new EventSource(api('/api/sweeps/' + view.id + '/events')) };
    sweep.source.addEventListener('step', (e) => addStep(JSON.parse(e.data)));
    sweep.source.addEventListener('end', (e) => {
      const end = JSON.parse(e.data);
      sweep.source.close();
      setState(end.state + (end.failure ? ': ' + end.failure : ''));
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
  }

  async function cancel() {
    if (sweep) await fetch(api('/api/sweeps/' + sweep.id), { method: 'DELETE' });
  }
})();
