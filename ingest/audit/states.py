"""A request's states and the changes allowed between them (issue 16).

    requested -> submitted -> under_review -> satisfactory | action_required -> appealed -> upheld | overturned
    requested -> overdue (the day after the due date, no submission) -> submitted (late)

An appeal is against an outcome (satisfactory or action_required); `upheld` keeps the outcome, `overturned`
reverses it. Any other change is refused with the changes that are allowed, so no state is skipped silently.
"""
from __future__ import annotations

__all__ = ["REQUESTED", "SUBMITTED", "UNDER_REVIEW", "SATISFACTORY", "ACTION_REQUIRED", "OVERDUE", "APPEALED",
           "UPHELD", "OVERTURNED", "STATES", "NEXT", "OPEN", "OUTCOMES"]

REQUESTED, SUBMITTED, UNDER_REVIEW = "requested", "submitted", "under_review"
SATISFACTORY, ACTION_REQUIRED, OVERDUE = "satisfactory", "action_required", "overdue"
APPEALED, UPHELD, OVERTURNED = "appealed", "upheld", "overturned"
STATES = (REQUESTED, OVERDUE, SUBMITTED, UNDER_REVIEW, SATISFACTORY, ACTION_REQUIRED, APPEALED, UPHELD, OVERTURNED)
OUTCOMES = (SATISFACTORY, ACTION_REQUIRED)
OPEN = (REQUESTED, OVERDUE)  # waiting for the member's submission

NEXT: dict[str, tuple[str, ...]] = {
    REQUESTED: (SUBMITTED, OVERDUE),
    OVERDUE: (SUBMITTED,),
    SUBMITTED: (UNDER_REVIEW,),
    UNDER_REVIEW: (SATISFACTORY, ACTION_REQUIRED),
    SATISFACTORY: (APPEALED,),
    ACTION_REQUIRED: (APPEALED,),
    APPEALED: (UPHELD, OVERTURNED),
    UPHELD: (),
    OVERTURNED: (),
}
