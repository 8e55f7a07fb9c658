// Hand-written SVG charts: a time series with range buttons (1M/3M/1Y/All), drag-to-zoom, wheel zoom and
// tooltips; stacked weekly bars. No chart library: the page stays a few kilobytes.
import { h, s, clear } from "./dom.js";
import { t, formatDate, formatNumber } from "./i18n.js";

const W = 480;
const H = 220;
const PAD = { left: 46, right: 14, top: 12, bottom: 26 };
const DAY = 86400000;
const RANGES = [
  ["1M", 30],
  ["3M", 91],
  ["1Y", 365],
  ["All", null],
];

export const PALETTE = ["#2e86de", "#e67e22", "#27ae60", "#8e44ad", "#c0392b", "#16a085", "#d35400", "#7f8c8d",
  "#f1c40f", "#2c3e50", "#e84393", "#00b894"];

const toTime = (iso) => Date.parse(`${iso}T00:00:00Z`);

function niceTicks(min, max, count = 4) {
  if (min === max) return [min];
  const span = max - min;
  const step0 = span / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((x) => span / x <= count) || 10 * mag;
  const ticks = [];
  for (let v = Math.ceil(min / step) * step; v <= max + 1e-9; v += step) ticks.push(Number(v.toFixed(6)));
  return ticks;
}

/**
 * A line chart of `points` ([{date, value}]); `format(value)` renders a value for ticks and tooltips,
 * `describe(point)` the tooltip's extra line. Returns the chart's element (controls + svg).
 */
export function lineChart({ label, points, format = (v) => formatNumber(v), describe }) {
  const data = points
    .filter((p) => p.value !== null && p.value !== undefined && Number.isFinite(Number(p.value)))
    .map((p) => ({ ...p, x: toTime(p.date), y: Number(p.value) }))
    .sort((a, b) => a.x - b.x);
  const wrap = h("div", { class: "chart" });
  if (!data.length) {
    wrap.append(h("p", { class: "muted" }, t("chart.empty")));
    return wrap;
  }
  const fullMin = data[0].x;
  const fullMax = data[data.length - 1].x;
  let domain = [fullMin, fullMax];
  let activeRange = "All";

  const buttons = RANGES.map(([name, days]) =>
    h(
      "button",
      {
        type: "button",
        "aria-pressed": String(name === activeRange),
        dataset: { range: name },
        onclick: () => {
          activeRange = name;
          domain = days ? [Math.max(fullMin, fullMax - days * DAY), fullMax] : [fullMin, fullMax];
          if (domain[0] === domain[1]) domain = [domain[0] - DAY, domain[1] + DAY];
          draw();
        },
      },
      name === "All" ? t("chart.all") : name,
    ),
  );
  const reset = h("button", { type: "button", hidden: true, onclick: () => buttons[3].click() }, t("chart.reset"));
  wrap.append(h("div", { class: "row" }, h("div", { class: "seg", role: "group", "aria-label": t("chart.range") }, buttons), reset));

  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": label });
  const tooltip = h("div", { class: "tooltip", hidden: true });
  wrap.append(svg, tooltip);

  let visible = [];
  let shownRange = domain;
  let sx = () => 0;
  let sy = () => 0;
  const cursor = s("line", { class: "cursor", y1: PAD.top, y2: H - PAD.bottom, visibility: "hidden" });
  const selection = s("rect", { class: "selection", y: PAD.top, height: H - PAD.top - PAD.bottom, width: 0, visibility: "hidden" });

  function draw() {
    clear(svg);
    for (const b of buttons) b.setAttribute("aria-pressed", String(b.dataset.range === activeRange));
    reset.hidden = activeRange !== null;
    const span = domain[1] - domain[0] || 2 * DAY;
    const [x0, x1] = [domain[0] - span * 0.03, domain[1] + span * 0.03]; // the end points stay whole
    shownRange = [x0, x1];
    visible = data.filter((p) => p.x >= x0 && p.x <= x1);
    const ys = (visible.length ? visible : data).map((p) => p.y);
    let y0 = Math.min(...ys);
    let y1 = Math.max(...ys);
    const margin = (y1 - y0) * 0.08 || Math.abs(y1) * 0.1 || 1;
    y0 -= margin;
    y1 += margin;
    sx = (x) => PAD.left + ((x - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
    sy = (y) => H - PAD.bottom - ((y - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom);
    const grid = s("g", { class: "grid" });
    const axis = s("g", { class: "axis" });
    for (const v of niceTicks(y0, y1)) {
      grid.append(s("line", { x1: PAD.left, x2: W - PAD.right, y1: sy(v), y2: sy(v) }));
      axis.append(s("text", { x: PAD.left - 4, y: sy(v) + 3, "text-anchor": "end" }, format(v)));
    }
    const xticks = 3;
    for (let i = 0; i <= xticks; i++) {
      const x = x0 + ((x1 - x0) * i) / xticks;
      const iso = new Date(x).toISOString().slice(0, 10);
      axis.append(
        s("text", { x: sx(x), y: H - 8, "text-anchor": i === 0 ? "start" : i === xticks ? "end" : "middle" },
          formatDate(iso, { day: "numeric", month: "short", year: x1 - x0 > 300 * DAY ? "2-digit" : undefined })),
      );
    }
    svg.append(grid, axis);
    const clip = `clip-${Math.random().toString(36).slice(2)}`;
    svg.append(s("clipPath", { id: clip }, s("rect", { x: PAD.left, y: 0, width: W - PAD.left - PAD.right, height: H })));
    const shown = data.filter((p, i) => (p.x >= x0 && p.x <= x1) || (data[i + 1] && data[i + 1].x >= x0 && p.x < x0) || (data[i - 1] && data[i - 1].x <= x1 && p.x > x1));
    const path = shown.map((p, i) => `${i ? "L" : "M"}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join("");
    const g = s("g", { "clip-path": `url(#${clip})` });
    g.append(s("path", { class: "series", d: path }));
    if (visible.length <= 120) {
      for (const p of visible) g.append(s("circle", { class: "point", cx: sx(p.x), cy: sy(p.y), r: 3, "data-date": p.date }));
    }
    svg.append(g, cursor, selection);
    svg.dataset.points = String(visible.length);
  }

  function toSvgX(event) {
    const box = svg.getBoundingClientRect();
    return ((event.clientX - box.left) / box.width) * W;
  }
  function invertX(px) {
    const [x0, x1] = shownRange;
    return x0 + ((px - PAD.left) / (W - PAD.left - PAD.right)) * (x1 - x0);
  }
  function nearest(px) {
    let best = null;
    for (const p of visible) if (!best || Math.abs(sx(p.x) - px) < Math.abs(sx(best.x) - px)) best = p;
    return best;
  }
  function showTip(px) {
    const p = nearest(px);
    if (!p) return;
    cursor.setAttribute("x1", sx(p.x));
    cursor.setAttribute("x2", sx(p.x));
    cursor.setAttribute("visibility", "visible");
    const box = svg.getBoundingClientRect();
    tooltip.hidden = false;
    tooltip.textContent = `${formatDate(p.date)}: ${format(p.y)}${describe ? ` · ${describe(p)}` : ""}`;
    tooltip.style.left = `${(sx(p.x) / W) * box.width}px`;
    tooltip.style.top = `${(sy(p.y) / H) * box.height}px`;
  }
  function hideTip() {
    tooltip.hidden = true;
    cursor.setAttribute("visibility", "hidden");
  }
  let dragFrom = null;
  svg.addEventListener("pointerdown", (e) => {
    dragFrom = toSvgX(e);
    svg.setPointerCapture?.(e.pointerId);
    showTip(dragFrom); // a tap on a phone shows the nearest point
  });
  svg.addEventListener("pointermove", (e) => {
    const px = toSvgX(e);
    if (dragFrom !== null && Math.abs(px - dragFrom) > 4) {
      selection.setAttribute("x", Math.min(px, dragFrom));
      selection.setAttribute("width", Math.abs(px - dragFrom));
      selection.setAttribute("visibility", "visible");
    }
    showTip(px);
  });
  svg.addEventListener("pointerup", (e) => {
    const px = toSvgX(e);
    if (dragFrom !== null && Math.abs(px - dragFrom) > 10) {
      const a = invertX(Math.min(px, dragFrom));
      const b = invertX(Math.max(px, dragFrom));
      if (b - a >= DAY) zoomTo(a, b);
    }
    dragFrom = null;
    selection.setAttribute("visibility", "hidden");
  });
  svg.addEventListener("pointerleave", hideTip);
  svg.addEventListener("wheel", (e) => {
    if (!e.ctrlKey && !e.altKey && !e.shiftKey) return; // plain scrolling scrolls the page
    e.preventDefault();
    const centre = invertX(toSvgX(e));
    const factor = e.deltaY > 0 ? 1.25 : 0.8;
    zoomTo(centre - (centre - domain[0]) * factor, centre + (domain[1] - centre) * factor);
  });
  function zoomTo(a, b) {
    domain = [Math.max(fullMin, a), Math.min(fullMax, b)];
    if (domain[1] - domain[0] < DAY) domain = [domain[0] - DAY, domain[1] + DAY];
    activeRange = null;
    draw();
  }
  svg.tabIndex = 0;
  svg.addEventListener("keydown", (e) => {
    const span = domain[1] - domain[0];
    if (e.key === "+" || e.key === "=") zoomTo(domain[0] + span * 0.15, domain[1] - span * 0.15);
    else if (e.key === "-") zoomTo(domain[0] - span * 0.25, domain[1] + span * 0.25);
    else if (e.key === "ArrowLeft") zoomTo(domain[0] - span * 0.2, domain[1] - span * 0.2);
    else if (e.key === "ArrowRight") zoomTo(domain[0] + span * 0.2, domain[1] + span * 0.2);
  });
  draw();
  return wrap;
}

/** Stacked bars: `weeks` [{start, groups: {name: value}}]; `label` for the svg, `format` for values. */
export function stackedBars({ label, weeks, format = (v) => formatNumber(v, 0), groupName = (g) => g }) {
  const wrap = h("div", { class: "chart bars" });
  const groups = [...new Set(weeks.flatMap((w) => Object.keys(w.groups || {})))].sort();
  if (!weeks.length || !groups.length) {
    wrap.append(h("p", { class: "muted" }, t("chart.empty")));
    return wrap;
  }
  const totals = weeks.map((w) => groups.reduce((sum, g) => sum + Number(w.groups[g] || 0), 0));
  const max = Math.max(...totals, 1);
  const svg = s("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": label });
  const band = (W - PAD.left - PAD.right) / weeks.length;
  const sy = (v) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);
  const axis = s("g", { class: "axis" });
  const grid = s("g", { class: "grid" });
  for (const v of niceTicks(0, max)) {
    grid.append(s("line", { x1: PAD.left, x2: W - PAD.right, y1: sy(v), y2: sy(v) }));
    axis.append(s("text", { x: PAD.left - 4, y: sy(v) + 3, "text-anchor": "end" }, format(v)));
  }
  svg.append(grid, axis);
  let bars = 0;
  weeks.forEach((w, i) => {
    let acc = 0;
    const x = PAD.left + i * band + band * 0.15;
    groups.forEach((g, gi) => {
      const v = Number(w.groups[g] || 0);
      if (!v) return;
      const rect = s("rect", { x, width: band * 0.7, y: sy(acc + v), height: sy(acc) - sy(acc + v), fill: PALETTE[gi % PALETTE.length] },
        s("title", {}, `${formatDate(w.start)} · ${groupName(g)}: ${format(v)}`));
      svg.append(rect);
      acc += v;
      bars++;
    });
    if (i % Math.ceil(weeks.length / 6) === 0) {
      axis.append(s("text", { x: x + band * 0.35, y: H - 8, "text-anchor": "middle" }, formatDate(w.start, { day: "numeric", month: "short" })));
    }
  });
  svg.dataset.points = String(bars);
  wrap.append(svg);
  wrap.append(
    h("div", { class: "legend" },
      groups.map((g, gi) => h("span", {}, h("i", { style: `background:${PALETTE[gi % PALETTE.length]}` }), groupName(g)))),
  );
  return wrap;
}
