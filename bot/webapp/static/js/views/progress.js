// Per-exercise charts (top set, e1RM, volume), body measurements, volume per muscle group per week.
import { api } from "../api.js";
import { h } from "../dom.js";
import { t, formatDate, formatNumber, unitName } from "../i18n.js";
import { lineChart, stackedBars } from "../charts.js";

const METRICS = ["top_weight", "e1rm", "volume"];

export async function renderProgress(view, ctx) {
  const exercises = await api("exercises", { params: { trainee: ctx.traineeId } });
  view.append(h("h2", {}, t("progress.title")));
  if (!exercises.length) {
    view.append(h("p", { class: "muted" }, t("progress.none")));
    return;
  }
  exercises.sort((a, b) => (b.last || "").localeCompare(a.last || ""));
  const select = h("select", { id: "exercise-select" },
    exercises.map((e) => h("option", { value: e.id }, `${e.name} (${e.sets})`)));
  let metric = "top_weight";
  const metricButtons = METRICS.map((m) =>
    h("button", { type: "button", "aria-pressed": String(m === metric), dataset: { metric: m },
      onclick: () => { metric = m; show(); } }, t(`progress.${m}`)));
  const chartBox = h("div", { id: "exercise-chart" });
  const metricRow = h("div", { class: "seg", role: "group", "aria-label": t("progress.metric") }, metricButtons);
  view.append(
    h("div", { class: "row" },
      h("label", {}, t("progress.exercise"), select),
      metricRow),
    chartBox,
  );
  let cache = new Map();
  async function show() {
    for (const b of metricButtons) b.setAttribute("aria-pressed", String(b.dataset.metric === metric));
    const id = select.value;
    if (!cache.has(id)) {
      cache.set(id, await api(`progress/${encodeURIComponent(id)}`, { params: { trainee: ctx.traineeId } }));
    }
    const data = cache.get(id);
    // A timed exercise draws its longest set, a bodyweight one its most reps; a lift the chosen measure.
    const tracking = String(data.tracking || "weight_reps").toLowerCase();
    const field = tracking === "duration" ? "duration_s" : tracking === "reps" && metric !== "volume" ? "top_reps" : metric;
    metricRow.hidden = tracking === "duration";
    const unit = field === "duration_s" ? t("unit.s") : field === "top_reps" ? t("unit.reps") : unitName(data.unit || ctx.me.unit);
    const format = field === "volume" ? (v) => formatNumber(v, 0) : (v) => `${formatNumber(v)}`;
    const describe = (p) =>
      field === "top_weight" || field === "e1rm"
        ? p.top_reps ? `${formatNumber(p.top_weight)} ${unit.trim()} × ${p.top_reps}` : `${format(p.y)} ${unit}`
        : `${format(p.y)} ${unit}`;
    chartBox.replaceChildren(
      lineChart({
        label: `${data.exercise.name}: ${t(`progress.${field}`)} (${unit})`,
        points: data.points.map((p) => ({ ...p, value: p[field] })),
        format,
        describe,
      }),
    );
  }
  select.addEventListener("change", show);
  await show();
}

export async function renderBody(view, ctx) {
  const data = await api("measurements", { params: { trainee: ctx.traineeId } });
  view.append(h("h2", {}, t("body.title")));
  const metrics = (data.metrics || []).filter((m) => m.points && m.points.length);
  if (!metrics.length) {
    view.append(h("p", { class: "muted" }, t("body.none")));
  }
  for (const m of metrics) {
    const last = m.points[m.points.length - 1];
    view.append(
      h("section", { class: "card" },
        h("h3", {}, m.name, " ", h("span", { class: "muted" }, `${formatNumber(last.value)} ${unitName(m.unit)} · ${formatDate(last.date)}`)),
        lineChart({ label: `${m.name} (${unitName(m.unit)})`, points: m.points, format: (v) => formatNumber(v) })),
    );
  }
}

export async function renderVolume(view, ctx) {
  const weeksSelect = h("select", { id: "volume-weeks" }, [12, 26, 52].map((n) => h("option", { value: n }, t("volume.weeks", { n }))));
  const box = h("div", { id: "volume-chart" });
  view.append(h("h2", {}, t("volume.title")), h("label", {}, t("volume.period"), weeksSelect), box);
  async function showVolume() {
    const volume = await api("volume", { params: { trainee: ctx.traineeId, weeks: weeksSelect.value } });
    box.replaceChildren(
      stackedBars({
        label: t("volume.title"),
        weeks: volume.weeks || [],
        format: (v) => `${formatNumber(v, 0)}`,
        groupName: (g) => t(`muscle.${g}`) === `muscle.${g}` ? g : t(`muscle.${g}`),
      }),
      h("p", { class: "muted" }, t("volume.unit", { unit: unitName(volume.unit || ctx.me.unit) })),
    );
  }
  weeksSelect.addEventListener("change", showVolume);
  await showVolume();
}
