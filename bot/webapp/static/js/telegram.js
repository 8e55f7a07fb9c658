// Telegram's side: the init data, the theme. Telegram's script is never loaded from telegram.org: window.Telegram.WebApp is
// used when the client injected it, else the URL fragment Telegram passes (#tgWebAppData=...).

const fragment = new URLSearchParams(location.hash.slice(1));

export function webApp() {
  return window.Telegram && window.Telegram.WebApp ? window.Telegram.WebApp : null;
}

export function initData() {
  const app = webApp();
  if (app && app.initData) return app.initData;
  return fragment.get("tgWebAppData") || "";
}

function themeParams() {
  const app = webApp();
  if (app && app.themeParams && Object.keys(app.themeParams).length) return app.themeParams;
  try {
    return JSON.parse(fragment.get("tgWebAppThemeParams") || "{}");
  } catch {
    return {};
  }
}

/** Telegram's colours as --tg-theme-* variables (the CSS falls back to light/dark defaults). */
export function applyTheme() {
  const params = themeParams();
  const style = document.documentElement.style;
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === "string" && /^#[0-9a-f]{3,8}$/i.test(value)) {
      style.setProperty(`--tg-theme-${key.replace(/_/g, "-")}`, value);
    }
  }
  const app = webApp();
  if (app) {
    try {
      app.ready();
      app.expand();
    } catch {
      /* an old client */
    }
  }
}
