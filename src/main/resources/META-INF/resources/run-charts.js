// A run's charts over one shared time axis, drawn by uPlot from the series the service keeps (GET
// /api/runs/{id}/series; the newest points in each stats event): throughput, latency p50/p99, the queue's depth as a
// min-max band with its mean and the capacity on top, and batch size. Hover shows the values at a time in each
// legend, on every chart at once; drag across one to zoom all of them, double-click to see the whole run again.
import uPlot from '/webjars/uplot/1.6.30/dist/uPlot.esm.js';

const BLUE = '#2457c5';
const ORANGE = '#d9822b';
const RED = '#b3261e';
const GREY = '#5b6577';
const AXIS = { stroke: GREY, grid: { stroke: '#e6e9ef' }, ticks: { stroke: '#d9dee7' } };
const stepped = uPlot.paths.stepped({ align: 1 }); // a point holds its value over its interval
const fixed = (digits) => (u, v) => (v == null ? '–' : v.toFixed(digits));

// Each chart: its id, height, y-axis title, the series drawn from a point (by its field), and its lines' looks.
const CHARTS = [
  { key: 'throughput', height: 170, y: 'items/s', title: 'Throughput: items processed per second', series: [
    { label: 'items/s', field: 'throughput', stroke: BLUE, digits: 1 },
  ] },
  { key: 'latency', height: 170, y: 'total latency (ms)', title: 'Latency, load to result: p50 and p99 in ms',
    series: [
    { label: 'p50 ms', field: 'p50Ms', stroke: BLUE, digits: 2 },
    { label: 'p99 ms', field: 'p99Ms', stroke: ORANGE, digits: 2 },
  ] },
  { key: 'depth', height: 190, y: 'items in queue', band: [3, 1],
    title: 'Queue depth: fewest to most items in the queue (band), mean (line), capacity (dashed)', series: [
    { label: 'min', field: 'depthMin', stroke: 'rgba(36, 87, 197, 0.35)', digits: 0 },
    { label: 'mean', field: 'depthMean', stroke: BLUE, digits: 2, width: 2 },
    { label: 'max', field: 'depthMax', stroke: 'rgba(36, 87, 197, 0.35)', digits: 0 },
    { label: 'capacity', field: 'capacity', stroke: RED, digits: 0, dash: [6, 4] },
  ] },
  { key: 'batch', height: 150, y: 'items per batch', title: 'Batch size: mean items per batch, and the largest allowed',
    series: [
    { label: 'mean batch', field: 'batchMean', stroke: BLUE, digits: 2 },
    { label: 'max batch size', field: 'maxBatchSize', stroke: RED, digits: 0, dash: [6, 4] },
  ] },
];

export class RunCharts {
  /** @param root an element the charts go in; limits {capacity, maxBatchSize} draw the dashed lines */
  constructor(root, limits) {
    this.root = root;
    this.limits = limits;
    this.points = [];
    this.merge = 1;
    this.zoomed = false;
    this.syncing = false;
    this.sync = uPlot.sync('run-' + Math.random().toString(36).slice(2));
    root.replaceChildren();
    this.plots = CHARTS.map((chart) => this.make(chart));
    this.note = document.createElement('p');
    this.note.className = 'hint chart-note';
    this.note.hidden = true;
    root.append(this.note);
    this.draw();
  }

  make(chart) {
    const figure = document.createElement('figure');
    figure.className = 'chart';
    figure.id = chart.key + '-chart';
    const caption = document.createElement('figcaption');
    caption.textContent = `${chart.title}, over the time since the run started (s)`; // the axes are drawn, not text
    figure.append(caption);
    this.root.append(figure);
    const opts = {
      width: this.width(),
      height: chart.height,
      cursor: { sync: { key: this.sync.key, setSeries: false }, drag: { x: true, y: false } },
      scales: { x: { time: false } },
      axes: [
        { ...AXIS, label: 'time since the run started (s)', labelSize: 20, size: 36 },
        { ...AXIS, label: chart.y, labelSize: 20, size: 48 },
      ],
      series: [
        { label: 's', value: fixed(2) },
        ...chart.series.map((s) => ({
          label: s.label, stroke: s.stroke, width: s.width || 1.5, dash: s.dash, paths: stepped,
          value: fixed(s.digits), points: { show: false }, spanGaps: false,
        })),
      ],
      bands: chart.band ? [{ series: chart.band, fill: 'rgba(36, 87, 197, 0.14)' }] : [],
      hooks: { setScale: [(u, key) => { if (key === 'x') this.zoomedTo(u); }] },
    };
    if (chart.key === 'depth' || chart.key === 'batch') {
      // the dashed limit in sight, with room above it
      opts.scales.y = { range: (u, min, max) => [0, Math.max(1, max) * 1.1] };
    } else {
      opts.scales.y = { range: (u, min, max) => [0, Math.max(max, 1e-9) * 1.1] };
    }
    const plot = new uPlot(opts, this.columns(chart), figure);
    plot.chart = chart;
    plot.figure = figure;
    this.sync.sub(plot);
    figure.addEventListener('dblclick', () => { this.zoomed = false; this.draw(); });
    return plot;
  }

  width() {
    return Math.max(200, (this.root.clientWidth || 600) - 2); // within its 1 px border
  }

  // one x per point's start, and a last at the end of the newest: each value holds over its interval (stepped)
  columns(chart) {
    const pts = this.points;
    const x = pts.map((p) => p.startMs / 1000);
    if (pts.length > 0) x.push(pts[pts.length - 1].endMs / 1000);
    const value = (p, field) => (field in this.limits ? this.limits[field] : p[field]);
    return [x, ...chart.series.map((s) => {
      const ys = pts.map((p) => value(p, s.field));
      if (pts.length > 0) ys.push(ys[ys.length - 1]);
      return ys;
    })];
  }

  // a zoom on one chart is a zoom on all, said on each chart and the root (data-x-min, data-x-max in seconds)
  zoomedTo(u) {
    const { min, max } = u.scales.x;
    this.root.dataset.xMin = u.root.parentElement.dataset.xMin = String(min);
    this.root.dataset.xMax = u.root.parentElement.dataset.xMax = String(max);
    if (this.syncing) return;
    const end = this.points.length > 0 ? this.points[this.points.length - 1].endMs / 1000 : 0;
    this.zoomed = min > (this.points.length > 0 ? this.points[0].startMs / 1000 : 0) + 1e-9 || max < end - 1e-9;
    this.syncing = true;
    for (const other of this.plots || []) {
      if (other !== u) other.setScale('x', { min, max });
    }
    this.syncing = false;
  }

  /** The whole series (GET /api/runs/{id}/series). */
  setSeries(series) {
    this.points = series.points.slice();
    this.merge = series.merge;
    this.draw();
  }

  /** A stats event's newest points; false when they do not join what is here (then ask for the whole series). */
  addTail(tail) {
    if (!tail || tail.merge !== this.merge || tail.from > this.points.length) return false;
    this.points.splice(tail.from, Infinity, ...tail.points);
    this.draw();
    return true;
  }

  /** The dashed lines move when the settings change live. */
  setLimits(limits) {
    Object.assign(this.limits, limits);
  }

  resize() {
    for (const plot of this.plots) plot.setSize({ width: this.width(), height: plot.chart.height });
  }

  draw() {
    const processed = this.points.reduce((sum, p) => sum + p.processed, 0);
    this.root.dataset.points = String(this.points.length);
    this.root.dataset.processed = String(processed);
    // batches of one with a largest batch of one say nothing over time: a sentence instead of a flat line
    const single = this.limits.maxBatchSize <= 1 && this.points.every((p) => p.batchMean == null || p.batchMean <= 1);
    for (const plot of this.plots) {
      if (plot.chart.key === 'batch') plot.figure.hidden = single;
      plot.setData(this.columns(plot.chart), !this.zoomed);
    }
    this.note.hidden = !single;
    this.note.textContent = single ? 'Batches of one item each: the model\'s max batch size is 1.' : '';
  }

  destroy() {
    for (const plot of this.plots) plot.destroy();
    this.root.replaceChildren();
  }
}
