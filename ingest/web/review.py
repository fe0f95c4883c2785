"""The member's word on their activities, from the forms of their page: the same checks (ingest.api.review's
models) and the same actions (ingest.work.review) as the API's calls.

    POST /member/activities/{id}   `action`: confirm, edit, reflect, reject (with `reason`), restore (undo a
                                   rejection), unreview (back to what was read; dismisses a lost correction),
                                   date (from the needs-attention list); as PATCH .../activities/{id}
    POST /member/activities        an activity entered by hand (as POST /members/{id}/activities)

Each answers with the member's page again (on the year the activity now counts in, at its card), or with a
page that says what was wrong.
"""
from __future__ import annotations

import contextlib
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select

from ..api.deps import dispatcher_of, runtime_of
from ..api.review import ActivityIn, ActivityPatch
from ..store import ActivityRow, ReviewError
from ..work import review as work_review
from ..year import cpd_year_of
from .member import Db, Member
from .session import SESSION_COOKIE, PageError, check_csrf

__all__ = ["router", "ACTIONS"]

router = APIRouter(include_in_schema=False)
ACTIONS = ("confirm", "edit", "reflect", "reject", "restore", "unreview", "date")
_EDITED_FIELDS = ("title", "provider", "completed_on", "cpd_hours", "activity_type", "description")


Text = Annotated[str | None, Form(max_length=20_000)]


@router.post("/member/activities/{activity_id}")
def review(request: Request, activity_id: str, v: Member, db: Db, csrf: Text = None, action: Text = None,
           year: Text = None, reason: Text = None, reflection: Text = None, completed_on: Text = None,
           title: Text = None, provider: Text = None, cpd_hours: Text = None, activity_type: Text = None,
           description: Text = None) -> Response:
    """The member's word on one activity, from the page's forms (`action`: confirm, edit, reflect, reject,
    restore, unreview, date): the same checks and action as PATCH /members/{id}/activities/{activity_id}."""
    check_csrf(request, request.cookies.get(SESSION_COOKIE), csrf)
    if action not in ACTIONS:
        raise PageError(400, f"'{action}' is not something this form does; reload the page and use its buttons.",
                        "bad_action")
    sent = {"reason": reason, "reflection": reflection, "completed_on": completed_on, "title": title,
            "provider": provider, "cpd_hours": cpd_hours, "activity_type": activity_type, "description": description}
    fields = {k: value for k, value in sent.items() if value is not None}
    current = db.scalar(select(ActivityRow.data).where(ActivityRow.member_id == v.member_id,
                                                       ActivityRow.activity_id == activity_id))
    body = _patch_body(action, fields, current or {})
    if body is None:
        return _back(request, year, "unchanged", activity_id, current)
    try:
        patch = ActivityPatch.model_validate(body)
    except ValidationError as exc:
        raise PageError(400, "Not saved: " + "; ".join(_problem(e) for e in exc.errors()) + ". Go back, correct it "
                        "and save again.", "invalid") from exc
    restore = list(dict.fromkeys([*patch.restore, *patch.restored()]))
    try:
        data = work_review.review_activity(db, dispatcher_of(request), v.member_id, activity_id,
                                           by=work_review.member_actor(v.member_id), review=patch.review,
                                           reason=patch.reason, changes=patch.values(), restore=restore)
    except ReviewError as exc:
        db.rollback()
        status = {"no_such_activity": 404, "activity_gone": 409}.get(exc.code, 400)
        raise PageError(status, exc.message, exc.code) from exc
    return _back(request, year, _NOTICE_OF[action], activity_id, data)


_NOTICE_OF = {"confirm": "confirmed", "edit": "edited", "reflect": "reflected", "reject": "rejected",
              "restore": "confirmed", "unreview": "restored", "date": "edited"}


def _patch_body(action: str, fields: dict[str, str], current: dict[str, Any]) -> dict[str, Any] | None:
    """The PATCH body a form stands for (None: nothing to change)."""
    if action in ("confirm", "restore"):
        return {"review": "confirmed"}
    if action == "unreview":
        return {"review": "unreviewed"}
    if action == "reject":
        return {"review": "rejected", "reason": fields.get("reason") or None}
    if action == "reflect":
        text = fields.get("reflection", "").strip() or None
        return None if text == current.get("reflection") else {"reflection": text}
    if action == "date":
        return {"completed_on": fields.get("completed_on") or None}
    changes: dict[str, Any] = {}
    for name in _EDITED_FIELDS:
        if name not in fields:
            continue
        value: Any = fields[name].strip() or None
        if name == "cpd_hours" and value is not None:
            value = _number(value)
        if not _same(value, current.get(name)):
            changes[name] = value
    return changes or None


def _same(sent: Any, now: Any) -> bool:
    """Whether a form's value is the one already there (2 and 2.0 hours are the same)."""
    if isinstance(sent, float) and isinstance(now, (int, float)):
        return sent == float(now)
    return bool(sent == now)


def _number(text: str) -> float | str:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return text  # the model says what is wrong with it


def _problem(error: Any) -> str:
    where = ".".join(str(p) for p in error.get("loc", ()) if p != "body")
    return f"{where.replace('_', ' ')}: {error.get('msg')}" if where else str(error.get("msg"))


def _back(request: Request, year: str | None, notice: str, activity_id: str,
          data: dict[str, Any] | None) -> Response:
    """To the page again, on the year the activity now counts in (else the one the form was sent from)."""
    year = year or ""
    completed = (data or {}).get("completed_on")
    if completed:
        with contextlib.suppress(ValueError):
            year = str(cpd_year_of(dt.date.fromisoformat(completed), runtime_of(request).settings.year_start_month))
    query = f"year={year}&" if year.isdigit() else ""
    return RedirectResponse(f"/member?{query}notice={notice}#a-{activity_id}", 303)


@router.post("/member/activities")
def add(request: Request, v: Member, db: Db, csrf: Text = None, title: Text = None, provider: Text = None,
        completed_on: Text = None, cpd_hours: Text = None, activity_type: Text = None, description: Text = None,
        reflection: Text = None) -> Response:
    """An activity the member enters by hand (as POST /members/{id}/activities): marked `manual`."""
    check_csrf(request, request.cookies.get(SESSION_COOKIE), csrf)
    sent = {"title": title, "provider": provider, "completed_on": completed_on, "cpd_hours": cpd_hours,
            "activity_type": activity_type, "description": description, "reflection": reflection}
    body: dict[str, Any] = {k: (value or "").strip() or None for k, value in sent.items()}
    body = {k: value for k, value in body.items() if value is not None}
    if "cpd_hours" in body:
        body["cpd_hours"] = _number(body["cpd_hours"])
    try:
        entered = ActivityIn.model_validate(body)
    except ValidationError as exc:
        raise PageError(400, "Not added: " + "; ".join(_problem(e) for e in exc.errors()) + ". Go back, correct it "
                        "and add it again.", "invalid") from exc
    data = work_review.add_activity(db, dispatcher_of(request), v.member_id, entered.values(),
                                    by=work_review.member_actor(v.member_id))
    return _back(request, None, "added", str(data["activity_id"]), data)
