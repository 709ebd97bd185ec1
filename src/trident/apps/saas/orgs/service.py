"""Organizations, their members and invitations."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.saas.billing import repository as billing_repository
from trident.apps.saas.billing.plans import effective_plan
from trident.apps.saas.models import Invitation, Membership, Org, Subscription, User
from trident.apps.saas.orgs import repository
from trident.apps.saas.orgs.auth import OrgContext
from trident.apps.saas.orgs.permissions import PERMISSIONS
from trident.apps.saas.orgs.schemas import InviteRequest, MemberOut, OrgCreate, OrgOut, OrgUpdate
from trident.core.db.tenancy import get_scoped
from trident.core.errors import Conflict, Forbidden, NotFound
from trident.core.text import free_slug, slugify


async def _free_slug(db: AsyncSession, base: str) -> str:
    return free_slug(base, await repository.slugs_like(db, base))


def org_out(row: Any) -> OrgOut:
    org, role, member_count, plan, status = row
    plan_now = effective_plan(plan or "FREE", status or "active")
    return OrgOut(
        id=org.id,
        name=org.name,
        slug=org.slug,
        role=role,
        plan=plan_now.type.value,
        subscription_status=status or "active",
        member_count=member_count,
        created_at=org.created_at,
        updated_at=org.updated_at,
    )


async def create_org(db: AsyncSession, user_id: int, body: OrgCreate) -> OrgOut:
    if body.slug is not None:
        if await repository.slug_taken(db, body.slug):
            raise Conflict(f"The slug {body.slug!r} is already taken.", code="slug_taken")
        slug = body.slug
    else:
        slug = await _free_slug(db, slugify(body.name))
    org = Org(name=body.name, slug=slug, created_by_id=user_id)
    db.add(org)
    try:
        await db.flush()
    except IntegrityError:
        raise Conflict(f"The slug {slug!r} is already taken.", code="slug_taken")
    db.add(Membership(org_id=org.id, user_id=user_id, role="owner"))
    db.add(Subscription(org_id=org.id, plan="FREE", status="active"))
    await db.flush()
    return await get_org(db, org.id, user_id)


async def get_org(db: AsyncSession, org_id: int, user_id: int) -> OrgOut:
    row = await repository.org_summary(db, org_id, user_id)
    if row is None:
        raise NotFound(f"Organization {org_id} was not found.", code="org_not_found")
    return org_out(row)


async def list_orgs(db: AsyncSession, user_id: int) -> list[OrgOut]:
    return [org_out(row) for row in await repository.orgs_of_user(db, user_id)]


async def update_org(db: AsyncSession, ctx: OrgContext, body: OrgUpdate) -> OrgOut:
    org = ctx.org
    if body.slug is not None and body.slug != org.slug:
        if await repository.slug_taken(db, body.slug, except_org=org.id):
            raise Conflict(f"The slug {body.slug!r} is already taken.", code="slug_taken")
        org.slug = body.slug
    if body.name is not None:
        org.name = body.name
    try:
        await db.flush()
    except IntegrityError:
        raise Conflict(f"The slug {body.slug!r} is already taken.", code="slug_taken")
    return await get_org(db, org.id, ctx.user_id)


def _check_owner_grant(ctx: OrgContext, role: str) -> None:
    if role == "owner":
        PERMISSIONS.require(ctx.role, "members:manage_owners")


async def invite(db: AsyncSession, ctx: OrgContext, body: InviteRequest) -> MemberOut:
    """Add a registered user at once; otherwise hold an invitation for the email."""
    _check_owner_grant(ctx, body.role)
    email = body.email.lower()
    sub = await billing_repository.subscription_for_org(db, ctx.org.id)
    plan = effective_plan(sub.plan, sub.status)
    user = await repository.user_by_email(db, email)
    if user is not None and await repository.member(db, ctx.org.id, user.id) is not None:
        raise Conflict(f"{email} is already a member.", code="already_member")
    pending = await repository.pending_invitation(db, ctx.org.id, email)
    if pending is None and await repository.seats_used(db, ctx.org.id) >= plan.limits.max_members:
        raise Forbidden(
            f"The {plan.name} plan allows {plan.limits.max_members} members; "
            "upgrade to invite more.",
            code="plan_limit_reached",
            details={"limit": plan.limits.max_members, "plan": plan.type.value},
        )
    if user is not None:
        membership = Membership(org_id=ctx.org.id, user_id=user.id, role=body.role)
        db.add(membership)
        if pending is not None:
            await db.delete(pending)
        try:
            await db.flush()
        except IntegrityError:
            raise Conflict(f"{email} is already a member.", code="already_member")
        return MemberOut(
            id=membership.id,
            org_id=ctx.org.id,
            user_id=user.id,
            email=user.email,
            full_name=user.full_name,
            role=membership.role,  # type: ignore[arg-type]
            status="active",
            created_at=membership.created_at,
        )
    if pending is None:
        pending = Invitation(
            org_id=ctx.org.id, email=email, role=body.role, invited_by_id=ctx.user_id
        )
        db.add(pending)
    else:
        pending.role = body.role
    try:
        await db.flush()
    except IntegrityError:
        raise Conflict(f"{email} has already been invited.", code="already_invited")
    return MemberOut(
        id=pending.id,
        org_id=ctx.org.id,
        user_id=None,
        email=email,
        full_name=None,
        role=pending.role,  # type: ignore[arg-type]
        status="pending",
        created_at=pending.created_at,
    )


def member_fields(org_id: int, member: Any) -> dict[str, Any]:
    """A member as the API shows it, as plain values: ``member`` is a row of
    ``members_query`` or anything with its attributes.  :class:`MemberOut` documents it."""
    return {
        "id": member.id,
        "org_id": org_id,
        "user_id": member.user_id,
        "email": member.email,
        "full_name": member.full_name,
        "role": member.role,
        "status": "active",
        "created_at": member.created_at,
    }


def member_out(org_id: int, membership: Membership, user: User) -> MemberOut:
    member = SimpleNamespace(
        id=membership.id,
        user_id=membership.user_id,
        role=membership.role,
        created_at=membership.created_at,
        email=user.email,
        full_name=user.full_name,
    )
    return MemberOut.model_validate(member_fields(org_id, member))


async def _target(db: AsyncSession, ctx: OrgContext, user_id: int) -> Membership:
    found = await repository.member(db, ctx.org.id, user_id)
    if found is None:
        raise NotFound(f"User {user_id} is not a member of this organization.", code="not_member")
    return found[0]


async def _ensure_an_owner_remains(db: AsyncSession, org_id: int) -> None:
    if await repository.count_owners(db, org_id) < 1:
        raise Conflict(
            "An organization needs at least one owner; promote another member first.",
            code="last_owner",
        )


async def change_role(db: AsyncSession, ctx: OrgContext, user_id: int, role: str) -> MemberOut:
    membership = await _target(db, ctx, user_id)
    if role == membership.role:
        return await _member_view(db, ctx.org.id, user_id)
    # Granting or taking away ownership is an owner's decision.
    _check_owner_grant(ctx, role)
    _check_owner_grant(ctx, membership.role)
    membership.role = role
    await db.flush()
    await _ensure_an_owner_remains(db, ctx.org.id)
    return await _member_view(db, ctx.org.id, user_id)


async def _member_view(db: AsyncSession, org_id: int, user_id: int) -> MemberOut:
    found = await repository.member(db, org_id, user_id)
    assert found is not None
    membership, user = found
    return member_out(org_id, membership, user)


async def remove_member(db: AsyncSession, ctx: OrgContext, user_id: int) -> None:
    """Admins remove members; anyone may leave; owners are removed only by owners."""
    membership = await _target(db, ctx, user_id)
    if user_id != ctx.user_id:
        PERMISSIONS.require(ctx.role, "members:remove")
    _check_owner_grant(ctx, membership.role)
    await db.delete(membership)
    await db.flush()
    await _ensure_an_owner_remains(db, ctx.org.id)


async def revoke_invitation(db: AsyncSession, ctx: OrgContext, invitation_id: int) -> None:
    invitation = await get_scoped(db, Invitation, invitation_id, ctx.org.id, what="Invitation")
    if invitation.accepted_at is not None:
        raise NotFound(f"Invitation {invitation_id} was not found.", code="invitation_not_found")
    await db.delete(invitation)
    await db.flush()
