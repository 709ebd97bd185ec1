from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from trident.apps.saas.auth.auth import UserPrincipal
from trident.apps.saas.envelope import errors
from trident.apps.saas.orgs import repository, service
from trident.apps.saas.orgs.auth import path_org
from trident.apps.saas.orgs.schemas import (
    InvitationOut,
    InviteRequest,
    MemberOut,
    OrgCreate,
    OrgOut,
    OrgUpdate,
    RoleUpdate,
)
from trident.core.app import DbSession
from trident.core.ids import PathId
from trident.core.jsonbody import dumps, json_response
from trident.core.pagination import PageParams, fetch_page, page_params

router = APIRouter(prefix="/api/v1/orgs", tags=["organizations"])

OrgReader = path_org("org:read")
OrgEditor = path_org("org:update")
MemberReader = path_org("members:read")
Inviter = path_org("members:invite")
RoleEditor = path_org("members:update")
MemberRemover = path_org("members:read")  # leaving needs no more; the service checks the rest
Page = Annotated[PageParams, Depends(page_params)]


@router.post("", response_model=OrgOut, status_code=201, responses=errors(401, 403, 409, 422))
async def create_org(body: OrgCreate, principal: UserPrincipal, db: DbSession) -> OrgOut:
    """Create an organization; the caller becomes its owner and it starts on Free."""
    return await service.create_org(db, principal.user.id, body)


@router.get("", response_model=list[OrgOut], responses=errors(401, 403))
async def list_orgs(principal: UserPrincipal, db: DbSession) -> list[OrgOut]:
    """Organizations the caller belongs to, with the caller's role in each."""
    return await service.list_orgs(db, principal.user.id)


@router.get("/{org_id}", response_model=OrgOut, responses=errors(401, 403, 404, 422))
async def get_org(ctx: OrgReader, db: DbSession) -> OrgOut:
    """One organization the caller belongs to."""
    return await service.get_org(db, ctx.org.id, ctx.user_id)


@router.patch("/{org_id}", response_model=OrgOut, responses=errors(401, 403, 404, 409, 422))
async def update_org(body: OrgUpdate, ctx: OrgEditor, db: DbSession) -> OrgOut:
    """Rename an organization or change its slug (owner, admin)."""
    return await service.update_org(db, ctx, body)


@router.post(
    "/{org_id}/invite",
    response_model=MemberOut,
    status_code=201,
    responses=errors(401, 403, 404, 409, 422),
)
async def invite(body: InviteRequest, ctx: Inviter, db: DbSession) -> MemberOut:
    """Invite by email: a registered user joins at once, anyone else on registering."""
    return await service.invite(db, ctx, body)


@router.get("/{org_id}/members", response_model=list[MemberOut], responses=errors(401, 403, 404))
async def list_members(ctx: MemberReader, db: DbSession, page: Page) -> Response:
    """Members, oldest first; ``limit``/``offset`` page, ``X-Total-Count`` has the total."""
    result = await fetch_page(db, repository.members_query(ctx.org.id), page)
    # a hot read: plain values encoded once (the tests validate them against MemberOut)
    members = [service.member_fields(ctx.org.id, row) for row in result.items]
    response = json_response(dumps(members))
    response.headers["X-Total-Count"] = str(result.total)
    return response


@router.patch(
    "/{org_id}/members/{user_id}",
    response_model=MemberOut,
    responses=errors(401, 403, 404, 409, 422),
)
async def change_role(
    body: RoleUpdate, user_id: PathId, ctx: RoleEditor, db: DbSession
) -> MemberOut:
    """Change a member's role; only owners grant or take away ownership."""
    return await service.change_role(db, ctx, user_id, body.role)


@router.delete("/{org_id}/members/{user_id}", status_code=204, responses=errors(401, 403, 404, 409))
async def remove_member(user_id: PathId, ctx: MemberRemover, db: DbSession) -> Response:
    """Remove a member (owner, admin), or leave (any member removing themself)."""
    await service.remove_member(db, ctx, user_id)
    return Response(status_code=204)


@router.get(
    "/{org_id}/invitations", response_model=list[InvitationOut], responses=errors(401, 403, 404)
)
async def list_invitations(
    ctx: MemberReader, db: DbSession, page: Page, response: Response
) -> list[InvitationOut]:
    """Invitations waiting for their email to register."""
    result = await fetch_page(db, repository.invitations_query(ctx.org.id), page)
    response.headers["X-Total-Count"] = str(result.total)
    return [
        InvitationOut(id=i.id, org_id=i.org_id, email=i.email, role=i.role, created_at=i.created_at)
        for i in result.items
    ]


@router.delete(
    "/{org_id}/invitations/{invitation_id}", status_code=204, responses=errors(401, 403, 404)
)
async def revoke_invitation(invitation_id: PathId, ctx: Inviter, db: DbSession) -> Response:
    """Withdraw a pending invitation (owner, admin)."""
    await service.revoke_invitation(db, ctx, invitation_id)
    return Response(status_code=204)
