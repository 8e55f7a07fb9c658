// The current program's schedule: each enrollment's days and workouts, today's day marked.
import { api } from "../api.js";
import { h } from "../dom.js";
import { t } from "../i18n.js";

function label(status) {
  const key = `enrollment.${String(status).toUpperCase()}`;
  const text = t(key);
  return text === key ? status : text;
}

export async function renderProgram(view, ctx) {
  const data = await api("program", { params: { trainee: ctx.traineeId } });
  view.append(h("h2", {}, t("program.title")));
  const enrollments = data.enrollments || [];
  if (!enrollments.length) {
    view.append(h("p", { class: "muted" }, t("program.none")));
    return;
  }
  for (const e of enrollments) {
    const days = e.days || [];
    view.append(
      h("section", { class: "card enrollment" },
        h("h3", {}, e.program.name),
        h("p", { class: "muted" }, label(e.status),
          " · ", t("program.day", { n: e.current_day })),
        h("ol", { class: "plain schedule-list" },
          days.map((d) =>
            h("li", { class: d.day === e.current_day ? "current" : "", "aria-current": d.day === e.current_day ? "step" : undefined },
              h("b", {}, t("program.day", { n: d.day })), ": ",
              d.workouts.length ? d.workouts.map((w) => w.name).join(", ") : t("program.rest"))))),
    );
  }
}
