// The Mini App: sign-in through the init data, the user's language, then tabs for each section.
import { api, ApiError } from "./api.js";
import { h, clear } from "./dom.js";
import { languageLoaded, setLanguage, t } from "./i18n.js";
import { applyTheme, initData } from "./telegram.js";
import { renderCalendar } from "./views/calendar.js";
import { renderBody, renderProgress, renderVolume } from "./views/progress.js";
import { renderHistory } from "./views/history.js";
import { renderProgram } from "./views/program.js";
import { renderRoster } from "./views/coach.js";
import { renderBuilder } from "./views/builder.js";

const TRAINEE_TABS = [
  ["calendar", async (v, c) => renderCalendar(v, c)],
  ["progress", async (v, c) => { await renderProgress(v, c); await renderVolume(v, c); }],
  ["body", renderBody],
  ["history", renderHistory],
  ["program", renderProgram],
];
const COACH_TABS = [
  ["trainees", renderRoster],
  ["builder", renderBuilder],
];

const ctx = { me: null, trainee: null, traineeId: undefined, roster: null, changed: () => {} };
let current = "calendar";
let renderToken = 0;

function tabs() {
  return ctx.me.is_coach && !ctx.trainee ? [...TRAINEE_TABS, ...COACH_TABS] : TRAINEE_TABS;
}

function drawTabs() {
  const nav = clear(document.getElementById("tabs"));
  nav.setAttribute("aria-label", t("tabs.label"));
  for (const [name] of tabs()) {
    nav.append(h("button", {
      type: "button", role: "tab", id: `tab-${name}`, "aria-controls": "view",
      "aria-selected": String(name === current), tabindex: name === current ? "0" : "-1",
      onclick: () => show(name),
    }, t(`tabs.${name}`)));
  }
  nav.onkeydown = (event) => {
    const names = tabs().map(([n]) => n);
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (!step) return;
    const next = names[(names.indexOf(current) + step + names.length) % names.length];
    show(next).then(() => document.getElementById(`tab-${next}`)?.focus());
  };
  document.getElementById(`tab-${current}`)?.scrollIntoView({ block: "nearest", inline: "nearest" });
  const who = document.getElementById("who");
  clear(who);
  if (ctx.trainee) {
    who.append(t("coach.viewing", { name: ctx.trainee.name }), " ",
      h("button", { type: "button", id: "back-to-me", onclick: () => viewTrainee(null) }, t("coach.back")));
  } else {
    who.append(ctx.me.name);
  }
}

async function show(name) {
  current = name;
  drawTabs();
  const view = clear(document.getElementById("view"));
  view.setAttribute("aria-labelledby", `tab-${name}`);
  const token = ++renderToken;
  const render = tabs().find(([n]) => n === name)[1];
  const box = h("div", { id: `section-${name}` });
  view.append(box);
  try {
    await render(box, ctx);
    if (token === renderToken) view.dataset.ready = name;
  } catch (error) {
    if (token !== renderToken) return;
    box.append(h("p", { class: "error", role: "alert" }, errorMessage(error)));
    view.dataset.ready = name;
  }
}

function viewTrainee(trainee) {
  ctx.trainee = trainee;
  ctx.traineeId = trainee ? trainee.id : undefined;
  show(trainee ? "calendar" : "trainees");
}
ctx.viewTrainee = viewTrainee;

function errorMessage(error) {
  if (error instanceof ApiError) {
    if (error.status === 401) return t("error.auth");
    if (error.status === 403) return t("error.forbidden");
    if (error.status === 404) return t("error.not_found");
    return error.body.error || t("error.generic");
  }
  return t("error.network");
}

async function boot() {
  applyTheme();
  const view = document.getElementById("view");
  try {
    if (!initData()) {
      await setLanguage(navigator.language.startsWith("ru") ? "ru" : "en");
      throw new ApiError(401, { error: "no init data" });
    }
    ctx.me = await api("me");
    await setLanguage(ctx.me.language);
  } catch (error) {
    if (!languageLoaded()) await setLanguage("en").catch(() => {});
    clear(view).append(h("p", { class: "error", role: "alert", id: "fatal" }, errorMessage(error)));
    view.dataset.ready = "error";
    return;
  }
  document.title = t("app.title");
  document.getElementById("title").textContent = t("app.title");
  await show("calendar");
}

boot();
