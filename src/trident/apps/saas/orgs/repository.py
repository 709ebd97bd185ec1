"""All SQL about organizations, memberships and invitations."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.saas.models import Invitation, Membership, Org, Subscription, User
from trident.core.db.functions import starts_with
from trident.core.db.tenancy import in_tenant


def _member_count() -> Any:
    return (
        select(func.count(Membership.id))
        .where(Membership.org_id == Org.id)
        .correlate(Org)
        .scalar_subquery()
        .label("member_count")
    )


def _org_summary() -> Select[Any]:
    return (
        select(Org, Membership.role, _member_count(), Subscription.plan, Subscription.status)
        .join(Membership, Membership.org_id == Org.id)
        .outerjoin(Subscription, Subscription.org_id == Org.id)
    )


async def org_summary(db: AsyncSession, org_id: int, user_id: int) -> Any:
    """(Org, role, member_count, plan, status) if the user is a member, else None."""
    stmt = _org_summary().where(Org.id == org_id, Membership.user_id == user_id)
    return (await db.execute(stmt)).first()


async def orgs_of_user(db: AsyncSession, user_id: int) -> list[Any]:
    stmt = _org_summary().where(Membership.user_id == user_id).order_by(Org.id)
    return list((await db.execute(stmt)).all())


# Every org-scoped request runs this: built once (see auth.repository._USER_WITH_SESSION).
_ORG_AND_ROLE = (
    select(Org, Membership.role)
    .join(Membership, Membership.org_id == Org.id)
    .where(Org.id == bindparam("org_id"), Membership.user_id == bindparam("user_id"))
)


async def org_and_role(db: AsyncSession, org_id: int, user_id: int) -> tuple[Org, str] | None:
    row = (await db.execute(_ORG_AND_ROLE, {"org_id": org_id, "user_id": user_id})).first()
    return (row[0], row[1]) if row else None


async def slug_taken(db: AsyncSession, slug: str, *, except_org: int | None = None) -> bool:
    stmt = select(Org.id).where(Org.slug == slug)
    if except_org is not None:
        stmt = stmt.where(Org.id != except_org)
    return await db.scalar(stmt) is not None


async def slugs_like(db: AsyncSession, base: str) -> set[str]:
    rows = await db.scalars(select(Org.slug).where(starts_with(Org.slug, base)))
    return set(rows)


def members_query(org_id: int) -> Select[Any]:
    """The org's members, oldest first: Core rows of what a listed member shows."""
    return (
        select(
            Membership.id,
            Membership.user_id,
            Membership.role,
            Membership.created_at,
            User.email,
            User.full_name,
        )
        .join(User, User.id == Membership.user_id)
        .where(in_tenant(Membership, org_id))
        .order_by(Membership.id)
    )


async def member(db: AsyncSession, org_id: int, user_id: int) -> tuple[Membership, User] | None:
    row = (
        await db.execute(
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(in_tenant(Membership, org_id), Membership.user_id == user_id)
        )
    ).first()
    return (row[0], row[1]) if row else None


async def count_owners(db: AsyncSession, org_id: int) -> int:
    return int(
        await db.scalar(
            select(func.count(Membership.id)).where(
                in_tenant(Membership, org_id), Membership.role == "owner"
            )
        )
        or 0
    )


async def seats_used(db: AsyncSession, org_id: int) -> int:
    """Members plus pending invitations: an invitation holds a seat."""
    members = select(func.count(Membership.id)).where(in_tenant(Membership, org_id))
    pending = select(func.count(Invitation.id)).where(
        in_tenant(Invitation, org_id), Invitation.accepted_at.is_(None)
    )
    return int(await db.scalar(members) or 0) + int(await db.scalar(pending) or 0)


async def pending_invitation(db: AsyncSession, org_id: int, email: str) -> Invitation | None:
    return await db.scalar(
        select(Invitation).where(
            in_tenant(Invitation, org_id),
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
        )
    )


def invitations_query(org_id: int) -> Select[Any]:
    return (
        select(Invitation)
        .where(in_tenant(Invitation, org_id), Invitation.accepted_at.is_(None))
        .order_by(Invitation.id)
    )


async def user_by_email(db: AsyncSession, email: str) -> User | None:
    return await db.scalar(select(User).where(User.email == email))
