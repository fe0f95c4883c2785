"""The admins' view of bearer tokens: list them (never their secret) and revoke one.

Tokens are made on the command line (`cpd-evidence token create`), where the new token is shown once; here an
admin can see which exist, their state and last use, and revoke one at once (for example a member's laptop
lost): from then on it gets 401 `token_revoked`.
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from ..store import Principal, list_tokens, revoke_token
from ..work.actions import token_json
from .deps import ApiError, admin, session

__all__ = ["router"]

router = APIRouter()


@router.get("/admin/tokens", tags=["admin"])
def tokens(_who: Annotated[Principal, Depends(admin)], db: Annotated[Session, Depends(session)]) -> dict[str, Any]:
    """Every token, oldest first: id, kind, member, state (active, expired, revoked) and times; no secret."""
    return {"items": [token_json(t) for t in list_tokens(db)]}


@router.post("/admin/tokens/{token_id}/revoke", tags=["admin"])
def revoke(token_id: int, who: Annotated[Principal, Depends(admin)],
           db: Annotated[Session, Depends(session)]) -> dict[str, Any]:
    """Revoke a token: from now on it gets 401 `token_revoked`. Revoking it again changes nothing."""
    if token_id == who.token_id:
        raise ApiError(409, "own_token", "This is the token this request was sent with; revoke it with another "
                       "admin token, or on the command line (cpd-evidence token revoke ID).")
    row = revoke_token(db, token_id)
    if row is None:
        raise ApiError(404, "not_found", f"There is no token {token_id}. List them with GET /admin/tokens.")
    db.commit()
    return token_json(row)
