"""The trainee's dashboard endpoints: me, calendar, exercises, progress, measurements, volume, history,
program. Each reads ``?trainee=`` (a coach reading one of their trainees; bot.webapp.context.subject)
except /me; weights are in the reader's unit."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.i18n import exercise_name, user_locale
from bot.services import dashboard, dashboard_series, measurements, progress
from bot.services.coaching import is_coach
from bot.webapp.context import (
    db,
    me,
    now,
    parse_uuid,
    query_date,
    query_int,
    subject,
    unit_name,
    weight,
)

routes = web.RouteTableDef()


def _name(name: str, catalog: bool = True) -> str:
    return exercise_name(name) if catalog else name


@routes.get("/app/api/me")
async def get_me(request: web.Request) -> web.Response:
    user = me(request)
    counts = await dashboard.profile_counts(db(request), user)
    return web.json_response(
        {
            "id": str(user.id),
            "telegram_id": user.telegram_id,
            "name": user.display_name,
            "language": user_locale(user),
            "unit": unit_name(user.weight_unit),
            "timezone": user.timezone,
            "is_coach": is_coach(user),
            "counts": {"workouts": counts.workouts, "sets": counts.sets},
        }
    )


@routes.get("/app/api/calendar")
async def get_calendar(request: web.Request) -> web.Response:
    user = await subject(request)
    found = await dashboard.calendar(db(request), user, now(request))
    return web.json_response(
        {
            "today": found.today.isoformat(),
            "streak": found.streak,
            "week": {"done": found.week_done, "scheduled": found.week_scheduled},
            "days": [
                {
                    "date": day.day.isoformat(),
                    "status": day.status,
                    "sessions": [
                        {"id": None if s.id is None else str(s.id), "name": s.name} for s in day.sessions
                    ],
                }
                for day in found.days
            ],
        }
    )


@routes.get("/app/api/exercises")
async def get_exercises(request: web.Request) -> web.Response:
    user = await subject(request)
    found = await dashboard_series.exercise_summaries(db(request), user)
    return web.json_response(
        [
            {"id": str(e.id), "name": _name(e.name, e.catalog), "sets": e.sets, "last": e.last.isoformat()}
            for e in found
        ]
    )


@routes.get("/app/api/progress/{exercise_id}")
async def get_progress(request: web.Request) -> web.Response:
    user = await subject(request)
    reader = me(request)
    exercise_id = parse_uuid(request.match_info["exercise_id"], "exercise")
    found = await progress.exercise_progress(db(request), user, exercise_id)
    unit = reader.weight_unit
    catalog = (await progress.exercise_by_id(db(request), exercise_id)).owner_id is None
    return web.json_response(
        {
            "exercise": {"id": str(found.exercise_id), "name": _name(found.name, catalog)},
            "tracking": found.tracking.value.lower(),
            "unit": unit_name(unit),
            "points": [
                {
                    "date": p.day.isoformat(),
                    "top_weight": weight(p.top_kg, unit),
                    "top_reps": p.top_reps if p.top_kg is not None else p.max_reps,
                    "e1rm": weight(p.e1rm_kg, unit),
                    "volume": weight(p.volume_kg, unit),
                    "duration_s": p.longest_seconds,
                }
                for p in found.points
            ],
        }
    )


@routes.get("/app/api/measurements")
async def get_measurements(request: web.Request) -> web.Response:
    user = await subject(request)
    found = await measurements.measurement_series(db(request), user)
    return web.json_response(
        {
            "metrics": [
                {
                    "id": str(m.metric_id),
                    "name": m.name,
                    "unit": m.unit,
                    "points": [{"date": p.day.isoformat(), "value": float(p.value)} for p in m.points],
                }
                for m in found
            ]
        }
    )


@routes.get("/app/api/volume")
async def get_volume(request: web.Request) -> web.Response:
    user = await subject(request)
    weeks = query_int(request, "weeks", 12, 1, dashboard_series.WEEKS_MAX)
    unit = me(request).weight_unit
    found = await dashboard_series.muscle_volume(db(request), user, now(request), weeks=weeks)
    return web.json_response(
        {
            "unit": unit_name(unit),
            "weeks": [
                {
                    "start": w.start.isoformat(),
                    "groups": {group: weight(kg, unit) for group, kg in sorted(w.groups.items())},
                }
                for w in found
            ],
        }
    )


@routes.get("/app/api/history")
async def get_history(request: web.Request) -> web.Response:
    user = await subject(request)
    before = query_date(request, "before")
    limit = query_int(request, "limit", 20, 1, dashboard_series.HISTORY_LIMIT_MAX)
    unit = me(request).weight_unit
    found = await dashboard_series.history_slice(db(request), user, before=before, limit=limit)
    return web.json_response(
        {
            "unit": unit_name(unit),
            "sessions": [
                {
                    "id": str(s.id),
                    "date": s.day.isoformat(),
                    "name": s.name,
                    "status": s.status.value.lower(),
                    "sets": [history_set(x, unit) for x in s.sets],
                }
                for s in found.sessions
            ],
            "next_before": None if found.next_before is None else found.next_before.isoformat(),
        }
    )


def history_set(s: dashboard_series.HistorySet, unit: Any) -> dict[str, Any]:
    return {
        "id": str(s.id),
        "exercise_id": str(s.exercise_id),
        "exercise": _name(s.exercise, s.catalog),
        "set_number": s.set_number,
        "weight": weight(s.weight_kg, unit),
        "reps": s.reps,
        "duration_s": s.duration_seconds,
        "distance_m": None if s.distance_m is None else float(s.distance_m),
        "warmup": s.is_warmup,
    }


@routes.get("/app/api/program")
async def get_program(request: web.Request) -> web.Response:
    user = await subject(request)
    found = await dashboard.program_overview(db(request), user)
    return web.json_response(
        {
            "enrollments": [
                {
                    "id": str(e.id),
                    "program": {"id": str(e.program_id), "name": e.program_name},
                    "status": e.status.value.lower(),
                    "current_day": e.current_day,
                    "days": [
                        {"day": d.day, "workouts": [{"id": str(w), "name": n} for w, n in d.workouts]}
                        for d in e.days
                    ],
                }
                for e in found
            ]
        }
    )
