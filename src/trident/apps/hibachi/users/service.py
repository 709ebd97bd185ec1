"""A station's users: staff accounts and the roles they hold.

Nobody grants a role above their own rank, changes their own role, or locks
themselves out; the last active super admin stays one."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.auth.permissions import RANK
from trident.apps.hibachi.auth.principal import Caller
from trident.apps.hibachi.auth.repository import station_by_id
from trident.apps.hibachi.auth.schemas import UserOut
from trident.apps.hibachi.auth.service import create_account, user_out
from trident.apps.hibachi.models import Role, Station, StationStatus, User
from trident.apps.hibachi.users import repository
from trident.apps.hibachi.users.schemas import UserCreate, UserUpdate
from trident.core.errors import Conflict, Forbidden, NotFound
from trident.core.security.passwords import hash_password


def _rank(role: str) -> int:
    return RANK.get(role, 0)  # type: ignore[call-overload]


def _check_grant(caller: Caller, role: str) -> None:
    if _rank(role) > _rank(caller.role):
        raise Forbidden(
            f"A {caller.role} cannot grant the {role} role.",
            code="role_above_yours",
            details={"role": role, "your_role": caller.role},
        )


async def _target(db: AsyncSession, caller: Caller, user_id: int) -> tuple[User, Station]:
    found = await repository.user_in_station(db, caller.station_id, user_id)
    if found is None:
        raise NotFound(f"User {user_id} was not found.", code="user_not_found")
    user, station = found
    if _rank(user.role) > _rank(caller.role):
        raise Forbidden(
            "You cannot manage an account with a higher role than yours.",
            code="role_above_yours",
        )
    return user, station


async def _station_for(db: AsyncSession, caller: Caller, station_id: int | None) -> Station:
    if station_id is None or station_id == caller.station_id:
        return caller.station
    if not caller.principal.is_super_admin:
        raise Forbidden(
            "Only a super admin assigns users to another station.", code="insufficient_permissions"
        )
    station = await station_by_id(db, station_id)
    if station is None or station.status == StationStatus.DELETED:
        raise NotFound("That station was not found.", code="station_not_found")
    return station


async def get_user(db: AsyncSession, caller: Caller, user_id: int) -> UserOut:
    found = await repository.user_in_station(db, caller.station_id, user_id)
    if found is None:
        raise NotFound(f"User {user_id} was not found.", code="user_not_found")
    return user_out(*found)


async def create_user(db: AsyncSession, caller: Caller, body: UserCreate) -> UserOut:
    _check_grant(caller, body.role)
    station = await _station_for(db, caller, body.station_id)
    user = await create_account(
        db,
        email=body.email,
        password=body.password,
        role=body.role,
        station_id=station.id,
        full_name=body.full_name,
        phone=body.phone,
    )
    return user_out(user, station)


async def update_user(db: AsyncSession, caller: Caller, user_id: int, body: UserUpdate) -> UserOut:
    user, station = await _target(db, caller, user_id)
    changes = body.model_dump(exclude_unset=True)
    itself = user.id == caller.user_id
    if "role" in changes and changes["role"] is not None and changes["role"] != user.role:
        if itself:
            raise Conflict("You cannot change your own role.", code="own_role")
        _check_grant(caller, changes["role"])
        await _keep_a_super_admin(db, user)
        user.role = changes["role"]
    if changes.get("is_active") is False and user.is_active:
        if itself:
            raise Conflict("You cannot deactivate your own account.", code="own_account")
        await _keep_a_super_admin(db, user)
        user.is_active = False
    elif changes.get("is_active") is True:
        user.is_active = True
    for name in ("full_name", "phone"):
        if name in changes:
            setattr(user, name, changes[name])
    if body.password is not None:
        user.hashed_password = await hash_password(body.password)
    if body.station_id is not None and body.station_id != user.station_id:
        station = await _station_for(db, caller, body.station_id)
        user.station_id = station.id
    await db.flush()
    return user_out(user, station)


async def _keep_a_super_admin(db: AsyncSession, user: User) -> None:
    if user.role == Role.SUPER_ADMIN and await repository.other_super_admins(db, user.id) == 0:
        raise Conflict("The last super admin must stay one.", code="last_super_admin")


async def delete_user(db: AsyncSession, caller: Caller, user_id: int) -> None:
    user, _station = await _target(db, caller, user_id)
    if user.id == caller.user_id:
        raise Conflict("You cannot delete your own account.", code="own_account")
    await _keep_a_super_admin(db, user)
    await db.delete(user)
    await db.flush()
