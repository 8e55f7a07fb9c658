"""The Mini App (issue #16): an aiohttp app in the bot's process serving the page (static/) and a JSON
API under /app/api/ authenticated by Telegram's init data. Layers: bot.webapp -> bot.services only.

- `initdata`: validating (and, for tests and the playground, signing) init data;
- `app`: the application factory, the auth/session/error middleware;
- `context`: what handlers read from a request (user, session, ?trainee=, bodies);
- `models`: pydantic request bodies;
- `routes_dashboard`, `routes_sets`, `routes_coach`: the endpoints;
- `server`: the server started with the bot (post_init) and stopped with it (post_shutdown).
"""
