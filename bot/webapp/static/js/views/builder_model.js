// The program builder's draft and the document it makes: exactly the shape of the YAML program format
// (bot/services/program_format), so the server validates it with the same code as an upload.

export const DIFFICULTIES = ["beginner", "intermediate", "advanced", "elite"];
export const CATEGORIES = ["strength", "hypertrophy", "full-body", "upper-lower", "bodyweight", "running", "mobility",
  "fat-loss", "general-fitness"];

export function newInstruction() {
  return { exercise: "", sets: "3", reps: "", duration: "", weight_kg: "", rest: "" };
}

export function nextKey(workouts) {
  const taken = new Set(workouts.map((w) => w.key));
  for (let i = 0; ; i++) {
    const key = i < 26 ? String.fromCharCode(65 + i) : `W${i + 1}`;
    if (!taken.has(key)) return key;
  }
}

export function newDraft() {
  return {
    name: "",
    description: "",
    notes: "",
    difficulty: "beginner",
    categories: ["strength"],
    length_days: "28",
    phases: [],
    workouts: [{ key: "A", name: "", exercises: [newInstruction()] }],
    days: {},
  };
}

/** A number when the text is one, else the text itself (the validator names what is wrong with it). */
function numberOr(text) {
  const trimmed = String(text).trim();
  return trimmed !== "" && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
}

function put(target, key, text, convert = numberOr) {
  if (text === undefined || text === null || String(text).trim() === "") return;
  target[key] = convert(text);
}

/** Sorted day numbers that have workouts: the order of the document's `days` list. */
export function scheduledDays(draft) {
  return Object.keys(draft.days)
    .map(Number)
    .filter((d) => draft.days[d] && draft.days[d].length)
    .sort((a, b) => a - b);
}

export function toDocument(draft) {
  const doc = {
    name: draft.name.trim(),
    description: draft.description.trim(),
    difficulty: draft.difficulty,
    visibility: "PRIVATE",
    categories: [...draft.categories],
    schedule: { length_days: numberOr(draft.length_days) },
  };
  put(doc, "notes", draft.notes, (x) => x.trim());
  if (draft.phases.length) {
    doc.phases = draft.phases.map((p) => {
      const phase = { name: p.name.trim(), start_day: numberOr(p.start_day), end_day: numberOr(p.end_day) };
      put(phase, "description", p.description, (x) => x.trim());
      return phase;
    });
  }
  doc.workouts = {};
  for (const w of draft.workouts) {
    doc.workouts[w.key] = {
      name: w.name.trim(),
      exercises: w.exercises.map((ex) => {
        const item = { exercise: ex.exercise };
        put(item, "sets", ex.sets);
        put(item, "reps", ex.reps);
        put(item, "duration", ex.duration, (x) => x.trim());
        put(item, "weight_kg", ex.weight_kg);
        put(item, "rest", ex.rest);
        return item;
      }),
    };
  }
  doc.days = scheduledDays(draft).map((day) => ({ day, workouts: [...draft.days[day]] }));
  return doc;
}

/** The field a problem's location names: the longest prefix of `location` some element is keyed by. */
export function locationCandidates(location) {
  const candidates = [];
  let rest = location;
  while (rest) {
    candidates.push(rest);
    const cut = Math.max(rest.lastIndexOf("."), rest.lastIndexOf("["));
    if (cut <= 0) break;
    rest = rest.slice(0, cut);
  }
  return candidates;
}
