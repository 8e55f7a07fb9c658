// The history: each workout with its sets; a set corrected in place (PATCH) or deleted (DELETE) through
// the same service as /history in chat, the answer's errors shown beside the set.
import { api, ApiError } from "../api.js";
import { h, toast } from "../dom.js";
import { t, tn, formatDate, formatNumber, unitName } from "../i18n.js";

function errorText(error) {
  if (error instanceof ApiError) {
    const fields = (error.body.fields || []).map((f) => `${f.path ? `${f.path}: ` : ""}${f.message}`);
    if (error.status === 404) return t("history.not_found");
    if (error.status === 401) return t("error.auth");
    return [error.body.error || t("error.generic"), ...fields].join(" · ");
  }
  return t("error.network");
}

function describeSet(set, unit) {
  const parts = [];
  if (set.weight !== null && set.weight !== undefined) parts.push(`${formatNumber(set.weight, 2)} ${unit}`);
  if (set.reps !== null && set.reps !== undefined) parts.push(`× ${set.reps}`);
  if (set.duration_s) parts.push(t("history.seconds", { n: set.duration_s }));
  if (set.distance_m) parts.push(t("history.metres", { n: formatNumber(set.distance_m, 0) }));
  if (set.warmup) parts.push(`(${t("history.warmup")})`);
  return parts.join(" ") || "—";
}

function setRow(set, unit, editable, onChanged) {
  const row = h("tr", { dataset: { setId: set.id } });
  const message = h("div", { class: "error", role: "alert" });
  function showStatic() {
    const actions = editable
      ? [
          h("button", { type: "button", class: "edit", "aria-label": t("history.edit_label", { exercise: set.exercise, n: set.set_number }), onclick: showEdit }, t("history.edit")),
          " ",
          deleteButton(),
        ]
      : [];
    row.replaceChildren(
      h("td", {}, set.set_number),
      h("td", { class: "value" }, describeSet(set, unit), message),
      h("td", { class: "actions" }, actions),
    );
  }
  function deleteButton() {
    let armed = false;
    const button = h("button", { type: "button", class: "danger delete", "aria-label": t("history.delete_label", { exercise: set.exercise, n: set.set_number }) }, t("history.delete"));
    button.addEventListener("click", async () => {
      if (!armed) {
        armed = true;
        button.textContent = t("history.confirm_delete");
        setTimeout(() => { armed = false; button.textContent = t("history.delete"); }, 5000);
        return;
      }
      button.disabled = true;
      try {
        const answer = await api(`sets/${encodeURIComponent(set.id)}`, { method: "DELETE" });
        row.remove();
        toast(recordsNote(t("history.deleted"), answer));
        onChanged();
      } catch (error) {
        button.disabled = false;
        message.textContent = errorText(error);
      }
    });
    return button;
  }
  function showEdit() {
    const inputs = {};
    const fields = [];
    if (set.weight !== null && set.weight !== undefined) {
      inputs.weight = h("input", { type: "number", step: "any", min: "0", name: "weight", value: set.weight, "aria-label": t("history.weight", { unit }) });
      fields.push(h("label", {}, t("history.weight", { unit }), inputs.weight));
    }
    if (set.reps !== null && set.reps !== undefined) {
      inputs.reps = h("input", { type: "number", step: "1", min: "0", name: "reps", value: set.reps, "aria-label": t("history.reps") });
      fields.push(h("label", {}, t("history.reps"), inputs.reps));
    }
    if (set.duration_s !== null && set.duration_s !== undefined) {
      inputs.duration_s = h("input", { type: "number", step: "1", min: "0", name: "duration_s", value: set.duration_s, "aria-label": t("history.duration") });
      fields.push(h("label", {}, t("history.duration"), inputs.duration_s));
    }
    const save = h("button", { type: "submit", class: "primary save" }, t("history.save"));
    const form = h("form", { class: "row" }, fields, save,
      h("button", { type: "button", class: "cancel", onclick: () => { message.textContent = ""; showStatic(); } }, t("history.cancel")));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const body = {};
      for (const [key, input] of Object.entries(inputs)) {
        if (input.value === "") continue;
        body[key] = Number(input.value); // the server says what is wrong with 2.5 reps
      }
      save.disabled = true;
      message.textContent = "";
      try {
        const answer = await api(`sets/${encodeURIComponent(set.id)}`, { method: "PATCH", body });
        Object.assign(set, answer);
        showStatic();
        toast(recordsNote(t("history.saved"), answer));
        onChanged();
      } catch (error) {
        save.disabled = false;
        message.textContent = errorText(error);
      }
    });
    row.replaceChildren(h("td", {}, set.set_number), h("td", { colspan: 2 }, form, message));
    (inputs.weight || inputs.reps || inputs.duration_s)?.focus();
  }
  showStatic();
  return row;
}

function recordsNote(text, answer) {
  const records = (answer && answer.records_changed) || [];
  return records.length ? `${text} ${t("history.records", { records: records.join(", ") })}` : text;
}

/** The translated name of a status ("completed" -> "Completed"), the status itself when unknown. */
function label(prefix, status) {
  const key = `${prefix}.${String(status).toUpperCase()}`;
  const text = t(key);
  return text === key ? status : text;
}

function sessionCard(session, unit, editable, onChanged) {
  const byExercise = new Map();
  for (const set of session.sets) {
    if (!byExercise.has(set.exercise)) byExercise.set(set.exercise, []);
    byExercise.get(set.exercise).push(set);
  }
  const body = [];
  for (const [exercise, sets] of byExercise) {
    body.push(h("tr", {}, h("th", { colspan: 3 }, exercise)));
    for (const set of sets) body.push(setRow(set, unit, editable, onChanged));
  }
  return h("article", { class: "card session", dataset: { sessionId: session.id } },
    h("h3", {}, h("span", {}, session.name), h("span", { class: "muted" }, formatDate(session.date))),
    h("p", { class: "muted" }, label("session", session.status),
      " · ", tn("history.sets", session.sets.length)),
    session.sets.length ? h("table", { class: "sets" }, h("tbody", {}, body)) : null);
}

export async function renderHistory(view, ctx) {
  const editable = !ctx.traineeId;
  const unit = ctx.me.unit;
  view.append(h("h2", {}, t("history.title")));
  const list = h("div", { id: "history-list" });
  const more = h("button", { type: "button", id: "history-more", hidden: true }, t("history.more"));
  view.append(list, more);
  let before = null;
  async function page() {
    more.disabled = true;
    const data = await api("history", { params: { trainee: ctx.traineeId, before, limit: 20 } });
    for (const session of data.sessions) list.append(sessionCard(session, unitName(data.unit || unit), editable, ctx.changed));
    if (!list.children.length) list.append(h("p", { class: "muted" }, t("history.none")));
    before = data.next_before;
    more.hidden = !before;
    more.disabled = false;
  }
  more.addEventListener("click", page);
  await page();
}
