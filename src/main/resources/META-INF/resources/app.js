// The mlpipe dashboard: start runs, list them, and watch one live through its event stream.
// Plain DOM and ES modules, no build step: the service serves this file as it is.
import { $, api, getJson, sendJson, textSpan } from './page.js';
import { placeOf } from './places.js';
import { RunCharts } from './run-charts.js';

const MAX_ROWS = 200;      // result rows kept in the DOM; the total is shown beside them
const DIGITS_SHOWN = 12;  // the latest results of an 8x8 run drawn as images
const FIELDS = ['model', 'dataset', 'seed', 'min', 'max', 'sentinel', 'maxItems', 'loadIntervalMs', 'inferenceMs', 'overflow', 'priority',
  'deadlineMs', 'name', 'tags'];
const SETTINGS = ['capacity', 'concurrency', 'maxBatchSize', 'batchDelayMs']; // what PUT /api/pipeline changes

let pipeline = null;
let watched = null;        // the run on screen: see watch()
let runsTimer = null;
let newestRun = null;      // the newest run's id, once the list came: where the runs place opens
let startedHere = false;   // a run was started from this page: the page opens that one, not the newest
const picked = new Set();  // ids ticked in the runs list to compare, in the order they were ticked
let models = new Map();    // GET /api/models by name: the form's model choices, and which runs are on tensor models

document.addEventListener('DOMContentLoaded', () => {
  $('start-form').addEventListener('submit', startRun);
  $('f-model').addEventListener('change', showModelFields);
  $('f-dataset').addEventListener('input', showModelFields);
  $('settings-form').addEventListener('submit', applySettings);
  $('cancel-button').addEventListener('click', cancelRun);
  $('compare-button').addEventListener('click', () => { location.hash = 'compare=' + [...picked].join(','); });
  $('start-seed-run').addEventListener('click', () => startFirst({ min: 1, max: 100, sentinel: 67 }));
  $('start-digits-run').addEventListener('click', () => startFirst({ model: 'digits', dataset: 'digits' }));
  window.addEventListener('hashchange', () => {
    const id = runFromHash();
    if (id && (!watched || watched.id !== id)) watch(id);
    else if (!id) openNewest();
    if (watched) watched.charts.resize(); // a place shown again: its charts take its width
    if (placeOf(location.hash) === 'models') loadModels();
  });
  window.addEventListener('resize', () => { if (watched) watched.charts.resize(); });
  loadCaller();
  const modelsListed = loadModels();
  loadPipeline().then(async () => {
    await refreshRuns();
    await modelsListed; // a run on a tensor model asks its stream for the fields it shows
    const id = runFromHash();
    if (id) watch(id);
    else openNewest();
  });
});

// The runs place without a run named opens the newest; the address then names it, in place of the bare one, so that
// the back button does not come back here to be sent on again.
function openNewest() {
  if (placeOf(location.hash) !== 'runs' || watched || startedHere || newestRun === null) return;
  location.replace('#run=' + newestRun);
}

// an empty service's first run, from a button: the seed's run or a digits run
async function startFirst(spec) {
  $('e-body').textContent = '';
  const { response, body } = await sendJson('POST', '/api/runs', spec).catch(() => ({ response: { status: 0 } }));
  if (response.status === 201) {
    location.hash = 'run=' + body.id;
    refreshRuns();
  } else {
    $('e-body').textContent = (body && body.detail) || ('the service answered ' + response.status);
  }
}

// The Models place (GET /api/models), and whether the empty state offers a digits run: only if that model is ready.
async function loadModels() {
  try {
    const list = await getJson('/api/models');
    models = new Map(list.map((m) => [m.name, m]));
    const digits = list.some((m) => m.name === 'digits' && m.state === 'ready');
    $('start-digits-run').hidden = $('digits-hint').hidden = !digits;
    showModelChoices(list);
    $('model-rows').replaceChildren(...list.map((m) => {
      const tr = document.createElement('tr');
      const s = m.settings;
      const v2 = m.v2;
      const cells = [m.name, m.backend, m.state + (m.why ? ': ' + m.why : ''), m.depth,
        s ? s.capacity : '–', s ? s.concurrency : '–', s ? s.maxBatchSize : '–', s ? s.batchDelayMs : '–',
        v2 ? v2.requests : '–', v2 ? v2.requestsPerSecond.toFixed(1) : '–',
        v2 && v2.p99Ms != null ? v2.p99Ms.toFixed(2) : '–'];
      for (const cell of cells) {
        const td = document.createElement('td');
        td.textContent = String(cell);
        tr.append(td);
      }
      return tr;
    }));
    $('models-error').textContent = '';
  } catch (e) {
    $('models-error').textContent = 'the models could not be listed: ' + e.message;
  }
}

// the form's model choices, keeping the one picked; a model that is not ready is shown but cannot be picked
function showModelChoices(list) {
  const select = $('f-model');
  const chosen = select.value;
  select.replaceChildren(...list.map((m) => {
    const option = document.createElement('option');
    option.value = m.name;
    option.textContent = m.rowLength != null ? `${m.name} (${m.backend})` : m.name;
    option.disabled = m.state !== 'ready';
    option.selected = m.name === chosen;
    return option;
  }));
  showModelFields();
}

const isTensor = (name) => models.has(name) && models.get(name).rowLength != null;

// A tensor model takes a dataset (or random rows) and no sentinel or inferenceMs; a dataset takes no seed, min or max.
// The fields that do not apply are disabled, so they are neither sent nor refused.
let formModel = null; // the model the form's min and max were last filled for
function showModelFields() {
  const name = $('f-model').value;
  const tensor = isTensor(name);
  if (name !== formModel && models.has(name) && models.get(name).settings) {
    // random rows are drawn from the model's own range unless the user sets another
    formModel = name;
    $('f-min').value = models.get(name).settings.randomMin;
    $('f-max').value = models.get(name).settings.randomMax;
    for (const bound of ['min', 'max']) $('f-' + bound).step = tensor ? 'any' : '1';
  }
  $('dataset-field').hidden = !tensor;
  $('f-dataset').disabled = !tensor;
  const dataset = tensor && $('f-dataset').value.trim() !== '';
  for (const name of ['sentinel', 'inferenceMs']) $('f-' + name).disabled = tensor;
  for (const name of ['seed', 'min', 'max']) $('f-' + name).disabled = dataset;
}

function runFromHash() {
  const m = /^#run=([0-9a-f]{12})$/.exec(location.hash);
  return m ? m[1] : null;
}

async function loadPipeline() {
  try {
    pipeline = await getJson('/api/pipeline');
    $('f-inferenceMs').value = pipeline.inferenceMs;
    showPipeline();
    showSettings();
  } catch (e) {
    $('pipeline').textContent = 'service unreachable';
  }
}

// Who signed in: a viewer is shown no operator's control (the service refuses them a viewer anyway). Until the answer
// comes, or if it never does, the controls stay: the service's own 403 then says why.
async function loadCaller() {
  try {
    const me = await getJson('/api/me');
    document.body.classList.toggle('viewer', !me.canOperate);
    if (me.managementPort) $('management-port').textContent = `:${me.managementPort}/q/`; // the port as bound
    if (me.user) {
      $('caller').textContent = `signed in as ${me.user} (${me.role})`;
      $('caller').hidden = false;
    }
  } catch (e) {
    // an older service without /api/me: every control shows, as before
  }
}

function showPipeline() {
  const b = pipeline.broker;
  const link = !b ? '' : b.reachable
    ? ` · RabbitMQ, ${b.workers} worker${b.workers === 1 ? '' : 's'}`
    : ' · RabbitMQ unreachable';
  $('pipeline').textContent = `queue ${pipeline.depth}/${pipeline.capacity} · model concurrency ${pipeline.concurrency}`
    + ` · ${pipeline.activeRuns} active run${pipeline.activeRuns === 1 ? '' : 's'}${link}`;
}

// ---- starting a run -------------------------------------------------------------------------------------------

async function startRun(event) {
  event.preventDefault();
  clearErrors();
  const spec = {};
  let bad = false;
  for (const name of FIELDS) {
    const input = $('f-' + name);
    if (input.disabled || (name === 'model' && input.value === 'simulated')) {
      continue; // not a field of this model's runs; the simulated model is the default
    } else if (input.validity && input.validity.badInput) {
      showError(name, 'must be a number');
      bad = true;
    } else if (input.value.trim() !== '') {
      const value = name === 'tags' ? input.value.split(/[\s,]+/).filter((tag) => tag !== '')
        : input.type === 'number' || 'number' in input.dataset ? Number(input.value) : input.value;
      if (name === 'seed' && Number.isInteger(value) && !Number.isSafeInteger(value)) {
        // JavaScript numbers are exact only up to 2^53: a larger seed would be sent as another one
        showError(name, `must be a whole number within ±${Number.MAX_SAFE_INTEGER} here (the API takes any 64-bit seed)`);
        bad = true;
      } else {
        spec[name] = value;
      }
    }
  }
  if (bad) return;
  $('start-button').disabled = true;
  // the run on screen is not the one being started: say so at once, and open nothing else meanwhile
  startedHere = true;
  watching++; // a run still being opened is not shown now
  if (watched) setState(watched, 'starting');
  let started = false;
  try {
    const { response, body } = await sendJson('POST', '/api/runs', spec);
    if (response.status === 201) {
      started = true;
      location.hash = 'run=' + body.id;
      refreshRuns();
    } else if (body && body.errors) {
      body.errors.forEach((e) => showError(e.field, e.rule));
    } else {
      $('e-body').textContent = (body && body.detail) || ('the service answered ' + response.status);
    }
  } catch (e) {
    $('e-body').textContent = 'could not reach the service';
  } finally {
    $('start-button').disabled = false;
    if (!started && watched) setState(watched, watched.view.state);
    const named = runFromHash();
    if (!started && named && (!watched || watched.id !== named)) watch(named); // the one dropped above
  }
}

function showError(field, rule) {
  const base = field.replace(/\[\d+\]$/, ''); // tags[2] is told beside tags
  const slot = $('e-' + base);
  const input = $('f-' + base);
  if (slot && input) {
    slot.textContent = `${field} ${rule}`;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', 'e-' + base);
  } else {
    $('e-body').textContent += `${field} ${rule}. `;
  }
}

function clearErrors() {
  for (const name of FIELDS) {
    $('e-' + name).textContent = '';
    $('f-' + name).removeAttribute('aria-invalid');
  }
  $('e-body').textContent = '';
}

// ---- the pipeline's settings, changed live ---------------------------------------------------------------------

// Filled from the service on load and after each change only, so the periodic refresh never overwrites an edit.
function showSettings() {
  for (const name of SETTINGS) $('s-' + name).value = pipeline[name];
}

async function applySettings(event) {
  event.preventDefault();
  $('settings-status').textContent = '';
  $('se-body').textContent = '';
  const change = {};
  let bad = false;
  for (const name of SETTINGS) {
    const input = $('s-' + name);
    $('se-' + name).textContent = '';
    input.removeAttribute('aria-invalid');
    if (input.validity && input.validity.badInput) {
      $('se-' + name).textContent = `${name} must be a number`;
      input.setAttribute('aria-invalid', 'true');
      bad = true;
    } else if (input.value.trim() !== '') {
      change[name] = Number(input.value);
    }
  }
  if (bad) return;
  $('settings-button').disabled = true;
  try {
    const { response, body } = await sendJson('PUT', '/api/pipeline', change);
    if (response.ok) {
      pipeline = body;
      showPipeline();
      showSettings();
      $('settings-status').textContent = 'applied';
    } else {
      // the detail says what went wrong (a 400 the fields, a 403 or a 409 why); each bad field shows its rule
      (body && body.errors || []).forEach((e) => {
        const slot = $('se-' + e.field);
        if (slot) {
          slot.textContent = e.rule;
          $('s-' + e.field).setAttribute('aria-invalid', 'true');
          $('s-' + e.field).setAttribute('aria-describedby', 'se-' + e.field);
        }
      });
      $('se-body').textContent = (body && body.detail) || ('the service answered ' + response.status);
    }
  } catch (e) {
    $('se-body').textContent = 'could not reach the service';
  } finally {
    $('settings-button').disabled = false;
  }
}

// ---- the runs list -------------------------------------------------------------------------------------------

async function refreshRuns() {
  clearTimeout(runsTimer);
  let active = false;
  try {
    const [runs, state] = await Promise.all([getJson('/api/runs'), getJson('/api/pipeline')]);
    pipeline = state;
    showPipeline();
    active = runs.some((r) => r.state === 'running');
    newestRun = runs.length > 0 ? runs[0].id : null;
    renderRuns(runs);
  } catch (e) {
    $('pipeline').textContent = 'service unreachable';
  }
  runsTimer = setTimeout(refreshRuns, active ? 1000 : 5000);
}

// a run's name and tags (GET /api/runs), as text: a person typed them
function runLabel(run) {
  const label = textSpan('label', run.name || '');
  for (const tag of run.tags || []) label.append(' ', textSpan('tag', tag));
  return label;
}

// Each run's list item, made once and updated in place: the list refreshes every second while a run is going, and a
// rebuilt list would drop a checkbox or button from under a click. A sweep's runs go under one entry of their own,
// collapsed until opened (sweepItems, by sweep id, made once too), in the place of its newest run.
const runItems = new Map();
const sweepItems = new Map();

function renderRuns(runs) {
  $('runs-empty').hidden = runs.length > 0;
  const seen = new Set();
  const bySweep = new Map(); // sweep id -> its runs' items, newest first
  const items = [];
  for (const run of runs) {
    seen.add(run.id);
    let entry = runItems.get(run.id);
    if (!entry) {
      entry = runItem(run);
      runItems.set(run.id, entry);
    }
    updateRunItem(entry, run);
    if (!run.sweepId) {
      items.push(entry.item);
      continue;
    }
    if (!bySweep.has(run.sweepId)) {
      bySweep.set(run.sweepId, []);
      let sweep = sweepItems.get(run.sweepId);
      if (!sweep) {
        sweep = sweepItem(run.sweepId);
        sweepItems.set(run.sweepId, sweep);
      }
      items.push(sweep.item);
    }
    bySweep.get(run.sweepId).push({ run, item: entry.item });
  }
  for (const [id, members] of bySweep) updateSweepItem(sweepItems.get(id), members);
  for (const id of [...runItems.keys()]) if (!seen.has(id)) runItems.delete(id);
  for (const id of [...sweepItems.keys()]) if (!bySweep.has(id)) sweepItems.delete(id);
  $('runs').replaceChildren(...items);
}

function sweepItem(id) {
  const item = document.createElement('li');
  item.className = 'sweep-entry';
  item.dataset.sweep = id;
  const toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.className = 'sweep-toggle';
  toggle.setAttribute('aria-expanded', 'false');
  const list = document.createElement('ol');
  list.className = 'run-list';
  list.id = 'sweep-runs-' + id;
  list.hidden = true;
  toggle.setAttribute('aria-controls', list.id);
  toggle.addEventListener('click', () => openSweep(item, toggle.getAttribute('aria-expanded') !== 'true'));
  const link = document.createElement('a');
  link.href = '#sweep=' + id;
  link.textContent = 'open sweep';
  item.append(toggle, link, list);
  return { item, toggle, link, list };
}

function openSweep(item, open) {
  item.querySelector('.sweep-toggle').setAttribute('aria-expanded', String(open));
  item.querySelector('ol').hidden = !open;
}

// "sweep <its runs' name, or its id> · 8 runs · running" (or done), its runs inside, newest first
function updateSweepItem({ toggle, link, list }, members) {
  const named = members.find(({ run }) => run.name);
  const title = named ? named.run.name : members[0].run.sweepId;
  const running = members.some(({ run }) => run.state === 'running');
  const state = textSpan('state', running ? 'running' : 'done');
  if (running) state.classList.add('running');
  toggle.replaceChildren(textSpan('id', 'sweep'), state, textSpan('label', title),
    textSpan('counts', `${members.length} run${members.length === 1 ? '' : 's'}`));
  link.setAttribute('aria-label', 'open sweep ' + title);
  list.replaceChildren(...members.map(({ item }) => item));
}

// aria-current="true" on the run on screen (an empty aria-current would mean false)
function markCurrent(button, current) {
  if (current) button.setAttribute('aria-current', 'true'); else button.removeAttribute('aria-current');
}

function runItem(run) {
  const item = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.dataset.id = run.id;
  button.addEventListener('click', () => { location.hash = 'run=' + run.id; });
  const pick = document.createElement('input');
  pick.type = 'checkbox';
  pick.className = 'pick';
  pick.setAttribute('aria-label', 'compare run ' + run.id);
  pick.addEventListener('change', () => {
    if (pick.checked) picked.add(run.id); else picked.delete(run.id);
    $('compare-button').disabled = picked.size < 2;
    $('nav-compare').href = picked.size < 2 ? '#compare' : '#compare=' + [...picked].join(',');
  });
  item.append(pick, button);
  return { item, button, pick };
}

function updateRunItem({ button, pick }, run) {
  markCurrent(button, watched != null && watched.id === run.id);
  const c = run.counts;
  const state = textSpan('state', run.state);
  state.classList.add(run.state); // a class from the server's words, set as a class, never parsed as HTML
  const parts = [textSpan('id', run.id), state];
  if (run.name || (run.tags && run.tags.length > 0)) parts.push(runLabel(run));
  parts.push(textSpan('counts', `loaded ${c.loaded} · processed ${c.processed} · dropped ${c.dropped}`
    + (c.expired > 0 ? ` · expired ${c.expired}` : '')));
  button.replaceChildren(...parts);
  pick.checked = picked.has(run.id);
}

// ---- watching one run ----------------------------------------------------------------------------------------

let watching = 0; // counts watch() calls: an answer for a run the address has moved on from is dropped

async function watch(id) {
  const mine = ++watching;
  $('nav-runs').href = '#run=' + id;
  if (watched) {
    // the run before stops here: neither its state nor its figures show under this run's address
    watched.source.close();
    watched.charts.destroy();
    watched = null;
    setState(null, 'opening');
  }
  let view;
  try {
    view = await getJson('/api/runs/' + id);
  } catch (e) {
    if (mine === watching) $('live').hidden = true;
    return;
  }
  if (mine !== watching) return;
  const tensor = isTensor(view.spec.model) || view.spec.dataset != null;
  // a model fed 64 numbers a row (8x8, as digits): its latest results are drawn, each from the row it was fed
  const image = tensor && models.has(view.spec.model) && models.get(view.spec.model).rowLength === 64;
  const fields = !tensor ? '' : '&fields=seq,prediction,score,queueDepth,queueWaitMs,inferenceMs,totalMs,worker,'
    + 'row,label,correct' + (image ? ',input' : '');
  watched = {
    id, view, spec: view.spec, capacity: view.queue.capacity,
    lastSeq: 0, received: 0, maxDepth: 0,
    pendingRows: [], dirty: true, ended: false, skipped: 0, image, digits: [], digitsDirty: false,
    // live: the newest results and the stats, never holding the run up; a slow page skips ahead (gap events)
    source: new EventSource(api(`/api/runs/${id}/events?mode=live${fields}`)),
  };
  resetView(view);
  const w = watched;
  w.charts = new RunCharts($('run-charts'), {
    capacity: view.queue.capacity, maxBatchSize: pipeline ? pipeline.maxBatchSize : 1,
  });
  loadSeries(w);
  w.source.addEventListener('result', (e) => onResult(w, JSON.parse(e.data)));
  w.source.addEventListener('expired', (e) => onExpired(w, JSON.parse(e.data)));
  w.source.addEventListener('stats', (e) => onStats(w, JSON.parse(e.data)));
  w.source.addEventListener('end', (e) => onEnd(w, JSON.parse(e.data)));
  w.source.addEventListener('gap', (e) => {
    // results this view will not show (skipped to keep up, or no longer kept): say so rather than pretend
    const gap = JSON.parse(e.data);
    w.skipped += gap.lastMissed - gap.firstMissed + 1;
    w.lastSeq = Math.max(w.lastSeq, gap.lastMissed);
    $('gap-note').textContent = gap.message;
    $('gap-note').hidden = false;
  });
  w.source.addEventListener('disconnect', (e) => {
    // the server ends this stream before the run's end and says why; EventSource resumes by itself
    $('gap-note').textContent = 'The server ended the stream: ' + JSON.parse(e.data).message;
    $('gap-note').hidden = false;
  });
  w.source.addEventListener('open', () => setState(w, w.view.state));
  w.source.addEventListener('error', () => {
    // EventSource reconnects by itself and resumes after the last id it saw
    if (!w.ended && w.source.readyState === EventSource.CONNECTING) setState(w, 'reconnecting');
  });
  requestAnimationFrame(() => render(w));
  document.querySelectorAll('#runs button').forEach((b) =>
    markCurrent(b, b.dataset.id === id));
  // a sweep's run opened from elsewhere (a sweep's step) is shown in the list, its sweep's entry opened
  const inSweep = document.querySelector(`#runs li.sweep-entry button[data-id="${CSS.escape(id)}"]`);
  if (inSweep) openSweep(inSweep.closest('li.sweep-entry'), true);
}

function resetView(view) {
  $('live').hidden = false;
  $('live-id').textContent = view.id;
  const named = view.name || (view.tags && view.tags.length > 0);
  $('live-label').hidden = !named;
  $('live-label').replaceChildren(...(named ? [runLabel(view)] : []));
  for (const format of ['csv', 'jsonl']) {
    $('results-' + format).href = api(`/api/runs/${view.id}/results?format=${format}`);
    $('results-' + format).hidden = true; // offered once the run has ended: then it is the whole run
  }
  const s = view.spec;
  const model = s.model && s.model !== 'simulated' ? `model ${s.model}, ` : '';
  $('live-spec').textContent = s.dataset != null
    ? `${model}dataset ${s.dataset}, maxItems ${s.maxItems}, loader pause ${s.loadIntervalMs} ms, overflow ${s.overflow}`
    : model + (s.itemCount != null
    ? `${s.itemCount} given items`
    : `seed ${s.seed}, values ${s.min}..${s.max}`)
    + `, sentinel ${s.sentinel}, maxItems ${s.maxItems}, loader pause ${s.loadIntervalMs} ms,`
    + ` inference ${s.inferenceMs} ms, overflow ${s.overflow}`;
  $('results').replaceChildren();
  $('digit-results').replaceChildren();
  $('digits').hidden = true;
  $('summary').hidden = true;
  $('summary').className = 'summary';
  $('verdict').hidden = true;
  $('timings').hidden = true;
  $('rows-note').textContent = '';
  $('gap-note').hidden = true;
  onView(watched, view);
}

function onResult(w, result) {
  if (result.seq <= w.lastSeq) return; // already shown (a reconnect resumes after the last id)
  w.lastSeq = result.seq;
  w.received++;
  w.maxDepth = Math.max(w.maxDepth, result.queueDepth);
  w.pendingRows.push(result);
  if (w.pendingRows.length > MAX_ROWS) w.pendingRows.splice(0, w.pendingRows.length - MAX_ROWS);
  if (w.image && Array.isArray(result.input)) {
    w.digits.push(result);
    if (w.digits.length > DIGITS_SHOWN) w.digits.splice(0, w.digits.length - DIGITS_SHOWN);
    w.digitsDirty = true;
  }
  w.dirty = true;
}

// an item that waited past the run's deadlineMs: it has a row of its own, and no result will come for it
function onExpired(w, item) {
  if (item.seq <= w.lastSeq) return;
  w.lastSeq = item.seq;
  w.pendingRows.push({ ...item, expired: true });
  if (w.pendingRows.length > MAX_ROWS) w.pendingRows.splice(0, w.pendingRows.length - MAX_ROWS);
  w.dirty = true;
}

function onView(w, view) {
  w.view = view;
  w.dirty = true;
}

// a stats event: the run's view and its series' newest points, which join the charts' (else the whole series is asked)
function onStats(w, live) {
  onView(w, live);
  if (!w.charts) return;
  w.charts.setLimits({ capacity: live.queue.capacity, maxBatchSize: pipeline ? pipeline.maxBatchSize : 1 });
  if (!w.charts.addTail(live.series)) loadSeries(w);
}

// the run's whole series: once it is opened and once it ended (its last interval closes at its end)
async function loadSeries(w) {
  try {
    const series = await getJson(`/api/runs/${w.id}/series`);
    if (watched === w) w.charts.setSeries(series);
  } catch (e) {
    // the run was evicted meanwhile: the charts keep what they have
  }
}

function onEnd(w, view) {
  w.ended = true;
  w.source.close();
  onView(w, view);
  loadSeries(w);
  refreshRuns();
}

function setState(w, state) {
  const badge = $('live-state');
  badge.textContent = state;
  badge.className = 'state ' + state;
}

// Everything that changes on screen is drawn at most once per frame, however fast events come.
function render(w) {
  if (watched !== w) return;
  if (w.dirty) {
    w.dirty = false;
    const v = w.view;
    const running = v.state === 'running';
    setState(w, v.state);
    $('cancel-button').disabled = !running || w.ended;
    $('c-loaded').textContent = v.counts.loaded;
    $('c-processed').textContent = w.ended ? v.counts.processed : Math.max(v.counts.processed, w.received);
    $('c-dropped').textContent = v.counts.dropped;
    $('c-cancelled').textContent = v.counts.cancelled;
    $('c-expired').textContent = v.counts.expired;
    $('c-lanes').textContent = v.queue.depthByPriority.join(' · ');
    $('c-rate').textContent = v.stats ? Math.round(v.stats.throughput) : 0;
    $('c-depth').textContent = v.queue.depth;
    const q = v.queue;
    $('c-queueAll').textContent = `mean ${q.meanDepth.toFixed(1)} · max ${Math.max(q.maxDepth, w.maxDepth)} of ${q.capacity}`;
    $('c-queueOwn').textContent = `mean ${q.ownMeanDepth.toFixed(1)} · max ${q.ownMaxDepth}`;
    renderProgress(w, v, running && !w.ended);
    renderRows(w);
    renderDigits(w, v);
    renderStats(v);
    if (w.ended) renderSummary(v);
    $('results-csv').hidden = $('results-jsonl').hidden = running;
  }
  if (!w.ended || w.dirty) requestAnimationFrame(() => render(w));
}

function renderProgress(w, v, active) {
  $('activity').classList.toggle('on', active);
  const bound = Math.min(v.spec.maxItems, v.spec.itemCount != null ? v.spec.itemCount : Infinity);
  const bar = $('progress-bar');
  // a completed run has loaded all it was to load, at its sentinel or its bound: the bar is full
  const completed = v.state === 'completed';
  bar.max = completed ? Math.max(1, v.counts.loaded) : bound;
  bar.value = completed ? bar.max : v.counts.loaded;
  const rate = v.stats ? `, ${Math.round(v.stats.throughput)} items/s` : '';
  const ends = v.spec.itemCount != null
    ? `at the sentinel ${v.spec.sentinel} if the items hold it, else after ${bound}`
    : `when ${v.spec.sentinel} is drawn, or at the latest after ${bound} items (maxItems)`;
  $('progress-text').textContent = active
    ? `working${rate}: ${v.counts.loaded} loaded so far; the run ends ${ends}`
    : completed ? `completed after ${v.counts.loaded} items: all it was to load`
      : `${v.state}: ${v.counts.loaded} loaded of at most ${bound}`;
}

function renderRows(w) {
  if (w.pendingRows.length > 0) {
    const body = $('results');
    const sentinel = w.spec.sentinel;
    const rows = w.pendingRows.map((r) => {
      const tr = document.createElement('tr');
      if (r.expired) {
        tr.className = 'expired';
        tr.title = `waited ${r.queueWaitMs.toFixed(2)} ms in the queue, past the run's deadlineMs: not run`;
      } else if (r.value != null && r.value === sentinel) {
        tr.className = 'sentinel';
        tr.title = 'the sentinel: the run ends with this item';
      }
      const cells = r.expired
        ? [r.seq, r.value ?? r.row, 'expired', '', r.queueDepth, r.queueWaitMs.toFixed(2), '', '', '']
        : [r.seq, r.value ?? r.row, r.prediction, r.score, r.queueDepth, r.queueWaitMs.toFixed(2), r.inferenceMs.toFixed(2),
          r.totalMs.toFixed(2), r.worker];
      for (const cell of cells) {
        const td = document.createElement('td');
        td.textContent = cell;
        tr.append(td);
      }
      return tr;
    });
    w.pendingRows = [];
    body.prepend(...rows.reverse());
    while (body.rows.length > MAX_ROWS) body.deleteRow(body.rows.length - 1);
  }
  const shown = $('results').rows.length;
  $('rows-note').textContent = w.received > shown || w.skipped > 0
    ? `(newest ${shown}; ${w.received} received${w.skipped > 0 ? `, ${w.skipped} skipped by the live view` : ''})`
    : '';
}

// A tensor run's accuracy so far (the run's view: labelled and correct results), and an 8x8 run's latest results as
// images with their prediction, label and whether it was right.
function renderDigits(w, v) {
  const accuracy = v.accuracy;
  $('digits').hidden = !w.image && !accuracy;
  $('accuracy-tile').hidden = !accuracy;
  if (accuracy) {
    $('c-accuracy').textContent = accuracy.labelled > 0 ? (100 * accuracy.accuracy).toFixed(1) + '%' : '–';
    $('c-correct').textContent = accuracy.correct;
    $('c-labelled').textContent = accuracy.labelled;
  }
  if (!w.digitsDirty) return;
  w.digitsDirty = false;
  $('digit-results').replaceChildren(...w.digits.slice().reverse().map(digitItem));
}

function digitItem(r) {
  const item = document.createElement('li');
  const labelled = r.label != null;
  item.className = 'digit' + (!labelled ? '' : r.correct ? ' correct' : ' wrong');
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 8;
  const said = `row ${r.row}: predicted ${r.prediction ?? 'nothing'}`
    + (labelled ? `, label ${r.label}, ${r.correct ? 'correct' : 'wrong'}` : '');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', said);
  drawDigit(canvas, r.input);
  const text = document.createElement('span');
  text.className = 'digit-text';
  text.append(textSpan('predicted', `predicted ${r.prediction ?? '–'}`));
  if (labelled) {
    text.append(textSpan('label', `label ${r.label}`),
      textSpan('verdict', r.correct ? '✓ correct' : '✗ wrong'));
  }
  item.append(canvas, text);
  return item;
}

// the row's 64 numbers as 8x8 pixels, dark ink on white, scaled from the row's own range (digits' are 0..16)
function drawDigit(canvas, input) {
  const g = canvas.getContext('2d');
  const image = g.createImageData(8, 8);
  const low = Math.min(0, ...input);
  const high = Math.max(...input);
  const span = high > low ? high - low : 1;
  input.forEach((x, i) => {
    const shade = 255 - Math.round(255 * (x - low) / span);
    image.data.set([shade, shade, shade, 255], i * 4);
  });
  g.putImageData(image, 0, 0);
}

function renderStats(v) {
  const s = v.stats;
  if (!s) return;
  $('verdict').hidden = false;
  const label = $('verdict-label');
  label.textContent = s.verdict;
  label.className = 'badge ' + s.verdict;
  $('verdict-reason').textContent = s.reason;
  if (s.inferenceMs) {
    $('timings').hidden = false;
    for (const metric of ['queueWaitMs', 'inferenceMs', 'totalMs']) {
      for (const p of ['p50', 'p90', 'p99', 'max']) {
        $(`t-${metric}-${p}`).textContent = s[metric][p].toFixed(2);
      }
    }
  }
}

function renderSummary(v) {
  const box = $('summary');
  const c = v.counts;
  box.hidden = false;
  box.className = 'summary ' + v.state;
  const took = v.stats ? ` in ${(v.stats.elapsedMs / 1000).toFixed(2)} s` : '';
  box.textContent = `Run ${v.state}${took}: ${c.processed} processed, ${c.dropped} dropped, ${c.cancelled} cancelled`
    + (c.expired > 0 ? `, ${c.expired} expired` : '')
    + ` of ${c.loaded} loaded.` + (v.failure ? ` ${v.failure}.` : '')
    + (v.stats ? ` Verdict: ${v.stats.verdict}.` : '');
}


// ---- cancelling --------------------------------------------------------------------------------------------------

async function cancelRun() {
  if (!watched) return;
  $('cancel-button').disabled = true;
  try {
    await fetch(api('/api/runs/' + watched.id), { method: 'DELETE' });
  } catch (e) {
    $('cancel-button').disabled = false;
  }
}
