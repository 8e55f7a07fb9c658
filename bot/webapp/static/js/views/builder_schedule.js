// The builder's schedule: a grid of the program's days; workouts placed by drag-and-drop or by click
// (pick a workout, then tap days), removed by tapping them on a day.
import { h } from "../dom.js";
import { t } from "../i18n.js";
import { scheduledDays } from "./builder_model.js";

const MAX_PER_DAY = 5;

export function scheduleEditor(draft, onChange) {
  const box = h("section", { class: "card", "data-loc": "days" });
  let picked = null;

  function addTo(day, key, fromDay) {
    const list = (draft.days[day] ||= []);
    if (fromDay !== undefined && fromDay !== null && fromDay !== day) {
      draft.days[fromDay] = (draft.days[fromDay] || []).filter((k) => k !== key);
    }
    if (!list.includes(key) && list.length < MAX_PER_DAY) list.push(key);
    onChange();
    render();
  }

  function render() {
    const length = Math.max(1, Math.min(730, Number.parseInt(draft.length_days, 10) || 1));
    const names = Object.fromEntries(draft.workouts.map((w) => [w.key, w.name.trim() || t("builder.workout_n", { key: w.key })]));
    for (const day of Object.keys(draft.days)) {
      draft.days[day] = draft.days[day].filter((k) => k in names);
      if (Number(day) > length) delete draft.days[day];
    }
    if (picked && !(picked in names)) picked = null;
    const palette = h("div", { class: "palette", role: "group", "aria-label": t("builder.palette") },
      draft.workouts.map((w) =>
        h("button", {
          type: "button", class: "chip", draggable: "true", "aria-pressed": String(picked === w.key),
          dataset: { workout: w.key },
          ondragstart: (e) => e.dataTransfer.setData("text/plain", JSON.stringify({ key: w.key })),
          onclick: () => { picked = picked === w.key ? null : w.key; render(); },
        }, `${w.key} · ${names[w.key]}`)));
    const indexOf = new Map(scheduledDays(draft).map((d, i) => [d, i]));
    const grid = h("div", { class: "schedule", id: "schedule-grid" });
    for (let day = 1; day <= length; day++) {
      const keys = draft.days[day] || [];
      const cell = h("div", {
        class: "day", role: "button", tabindex: "0", dataset: { day: String(day) },
        "data-loc": indexOf.has(day) ? `days[${indexOf.get(day)}]` : undefined,
        "aria-label": t("builder.day_label", { n: day, workouts: keys.map((k) => names[k]).join(", ") || t("program.rest") }),
        onclick: (e) => { if (e.target === cell || e.target.classList.contains("num")) { if (picked) addTo(day, picked); } },
        onkeydown: (e) => { if ((e.key === "Enter" || e.key === " ") && e.target === cell && picked) { e.preventDefault(); addTo(day, picked); } },
        ondragover: (e) => { e.preventDefault(); cell.classList.add("over"); },
        ondragleave: () => cell.classList.remove("over"),
        ondrop: (e) => {
          e.preventDefault();
          cell.classList.remove("over");
          try {
            const { key, from } = JSON.parse(e.dataTransfer.getData("text/plain"));
            if (key in names) addTo(day, key, from);
          } catch { /* not one of ours */ }
        },
      }, h("span", { class: "num" }, day),
        keys.map((k) => h("button", {
          type: "button", class: "chip placed", draggable: "true", dataset: { workout: k },
          "aria-label": t("builder.remove_from_day", { name: names[k], n: day }),
          ondragstart: (e) => e.dataTransfer.setData("text/plain", JSON.stringify({ key: k, from: day })),
          onclick: () => { draft.days[day] = keys.filter((x) => x !== k); onChange(); render(); },
        }, k, " ×")));
      grid.append(cell);
    }
    const repeat = h("button", { type: "button", id: "repeat-week", onclick: () => {
      for (let day = 8; day <= length; day++) {
        const source = draft.days[((day - 1) % 7) + 1];
        draft.days[day] = source ? [...source] : [];
      }
      onChange();
      render();
    } }, t("builder.repeat_week"));
    const clearAll = h("button", { type: "button", onclick: () => { draft.days = {}; onChange(); render(); } }, t("builder.clear_days"));
    box.replaceChildren(
      h("h3", {}, t("builder.schedule")),
      h("p", { class: "muted" }, t("builder.schedule_help")),
      palette, grid, h("div", { class: "row" }, repeat, clearAll),
    );
  }
  render();
  return { element: box, render };
}
