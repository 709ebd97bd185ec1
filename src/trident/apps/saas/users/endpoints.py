from __future__ import annotations

from fastapi import APIRouter

from trident.apps.saas.auth import repository
from trident.apps.saas.auth.auth import UserPrincipal
from trident.apps.saas.auth.schemas import CurrentUserOut, UserOrgOut, UserOut
from trident.apps.saas.envelope import errors
from trident.core.app import DbSession

router = APIRouter(prefix="/api/v1/users", tags=["users"])


@router.get("/me", response_model=CurrentUserOut, responses=errors(401, 403))
async def me(principal: UserPrincipal, db: DbSession) -> CurrentUserOut:
    """The signed-in user, with the organizations they belong to and their role in each."""
    orgs = await repository.user_orgs(db, principal.user.id)
    return CurrentUserOut(
        **UserOut.model_validate(principal.user).model_dump(),
        organizations=[UserOrgOut(id=o.id, name=o.name, slug=o.slug, role=r) for o, r in orgs],
    )
