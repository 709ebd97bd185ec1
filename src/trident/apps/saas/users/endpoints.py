from __future__ import annotations

from fastapi import APIRouter, Response

from trident.apps.saas.auth import repository
from trident.apps.saas.auth.auth import UserPrincipal
from trident.apps.saas.auth.schemas import CurrentUserOut, UserOut
from trident.apps.saas.envelope import errors
from trident.core.app import DbSession
from trident.core.jsonbody import dumps, json_response

router = APIRouter(prefix="/api/v1/users", tags=["users"])


#: the user's columns the response shows, in CurrentUserOut's order
USER_FIELDS = tuple(name for name in UserOut.model_fields)


@router.get("/me", response_model=CurrentUserOut, responses=errors(401, 403))
async def me(principal: UserPrincipal, db: DbSession) -> Response:
    """The signed-in user, with the organizations they belong to and their role in each."""
    # a hot read: plain values encoded once (CurrentUserOut documents them, and the
    # tests validate this body against it)
    user = principal.user
    body = {name: getattr(user, name) for name in USER_FIELDS}
    body["organizations"] = await repository.user_orgs(db, user.id)
    return json_response(dumps(body))
