"""Requests, events and cycles as the JSON the API answers and `--json` prints."""
from __future__ import annotations

from typing import Any

from ..store import AuditCycleRow, AuditEventRow, AuditRequestRow

__all__ = ["request_json", "event_json", "cycle_json"]


def request_json(row: AuditRequestRow, events: list[AuditEventRow] | None = None) -> dict[str, Any]:
    """A request; with `events`, its history too."""
    found: dict[str, Any] = {
        "id": row.id, "member_id": row.member_id, "year": row.year, "cycle_id": row.cycle_id, "reason": row.reason,
        "state": row.state, "requested_on": row.requested_on.isoformat(), "due_on": row.due_on.isoformat(),
        "requested_by": row.requested_by,
        "submitted_at": row.submitted_at.isoformat() + "Z" if row.submitted_at else None,
        "pack": {"sha256": row.pack_sha256, "size": row.pack_size} if row.pack_sha256 else None,
    }
    if events is not None:
        found["history"] = [event_json(e) for e in events]
    return found


def event_json(event: AuditEventRow) -> dict[str, Any]:
    """One change of state: from, to, who, when, note."""
    return {"from": event.from_state, "to": event.to_state, "by": event.by, "at": event.at.isoformat() + "Z",
            "note": event.note}


def cycle_json(cycle: AuditCycleRow, members: list[str] | None = None) -> dict[str, Any]:
    """A cycle: what the draw was made of; with `members`, who was drawn."""
    found: dict[str, Any] = {"id": cycle.id, "year": cycle.year, "number": cycle.number, "rate": cycle.rate,
                             "seed": cycle.seed, "eligible": cycle.eligible, "excluded": cycle.excluded,
                             "size": cycle.size, "drawn_by": cycle.drawn_by,
                             "drawn_at": cycle.drawn_at.isoformat() + "Z"}
    if members is not None:
        found["members"] = members
    return found
