from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response

from trident.apps.hibachi.auth import service
from trident.apps.hibachi.auth.auth import AnyPrincipal, CurrentUser, station_caller
from trident.apps.hibachi.auth.schemas import (
    LoginRequest,
    LogoutRequest,
    MfaCode,
    MfaDisableRequest,
    MfaSetupOut,
    MfaStatus,
    RefreshRequest,
    RegisterRequest,
    StationLoginRequest,
    StationMe,
    StationRegistered,
    StationRegisterRequest,
    StationTokenResponse,
    TokenResponse,
    UserOut,
)
from trident.apps.hibachi.envelope import errors
from trident.apps.hibachi.runtime import hibachi_runtime
from trident.core.app import DbSession
from trident.core.ratelimit import RouteLimit, client_ip

router = APIRouter(tags=["auth"])
station_router = APIRouter(tags=["stations"])

login_limit = RouteLimit("login", lambda r: hibachi_runtime(r).settings.login_rate_limit)
# A six-digit code falls to guessing without a limit of its own.
mfa_limit = RouteLimit(
    "mfa",
    lambda r: hibachi_runtime(r).settings.login_rate_limit,
    key=lambda r: r.headers.get("authorization", "")[-32:] or client_ip(r.scope),
)
StationMember = station_caller()


@router.post(
    "/login",
    response_model=TokenResponse,
    responses=errors(401, 403, 422, 429),
    dependencies=[Depends(login_limit)],
)
async def login(body: LoginRequest, request: Request, db: DbSession) -> TokenResponse:
    """Sign in with email and password (and ``mfa_code`` once MFA is on)."""
    return await service.login(
        hibachi_runtime(request),
        db,
        body.email,
        body.password,
        body.mfa_code,
        user_agent=request.headers.get("user-agent"),
        ip=client_ip(request.scope),
    )


@router.post(
    "/register",
    response_model=TokenResponse,
    status_code=201,
    responses=errors(404, 409, 422, 429),
    dependencies=[Depends(login_limit)],
)
async def register(body: RegisterRequest, request: Request, db: DbSession) -> TokenResponse:
    """Create a customer account (signed in at once); staff accounts come from /api/users."""
    return await service.register(hibachi_runtime(request), db, body)


@router.get("/me", response_model=UserOut, responses=errors(401, 403))
async def me(principal: AnyPrincipal, user: CurrentUser) -> UserOut:
    """The signed-in user, with their role's permissions and their station."""
    return service.user_out(user, principal.station)


@router.post("/refresh", response_model=TokenResponse, responses=errors(401, 403, 422, 429))
async def refresh(body: RefreshRequest, request: Request, db: DbSession) -> TokenResponse:
    """Exchange a refresh token for a new pair (each refresh token works once)."""
    return await service.refresh(hibachi_runtime(request), db, body.refresh_token)


@router.post("/logout", status_code=204, responses=errors(401, 422, 429))
async def logout(
    request: Request, db: DbSession, principal: AnyPrincipal, body: LogoutRequest | None = None
) -> Response:
    """Sign out: revokes the session (of the refresh token given, else of this token)."""
    await service.logout(
        hibachi_runtime(request), db, principal, body.refresh_token if body else None
    )
    return Response(status_code=204)


@router.post("/mfa/setup", response_model=MfaSetupOut, responses=errors(401, 403, 409))
async def mfa_setup(request: Request, db: DbSession, user: CurrentUser) -> MfaSetupOut:
    """Start two-factor setup: a TOTP secret, its QR code and ten backup codes."""
    return await service.mfa_setup(hibachi_runtime(request), db, user)


@router.post(
    "/mfa/verify",
    response_model=MfaStatus,
    responses=errors(401, 403, 409, 422, 429),
    dependencies=[Depends(mfa_limit)],
)
async def mfa_verify(body: MfaCode, db: DbSession, user: CurrentUser) -> MfaStatus:
    """Confirm setup with a code from the authenticator; from then on login needs one."""
    await service.mfa_verify(db, user, body.token)
    return MfaStatus(
        mfa_enabled=True,
        message="Two-factor authentication is on.",
        backup_codes_remaining=len(user.mfa_backup_codes or []),
    )


@router.post(
    "/mfa/disable",
    response_model=MfaStatus,
    responses=errors(401, 403, 409, 422, 429),
    dependencies=[Depends(mfa_limit)],
)
async def mfa_disable(
    body: MfaDisableRequest, request: Request, db: DbSession, user: CurrentUser
) -> MfaStatus:
    """Turn two-factor authentication off (password and a current code required)."""
    await service.mfa_disable(hibachi_runtime(request), db, user, body.password, body.token)
    return MfaStatus(
        mfa_enabled=False, message="Two-factor authentication is off.", backup_codes_remaining=0
    )


@station_router.post(
    "/login",
    response_model=StationTokenResponse,
    responses=errors(401, 403, 404, 422, 429),
    dependencies=[Depends(login_limit)],
)
async def station_login(
    body: StationLoginRequest, request: Request, db: DbSession
) -> StationTokenResponse:
    """Sign in to a station: its staff, or a super admin choosing the station to work in."""
    tokens, station = await service.station_login(
        hibachi_runtime(request),
        db,
        body.email,
        body.password,
        body.mfa_code,
        body.station_id if body.station_id is not None else body.station_code,
        user_agent=request.headers.get("user-agent"),
        ip=client_ip(request.scope),
    )
    return StationTokenResponse(**tokens.model_dump(), station=service.station_brief(station))


@station_router.post(
    "/register",
    response_model=StationRegistered,
    status_code=201,
    responses=errors(409, 422, 429),
    dependencies=[Depends(login_limit)],
)
async def station_register(
    body: StationRegisterRequest, request: Request, db: DbSession
) -> StationRegistered:
    """Register a new station and its administrator; it opens once a super admin activates it."""
    station, user = await service.register_station(hibachi_runtime(request), db, body)
    return StationRegistered(
        station=service.station_brief(station),
        user=service.user_out(user, station),
        message="Station registered. A super admin will review and activate it.",
    )


@station_router.get("/me", response_model=StationMe, responses=errors(401, 403, 404))
async def station_me(caller: StationMember) -> StationMe:
    """The station this request acts in, and the caller's role and permissions there."""
    user = caller.user
    return StationMe(
        station=service.station_brief(caller.station),
        user=service.user_out(user, caller.principal.station) if user is not None else None,
        role=caller.role,
        permissions=sorted(caller.principal.permissions),
    )
