// The coach's roster: each trainee with what needs attention; a tap opens their calendar and charts.
import { api } from "../api.js";
import { h } from "../dom.js";
import { t, formatDate } from "../i18n.js";

export async function loadRoster(ctx) {
  if (!ctx.roster) ctx.roster = await api("trainees");
  return ctx.roster;
}

function attentionText(code) {
  const key = `attention.${code}`;
  const text = t(key);
  return text === key ? code : text;
}

export async function renderRoster(view, ctx) {
  const roster = await loadRoster(ctx);
  view.append(h("h2", {}, t("coach.title")));
  if (!roster.length) {
    view.append(h("p", { class: "muted" }, t("coach.none")));
    return;
  }
  const sorted = [...roster].sort((a, b) => b.attention.length - a.attention.length || a.name.localeCompare(b.name));
  view.append(
    h("ul", { class: "plain", id: "roster" },
      sorted.map((tr) =>
        h("li", { class: "card" },
          h("button", { type: "button", class: "trainee", dataset: { traineeId: tr.id },
            "aria-label": t("coach.open", { name: tr.name }), onclick: () => ctx.viewTrainee(tr) },
            h("span", {},
              h("b", {}, tr.name), tr.username ? h("span", { class: "muted" }, ` @${tr.username}`) : null,
              h("br"),
              h("span", { class: "muted" },
                tr.last_workout ? t("coach.last", { date: formatDate(tr.last_workout) }) : t("coach.never"),
                tr.adherence_14d === null || tr.adherence_14d === undefined
                  ? ""
                  : ` · ${t("coach.adherence", { pct: Math.round(tr.adherence_14d * 100) })}`),
              h("br"),
              tr.attention.map((a) => h("span", { class: "flag" }, attentionText(a)))),
            h("span", { "aria-hidden": "true" }, "›"))))),
  );
}
