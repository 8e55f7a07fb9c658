# Slim, non-root image: migrates the database, then starts the bot (polling, or webhook with --webhook;
# several webhook processes on PostgreSQL with --webhook --workers N: see docker-compose.yml).
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
# The gettext catalogs are compiled here (.po -> .mo; the .mo files are never committed) and shipped.
RUN python -m venv /opt/venv && /opt/venv/bin/pip install --no-compile Babel \
    && PYTHONPATH=. /opt/venv/bin/python -m bot.i18n \
    && /opt/venv/bin/pip install --no-compile .

FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    DATABASE_URL=sqlite+aiosqlite:////app/data/workout-bot.db
RUN useradd --create-home --uid 10001 bot && mkdir -p /app/data && chown bot /app/data
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY alembic.ini ./
COPY migrations ./migrations
COPY --from=build /src/bot ./bot
USER bot
VOLUME ["/app/data"]
EXPOSE 8443
ENTRYPOINT ["sh", "-c", "python -m bot migrate && python -m bot seed && exec python -m bot run \"$@\"", "--"]
