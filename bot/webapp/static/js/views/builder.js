// The coach's program builder: name, description, phases, workouts with exercises from the catalog,
// the schedule; "Validate" shows each problem beside its field, "Save" makes a private program, "Assign"
// starts it for a trainee.
import { api, ApiError } from "../api.js";
import { h, toast } from "../dom.js";
import { t } from "../i18n.js";
import { CATEGORIES, DIFFICULTIES, locationCandidates, newDraft, newInstruction, nextKey, toDocument } from "./builder_model.js";
import { scheduleEditor } from "./builder_schedule.js";
import { loadRoster } from "./coach.js";

let draft = newDraft();
let saved = null;

function field(loc, label, input) {
  input.id ||= `f-${loc.replace(/[^a-z0-9]+/gi, "-")}`;
  return h("label", { "data-loc": loc, for: input.id }, label, input);
}

function text(loc, label, get, set, { multiline = false, type = "text", ...attrs } = {}) {
  const input = multiline
    ? h("textarea", { rows: 2, ...attrs })
    : h("input", { type, ...attrs });
  input.value = get() ?? "";
  input.addEventListener("input", () => set(input.value));
  return field(loc, label, input);
}

/** How the document names an exercise: a catalog code, or the name of the coach's own exercise. */
const exerciseRef = (e) => (e.own ? e.name : e.code || e.id);

function catalogSelect(catalog, ex, onPick) {
  const groups = new Map();
  for (const e of catalog) {
    const muscle = e.muscle || "";
    if (!groups.has(muscle)) groups.set(muscle, []);
    groups.get(muscle).push(e);
  }
  const select = h("select", { class: "exercise" },
    h("option", { value: "" }, t("builder.pick_exercise")),
    [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([muscle, items]) =>
      h("optgroup", { label: muscle || "—" },
        items.sort((a, b) => a.name.localeCompare(b.name)).map((e) => h("option", { value: exerciseRef(e) }, e.name)))));
  select.value = ex.exercise;
  select.addEventListener("change", () => onPick(select.value));
  return select;
}

function instructionEditor(catalog, workout, index, redraw) {
  const ex = workout.exercises[index];
  const loc = `workouts.${workout.key}.exercises[${index}]`;
  const tracking = (catalog.find((e) => exerciseRef(e) === ex.exercise) || {}).tracking || "";
  const timed = /DURATION/i.test(tracking);
  const weighted = !tracking || /WEIGHT/i.test(tracking);
  const select = catalogSelect(catalog, ex, (value) => { ex.exercise = value; redraw(); });
  return h("div", { class: "instruction", "data-loc": loc },
    h("div", { class: "row" },
      field(`${loc}.exercise`, t("builder.exercise"), select),
      text(`${loc}.sets`, t("builder.sets"), () => ex.sets, (v) => (ex.sets = v), { type: "number", min: 1, max: 20, class: "sets" }),
      timed
        ? text(`${loc}.duration`, t("builder.duration"), () => ex.duration, (v) => (ex.duration = v), { class: "duration", placeholder: "45s", size: 6 })
        : text(`${loc}.reps`, t("builder.reps"), () => ex.reps, (v) => (ex.reps = v), { class: "reps", placeholder: "5 / 8-12", size: 6 }),
      weighted && !timed
        ? text(`${loc}.weight_kg`, t("builder.weight_kg"), () => ex.weight_kg, (v) => (ex.weight_kg = v), { type: "number", step: "any", min: 0, class: "weight" })
        : null,
      text(`${loc}.rest`, t("builder.rest"), () => ex.rest, (v) => (ex.rest = v), { type: "number", min: 0, max: 3600, class: "rest" }),
      h("button", { type: "button", class: "danger", "aria-label": t("builder.remove_exercise"),
        onclick: () => { workout.exercises.splice(index, 1); redraw(); } }, "×")));
}

function workoutEditor(catalog, workout, redraw) {
  const loc = `workouts.${workout.key}`;
  return h("section", { class: "workout", "data-loc": loc, dataset: { workout: workout.key } },
    h("div", { class: "row" },
      h("b", {}, workout.key),
      text(`${loc}.name`, t("builder.workout_name"), () => workout.name, (v) => (workout.name = v), { class: "workout-name", maxlength: 100 }),
      h("button", { type: "button", class: "danger", onclick: () => {
        draft.workouts = draft.workouts.filter((w) => w !== workout);
        redraw();
      } }, t("builder.remove_workout"))),
    h("div", { "data-loc": `${loc}.exercises` },
      workout.exercises.map((_ex, i) => instructionEditor(catalog, workout, i, redraw))),
    h("button", { type: "button", class: "add-exercise", onclick: () => { workout.exercises.push(newInstruction()); redraw(); } },
      t("builder.add_exercise")));
}

function phaseEditor(phase, index, redraw) {
  const loc = `phases[${index}]`;
  return h("div", { class: "row", "data-loc": loc },
    text(`${loc}.name`, t("builder.phase_name"), () => phase.name, (v) => (phase.name = v)),
    text(`${loc}.start_day`, t("builder.start_day"), () => phase.start_day, (v) => (phase.start_day = v), { type: "number", min: 1 }),
    text(`${loc}.end_day`, t("builder.end_day"), () => phase.end_day, (v) => (phase.end_day = v), { type: "number", min: 1 }),
    h("button", { type: "button", class: "danger", "aria-label": t("builder.remove_phase"),
      onclick: () => { draft.phases.splice(index, 1); redraw(); } }, "×"));
}

function clearProblems(root) {
  for (const el of root.querySelectorAll(".problem")) el.remove();
  for (const el of root.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
}

/** Each problem beside the field its location names; those with no field in the general list. */
function showProblems(root, general, problems) {
  clearProblems(root);
  general.replaceChildren();
  let n = 0;
  for (const problem of problems) {
    let target = null;
    for (const candidate of locationCandidates(problem.location || "")) {
      target = root.querySelector(`[data-loc="${CSS.escape(candidate)}"]`);
      if (target) break;
    }
    const note = h("p", { class: "problem", role: "alert", id: `problem-${n++}`, "data-location": problem.location || "" },
      target ? problem.message : `${problem.location ? `${problem.location}: ` : ""}${problem.message}`);
    if (!target) {
      general.append(note);
      continue;
    }
    target.append(note);
    const input = target.matches("input, select, textarea") ? target : target.querySelector(":scope > input, :scope > select, :scope > textarea");
    if (input) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", note.id);
    } else {
      target.setAttribute("aria-invalid", "true");
    }
  }
  const first = root.querySelector(".problem");
  first?.scrollIntoView?.({ block: "center" });
}

function problemsOf(error) {
  if (error instanceof ApiError) {
    if (error.status === 401) return [{ location: "", message: t("error.auth") }];
    if (error.body.problems) return error.body.problems;
    if (error.body.fields) return error.body.fields.map((f) => ({ location: f.path, message: f.message }));
    return [{ location: "", message: error.body.error || t("error.generic") }];
  }
  return [{ location: "", message: t("error.network") }];
}

export async function renderBuilder(view, ctx) {
  const catalog = (await api("catalog")).exercises || [];
  const root = h("form", { id: "builder", novalidate: true, onsubmit: (e) => e.preventDefault() });
  const general = h("div", { id: "builder-problems", role: "alert" });
  const status = h("p", { id: "builder-status", "aria-live": "polite" });
  const assignBox = h("div", { id: "assign" });
  view.append(h("h2", {}, t("builder.title")), root);
  let schedule;

  function redraw() {
    // Categories as checkboxes (a phone has no multiple select worth the name); the first ticked is primary.
    const categories = h("fieldset", { class: "categories", "data-loc": "categories" },
      h("legend", {}, t("builder.categories")),
      CATEGORIES.map((c) => {
        const box = h("input", { type: "checkbox", value: c, checked: draft.categories.includes(c) });
        box.addEventListener("change", () => {
          draft.categories = box.checked ? [...draft.categories, c] : draft.categories.filter((x) => x !== c);
        });
        return h("label", { class: "check" }, box, t(`category.${c}`));
      }));
    const difficulty = h("select", { id: "f-difficulty" }, DIFFICULTIES.map((d) => h("option", { value: d }, t(`difficulty.${d}`))));
    difficulty.value = draft.difficulty;
    difficulty.addEventListener("change", () => (draft.difficulty = difficulty.value));
    schedule = scheduleEditor(draft, () => {});
    root.replaceChildren(
      h("section", { class: "card" },
        text("name", t("builder.name"), () => draft.name, (v) => (draft.name = v), { id: "f-name", maxlength: 100 }),
        h("br"),
        text("description", t("builder.description"), () => draft.description, (v) => (draft.description = v), { multiline: true, id: "f-description" }),
        h("div", { class: "row" },
          field("difficulty", t("builder.difficulty"), difficulty),
          text("schedule.length_days", t("builder.length_days"), () => draft.length_days,
            (v) => { draft.length_days = v; schedule.render(); }, { type: "number", min: 1, max: 730, id: "f-length" })),
        categories,
        text("notes", t("builder.notes"), () => draft.notes, (v) => (draft.notes = v), { multiline: true, id: "f-notes" })),
      h("section", { class: "card", "data-loc": "phases" },
        h("h3", {}, t("builder.phases")),
        draft.phases.map((p, i) => phaseEditor(p, i, redraw)),
        h("button", { type: "button", id: "add-phase", onclick: () => {
          const last = draft.phases[draft.phases.length - 1];
          const start = last ? Number(last.end_day) + 1 : 1;
          draft.phases.push({ name: "", start_day: String(start), end_day: String(Math.max(start, Number(draft.length_days) || start)) });
          redraw();
        } }, t("builder.add_phase"))),
      h("section", { class: "card", "data-loc": "workouts" },
        h("h3", {}, t("builder.workouts")),
        draft.workouts.map((w) => workoutEditor(catalog, w, redraw)),
        h("button", { type: "button", id: "add-workout", onclick: () => {
          draft.workouts.push({ key: nextKey(draft.workouts), name: "", exercises: [newInstruction()] });
          redraw();
        } }, t("builder.add_workout"))),
      schedule.element,
      general,
      h("div", { class: "row" },
        h("button", { type: "button", id: "validate", onclick: validate }, t("builder.validate")),
        h("button", { type: "button", class: "primary", id: "save", onclick: save }, t("builder.save")),
        h("button", { type: "button", id: "new-program", onclick: () => { draft = newDraft(); saved = null; assignBox.replaceChildren(); status.textContent = ""; redraw(); } }, t("builder.new"))),
      status,
      assignBox,
    );
  }

  async function validate() {
    status.textContent = t("builder.checking");
    redraw();
    try {
      const answer = await api("programs/validate", { method: "POST", body: toDocument(draft) });
      showProblems(root, general, answer.problems || []);
      status.textContent = answer.ok ? t("builder.valid") : t("builder.invalid", { n: (answer.problems || []).length });
      status.className = answer.ok ? "ok" : "error";
    } catch (error) {
      showProblems(root, general, problemsOf(error));
      status.textContent = t("builder.invalid", { n: problemsOf(error).length });
      status.className = "error";
    }
  }

  async function save() {
    redraw();
    status.textContent = t("builder.saving");
    try {
      saved = await api("programs", { method: "POST", body: toDocument(draft) });
      clearProblems(root);
      general.replaceChildren();
      status.textContent = t("builder.saved", { name: saved.name });
      status.className = "ok";
      toast(status.textContent);
      await showAssign();
    } catch (error) {
      const problems = problemsOf(error);
      showProblems(root, general, problems);
      status.textContent = t("builder.invalid", { n: problems.length });
      status.className = "error";
    }
  }

  async function showAssign() {
    const roster = await loadRoster(ctx).catch(() => []);
    if (!saved) return;
    if (!roster.length) {
      assignBox.replaceChildren(h("p", { class: "muted" }, t("coach.none")));
      return;
    }
    const trainee = h("select", { id: "assign-trainee" }, roster.map((tr) => h("option", { value: tr.id }, tr.name)));
    const start = h("input", { type: "date", id: "assign-start", value: new Date().toISOString().slice(0, 10) });
    const note = h("p", { id: "assign-status", "aria-live": "polite" });
    const button = h("button", { type: "button", class: "primary", id: "assign-button", onclick: async () => {
      button.disabled = true;
      try {
        const body = { trainee_id: trainee.value };
        if (start.value) body.start_date = start.value;
        await api(`programs/${encodeURIComponent(saved.id)}/assign`, { method: "POST", body });
        note.className = "ok";
        note.textContent = t("builder.assigned", { name: trainee.selectedOptions[0].textContent, program: saved.name });
      } catch (error) {
        note.className = "error";
        note.textContent = problemsOf(error).map((p) => p.message).join(" · ");
      } finally {
        button.disabled = false;
      }
    } }, t("builder.assign"));
    assignBox.replaceChildren(h("section", { class: "card" },
      h("h3", {}, t("builder.assign_title", { program: saved.name })),
      h("div", { class: "row" }, field("assign.trainee", t("builder.trainee"), trainee), field("assign.start", t("builder.start_date"), start), button),
      note));
  }

  redraw();
}
