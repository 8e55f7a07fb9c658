// The calendar heat-map of the last year (and the two weeks ahead), the streak and the week's adherence.
import { api } from "../api.js";
import { h, s } from "../dom.js";
import { t, tn, formatDate } from "../i18n.js";

const CELL = 12;
const GAP = 2;
const STATUSES = ["done", "planned", "missed", "rest"];

function weekdayMondayFirst(iso) {
  const day = new Date(`${iso}T00:00:00Z`).getUTCDay();
  return (day + 6) % 7;
}

export function heatmap(days, today, onPick) {
  const wrap = h("div", { class: "heatmap" });
  if (!days.length) return wrap;
  const offset = weekdayMondayFirst(days[0].date);
  const columns = Math.ceil((days.length + offset) / 7);
  const svg = s("svg", {
    width: 22 + columns * (CELL + GAP),
    height: 16 + 7 * (CELL + GAP),
    role: "img",
    "aria-label": t("calendar.label"),
  });
  let lastMonth = "";
  days.forEach((day, i) => {
    const col = Math.floor((i + offset) / 7);
    const row = (i + offset) % 7;
    const x = 22 + col * (CELL + GAP);
    const y = 16 + row * (CELL + GAP);
    const month = day.date.slice(0, 7);
    if (row === 0 && month !== lastMonth) {
      lastMonth = month;
      svg.append(s("text", { x, y: 10, "font-size": 9, fill: "currentColor", opacity: 0.6 },
        formatDate(day.date, { month: "short" })));
    }
    const status = STATUSES.includes(day.status) ? day.status : "rest";
    const names = (day.sessions || []).map((x) => x.name).join(", ");
    const rect = s("rect", {
      x, y, width: CELL, height: CELL, rx: 2,
      class: `${status}${day.date === today ? " today" : ""}`,
      "data-date": day.date,
      "data-status": status,
      onclick: () => onPick(day),
    }, s("title", {}, `${formatDate(day.date)}: ${t(`status.${status}`)}${names ? ` - ${names}` : ""}`));
    svg.append(rect);
  });
  ["mon", "wed", "fri"].forEach((d, i) => {
    svg.append(s("text", { x: 0, y: 16 + (i * 2 + 1) * (CELL + GAP) - 3, "font-size": 9, fill: "currentColor", opacity: 0.6 },
      t(`weekday.${d}`)));
  });
  wrap.append(svg);
  return wrap;
}

export async function renderCalendar(view, ctx) {
  const data = await api("calendar", { params: { trainee: ctx.traineeId } });
  const detail = h("div", { class: "card", id: "day-detail", hidden: true });
  const pick = (day) => {
    detail.hidden = false;
    detail.replaceChildren(
      h("h3", {}, formatDate(day.date), " · ", t(`status.${day.status}`)),
      day.sessions && day.sessions.length
        ? h("ul", {}, day.sessions.map((x) => h("li", {}, x.name)))
        : h("p", { class: "muted" }, t("calendar.nothing")),
    );
  };
  const week = data.week || { done: 0, scheduled: 0 };
  const adherence = week.scheduled ? Math.round((100 * week.done) / week.scheduled) : null;
  const counts = Object.fromEntries(STATUSES.map((st) => [st, data.days.filter((d) => d.status === st).length]));
  view.append(
    h("div", { class: "stats" },
      h("div", { class: "stat", id: "streak" }, h("b", {}, data.streak), tn("calendar.streak", data.streak)),
      h("div", { class: "stat", id: "week" }, h("b", {}, `${week.done}/${week.scheduled}`),
        adherence === null ? t("calendar.week") : t("calendar.week_pct", { pct: adherence })),
      h("div", { class: "stat" }, h("b", {}, counts.done), t("calendar.done_year"))),
    h("h2", {}, t("calendar.title")),
    heatmap(data.days, data.today, pick),
    h("div", { class: "legend" },
      STATUSES.map((st) => h("span", {}, h("i", { style: `background:var(--${st})` }), t(`status.${st}`)))),
    detail,
  );
  const map = view.querySelector(".heatmap");
  map.scrollLeft = map.scrollWidth; // the newest weeks first
}
