"""Login (with MFA), registration, token rotation and resolving who is calling."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from trident.apps.hibachi.auth import repository
from trident.apps.hibachi.auth.permissions import PERMISSIONS, permissions_of
from trident.apps.hibachi.auth.principal import Principal
from trident.apps.hibachi.auth.schemas import (
    MfaSetupOut,
    RegisterRequest,
    StationBrief,
    StationRegisterRequest,
    TokenResponse,
    UserOut,
)
from trident.apps.hibachi.customers.service import find_or_create_customer
from trident.apps.hibachi.models import Role, Station, StationStatus, User
from trident.apps.hibachi.runtime import HibachiRuntime, identify_caller
from trident.apps.hibachi.stations.service import create_station
from trident.core.auth.tokens import TokenPair, TokenService
from trident.core.clock import utcnow
from trident.core.errors import Conflict, Forbidden, NotFound, Unauthorized
from trident.core.jobs import queue_job
from trident.core.security import totp
from trident.core.security.apikeys import hash_token
from trident.core.security.passwords import (
    hash_password,
    needs_rehash,
    verify_password,
    verify_password_unlocked,
)

#: how stale ``last_used_at`` may get before a request refreshes it (saves a write per call)
API_KEY_TOUCH_INTERVAL = timedelta(minutes=1)
MFA_ISSUER = "MyHibachi"


def station_brief(station: Station) -> StationBrief:
    return StationBrief(id=station.id, code=station.code, name=station.name, status=station.status)


def user_out(user: User, station: Station | None) -> UserOut:
    return UserOut(
        id=user.id,
        email=user.email,
        full_name=user.full_name,
        phone=user.phone,
        role=user.role,
        permissions=permissions_of(user.role),
        is_active=user.is_active,
        mfa_enabled=user.mfa_enabled,
        station_id=user.station_id,
        station=station_brief(station) if station is not None else None,
        customer_id=user.customer_id,
        created_at=user.created_at,
        last_login=user.last_login_at,
    )


def token_claims(user: User, station_id: int | None) -> dict[str, Any]:
    """What an access token says besides its subject (the 2025-10-25 document's fields);
    the role there serves rate limiting only, authorization reads the database."""
    return {"user_id": user.id, "email": user.email, "role": user.role, "station_id": station_id}


def token_response(pair: TokenPair, user: User, station: Station | None) -> TokenResponse:
    return TokenResponse(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        expires_in=pair.expires_in,
        user=user_out(user, station),
    )


def check_station_open(user: User, station: Station | None) -> None:
    """Staff of a station that is not active cannot sign in (a super admin always can)."""
    if user.role == Role.SUPER_ADMIN or station is None:
        return
    if station.status != StationStatus.ACTIVE:
        raise Forbidden(
            f"The station {station.name!r} is {station.status}; a super admin must activate it.",
            code="station_inactive",
            details={"station_status": station.status},
        )


async def _check_mfa(rt: HibachiRuntime, user: User, code: str | None) -> None:
    if not user.mfa_enabled:
        return
    if not code:
        raise Unauthorized(
            "This account uses two-factor authentication: send mfa_code.",
            code="mfa_required",
            details={"mfa_required": True},
        )
    if user.mfa_secret and totp.verify_code(user.mfa_secret, code):
        return
    remaining = totp.consume_backup_code(rt.api_key_secret, user.mfa_backup_codes or [], code)
    if remaining is None:
        raise Unauthorized("The two-factor code is not valid.", code="invalid_mfa_code")
    user.mfa_backup_codes = remaining


async def authenticate_credentials(
    rt: HibachiRuntime, db: AsyncSession, email: str, password: str, mfa_code: str | None
) -> tuple[User, Station | None]:
    user = await repository.user_by_email(db, email)
    valid = await verify_password_unlocked(db, user.hashed_password if user else None, password)
    if user is None or not valid:
        raise Unauthorized("Incorrect email or password.", code="invalid_credentials")
    if not user.is_active:
        raise Unauthorized("This account is disabled.", code="account_disabled")
    await _check_mfa(rt, user, mfa_code)
    station = (
        await repository.station_by_id(db, user.station_id) if user.station_id is not None else None
    )
    check_station_open(user, station)
    if needs_rehash(user.hashed_password):
        user.hashed_password = await hash_password(password)
    user.last_login_at = utcnow()
    identify_caller(db, "user", user.id, user.email, user.station_id)
    return user, station


async def login(
    rt: HibachiRuntime,
    db: AsyncSession,
    email: str,
    password: str,
    mfa_code: str | None,
    *,
    user_agent: str | None,
    ip: str,
) -> TokenResponse:
    user, station = await authenticate_credentials(rt, db, email, password, mfa_code)
    pair = await rt.tokens.issue(
        db,
        user.id,
        user_agent=user_agent,
        ip_address=ip,
        extra_claims=token_claims(user, user.station_id),
    )
    return token_response(pair, user, station)


async def station_login(
    rt: HibachiRuntime,
    db: AsyncSession,
    email: str,
    password: str,
    mfa_code: str | None,
    station_ref: str | int | None,
    *,
    user_agent: str | None,
    ip: str,
) -> tuple[TokenResponse, Station]:
    """Sign in to one station: its staff, or a super admin choosing it for this session."""
    user, home = await authenticate_credentials(rt, db, email, password, mfa_code)
    station = home
    if station_ref is not None:
        station = await repository.station_by_ref(db, station_ref)
        if station is None or station.status == StationStatus.DELETED:
            raise NotFound("That station was not found.", code="station_not_found")
        if user.role != Role.SUPER_ADMIN and station.id != user.station_id:
            raise Unauthorized("Incorrect email or password.", code="invalid_credentials")
    if station is None:
        raise Forbidden("Choose a station to sign in to.", code="station_required")
    check_station_open(user, station)
    pair = await rt.tokens.issue(
        db,
        user.id,
        user_agent=user_agent,
        ip_address=ip,
        extra_claims=token_claims(user, station.id),
        session_fields={"station_id": station.id},
    )
    return token_response(pair, user, home), station


async def refresh(rt: HibachiRuntime, db: AsyncSession, refresh_token: str) -> TokenResponse:
    claims = rt.tokens.codec.decode(refresh_token, "refresh")
    user = await repository.user_by_id(db, int(claims["sub"]))
    if user is None or not user.is_active:
        raise Unauthorized("This account is disabled.", code="account_disabled")
    station = (
        await repository.station_by_id(db, user.station_id) if user.station_id is not None else None
    )
    check_station_open(user, station)
    pair = await rt.tokens.rotate(db, refresh_token, token_claims(user, user.station_id))
    return token_response(pair, user, station)


async def logout(
    rt: HibachiRuntime, db: AsyncSession, principal: Principal, refresh_token: str | None
) -> None:
    if refresh_token is not None:
        if not await rt.tokens.revoke_by_refresh_token(db, refresh_token):
            raise Unauthorized("The refresh token is not recognised.", code="invalid_token")
        return
    if principal.session_id is None:
        raise Unauthorized("An API key has no session to sign out of.", code="invalid_token")
    await rt.tokens.revoke_session(db, principal.session_id, "logout")


async def default_station(rt: HibachiRuntime, db: AsyncSession, code: str | None) -> Station:
    station = await repository.station_by_code(db, code or rt.settings.default_station)
    if station is None or station.status != StationStatus.ACTIVE:
        raise NotFound("That station was not found.", code="station_not_found")
    return station


async def create_account(
    db: AsyncSession,
    *,
    email: str,
    password: str,
    role: str,
    station_id: int,
    full_name: str | None = None,
    phone: str | None = None,
    customer_id: int | None = None,
) -> User:
    """A new user; 409 ``email_taken`` when the email has one (the unique index keeps it
    so when two registrations race)."""
    email = email.lower()
    if await repository.user_by_email(db, email) is not None:
        raise Conflict("An account with this email already exists.", code="email_taken")
    user = User(
        email=email,
        hashed_password=await hash_password(password),
        full_name=full_name,
        phone=phone,
        role=role,
        station_id=station_id,
        customer_id=customer_id,
    )
    db.add(user)
    try:
        await db.flush()
    except IntegrityError:
        raise Conflict("An account with this email already exists.", code="email_taken")
    return user


async def register(rt: HibachiRuntime, db: AsyncSession, body: RegisterRequest) -> TokenResponse:
    """A customer account: the public can only ever create customers."""
    email = body.email.lower()
    station = await default_station(rt, db, body.station_code)
    if await repository.user_by_email(db, email) is not None:  # before making a customer
        raise Conflict("An account with this email already exists.", code="email_taken")
    customer = await find_or_create_customer(
        rt,
        db,
        station.id,
        name=body.full_name or email.split("@")[0],
        email=email,
        phone=body.phone,
        source="account",
    )
    user = await create_account(
        db,
        email=email,
        password=body.password,
        role=Role.CUSTOMER,
        station_id=station.id,
        full_name=body.full_name,
        phone=body.phone,
        customer_id=customer.id,
    )
    user.last_login_at = utcnow()
    identify_caller(db, "user", user.id, user.email, station.id)
    pair = await rt.tokens.issue(db, user.id, extra_claims=token_claims(user, station.id))
    return token_response(pair, user, station)


async def register_station(
    rt: HibachiRuntime, db: AsyncSession, body: StationRegisterRequest
) -> tuple[Station, User]:
    """A new location and its administrator, pending a super admin's approval."""
    email = body.email.lower()
    if await repository.user_by_email(db, email) is not None:
        raise Conflict("An account with this email already exists.", code="email_taken")
    station = await create_station(
        rt,
        db,
        name=body.station_name,
        code=body.station_code,
        status=StationStatus.PENDING,
        timezone=body.timezone,
        city=body.city,
        state=body.state,
        email=email,
        phone=body.phone,
    )
    user = await create_account(
        db,
        email=email,
        password=body.password,
        role=Role.ADMIN,
        station_id=station.id,
        full_name=body.full_name,
        phone=body.phone,
    )
    identify_caller(db, "user", user.id, user.email, station.id)
    return station, user


async def principal_from_token(db: AsyncSession, access_claims: dict[str, Any]) -> Principal:
    """The principal of a verified access token, if its session is still live."""
    claims = TokenService.session_claims(access_claims)
    found = await repository.user_with_session(db, claims.user_id, claims.session_id)
    if found is None:
        raise Unauthorized("The token is invalid.", code="invalid_token")
    user, auth_session, station = found
    if auth_session.revoked_at is not None:
        raise Unauthorized("This session has been signed out.", code="session_revoked")
    if not user.is_active:
        raise Unauthorized("This account is disabled.", code="account_disabled")
    return Principal(
        role=user.role,
        permissions=PERMISSIONS.permissions(user.role),
        station=station,
        user=user,
        session_id=claims.session_id,
        session_station_id=auth_session.station_id,
    )


async def principal_from_api_key(rt: HibachiRuntime, db: AsyncSession, raw_key: str) -> Principal:
    found = await repository.api_key_identity(db, hash_token(rt.api_key_secret, raw_key))
    if found is None:
        raise Unauthorized("The API key is invalid.", code="invalid_api_key")
    key, station = found
    now = utcnow()
    if key.revoked_at is not None:
        raise Unauthorized("The API key has been revoked.", code="api_key_revoked")
    if key.expires_at is not None and key.expires_at <= now:
        raise Unauthorized("The API key has expired.", code="api_key_expired")
    if key.last_used_at is None or now - key.last_used_at > API_KEY_TOUCH_INTERVAL:
        queue_job(db, "hibachi.touch_api_key", key_id=key.id)
    return Principal(
        role="api_key",
        permissions=frozenset(key.permissions),
        station=station,
        api_key=key,
    )


async def mfa_setup(rt: HibachiRuntime, db: AsyncSession, user: User) -> MfaSetupOut:
    if user.mfa_enabled:
        raise Conflict(
            "Two-factor authentication is already on; disable it first to set it up again.",
            code="mfa_already_enabled",
        )
    secret = totp.new_secret()
    codes = totp.new_backup_codes()
    user.mfa_secret = secret
    user.mfa_backup_codes = [totp.hash_backup_code(rt.api_key_secret, c) for c in codes]
    await db.flush()
    uri = totp.provisioning_uri(secret, user.email, MFA_ISSUER)
    return MfaSetupOut(
        secret=secret,
        qr_code=totp.qr_png_data_url(uri),
        provisioning_uri=uri,
        backup_codes=codes,
    )


async def mfa_verify(db: AsyncSession, user: User, code: str) -> None:
    if not user.mfa_secret:
        raise Conflict("Set up two-factor authentication first.", code="mfa_not_set_up")
    if not totp.verify_code(user.mfa_secret, code):
        raise Unauthorized("The two-factor code is not valid.", code="invalid_mfa_code")
    user.mfa_enabled = True
    await db.flush()


async def mfa_disable(
    rt: HibachiRuntime, db: AsyncSession, user: User, password: str, code: str
) -> None:
    if not user.mfa_enabled:
        raise Conflict("Two-factor authentication is not on.", code="mfa_not_enabled")
    if not await verify_password(user.hashed_password, password):
        raise Unauthorized("Incorrect password.", code="invalid_credentials")
    await _check_mfa(rt, user, code)
    user.mfa_enabled = False
    user.mfa_secret = None
    user.mfa_backup_codes = None
    await db.flush()
