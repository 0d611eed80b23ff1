// What the page's modules share: the service's address, JSON in and out, text in the DOM, and the canvas charts of
// comparisons and sweeps.

export const $ = (id) => document.getElementById(id);

// The service's own address without any user:password a person typed into the address bar: a browser refuses to
// fetch a URL that carries credentials, and sends the ones it signed in with to its own origin anyway.
export function api(path) {
  return new URL(path, location.origin).href;
}

export async function getJson(path) {
  const response = await fetch(api(path), { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(path + ' answered ' + response.status);
  return response.json();
}

// Sends a JSON body and reads the JSON answer: what was made or changed, or a problem (null if the answer is not JSON).
export async function sendJson(method, path, value) {
  const response = await fetch(api(path), {
    method,
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(value),
  });
  return { response, body: await response.json().catch(() => null) };
}

/** A span with a class and a text: text set as text, never parsed as HTML. */
export function textSpan(className, text) {
  const s = document.createElement('span');
  s.className = className;
  s.textContent = text;
  return s;
}

// a canvas sized to its box at the screen's pixel ratio, cleared, with the page's label font; pad in CSS pixels, points
// what data-points says of it (the charts of sweeps.js use it too)
export function frame(canvas, points, pad) {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.max(1, Math.round(canvas.clientWidth * ratio));
  canvas.height = Math.max(1, Math.round(canvas.clientHeight * ratio));
  canvas.dataset.points = String(points);
  const g = canvas.getContext('2d');
  g.clearRect(0, 0, canvas.width, canvas.height);
  g.font = `${11 * ratio}px system-ui, sans-serif`;
  g.fillStyle = '#5b6577';
  g.textBaseline = 'middle';
  const box = { left: pad.left * ratio, top: pad.top * ratio };
  box.w = canvas.width - box.left - pad.right * ratio;
  box.h = canvas.height - box.top - pad.bottom * ratio;
  return { g, ratio, box };
}

// step lines of [time in us, level] points, from 0 to top, with top drawn as a dashed line. Each series starts at its
// own time 0 (its start, else its first point), so that runs at different times share one axis; data-points holds
// each series' number of points, comma-separated.
export function drawSteps(canvas, series, top, topLabel) {
  const { g, ratio, box: pad } = frame(canvas, series.map((s) => s.points.length).join(','),
    { left: 34, right: 10, top: 12, bottom: 20 });
  const plotW = pad.w;
  const plotH = pad.h;
  const cap = top;
  const y = (depth) => pad.top + plotH - (depth / cap) * plotH;

  g.textAlign = 'right';
  g.fillText('0', pad.left - 6 * ratio, y(0));
  g.fillText(String(cap), pad.left - 6 * ratio, y(cap));
  g.strokeStyle = '#d9dee7';
  g.lineWidth = ratio;
  g.beginPath();
  g.moveTo(pad.left, y(0));
  g.lineTo(pad.left + plotW, y(0));
  g.stroke();

  g.strokeStyle = '#b3261e';
  g.setLineDash([6 * ratio, 4 * ratio]);
  g.beginPath();
  g.moveTo(pad.left, y(cap));
  g.lineTo(pad.left + plotW, y(cap));
  g.stroke();
  g.setLineDash([]);
  g.textAlign = 'left';
  g.fillStyle = '#b3261e';
  g.fillText(topLabel, pad.left + 4 * ratio, y(cap) - 8 * ratio);

  const drawn = series.filter((s) => s.points.length > 0);
  if (drawn.length === 0) return;
  const start = (s) => (s.start ?? s.points[0][0]);
  const span = Math.max(1, ...drawn.map((s) => s.points[s.points.length - 1][0] - start(s)));
  g.lineWidth = 2 * ratio;
  for (const s of drawn) {
    const { points } = s;
    const t0 = start(s);
    const x = (t) => pad.left + ((t - t0) / span) * plotW;
    g.strokeStyle = s.colour || '#2457c5';
    g.beginPath();
    g.moveTo(x(points[0][0]), y(points[0][1]));
    for (let i = 1; i < points.length; i++) {
      g.lineTo(x(points[i][0]), y(points[i - 1][1]));
      g.lineTo(x(points[i][0]), y(points[i][1]));
    }
    g.stroke();
  }
  g.fillStyle = '#5b6577';
  g.textAlign = 'right';
  g.fillText(`${(span / 1e6).toFixed(1)} s`, pad.left + plotW, canvas.height - 8 * ratio);
}

