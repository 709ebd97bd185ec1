"""Authenticators and station context, declared per endpoint.

Two gates: *who* (a user's bearer token, an integration's ``X-API-Key``, or nobody)
and *what* (a permission of the caller's role).  Every station-scoped endpoint gets
a :class:`Caller`: the principal plus the one station its queries are scoped to.
Staff act in their own station; a super admin picks one with ``X-Station-ID`` (id
or code), else the station their session signed in to, else their home station.
A station the caller may not see answers 404, never 403.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from trident.apps.hibachi.auth import repository, service
from trident.apps.hibachi.auth.principal import Caller, Principal
from trident.apps.hibachi.models import Station, StationStatus, User
from trident.apps.hibachi.runtime import hibachi_runtime, identify_caller
from trident.core.app import DbSession
from trident.core.errors import BadRequest, Forbidden, NotFound, Unauthorized
from trident.core.security.tokens import request_access_claims

bearer_scheme = HTTPBearer(auto_error=False, description="The access_token from login")
api_key_scheme = APIKeyHeader(name="X-API-Key", auto_error=False)

StationHeader = Annotated[
    str | None,
    Header(
        alias="X-Station-ID",
        min_length=1,
        max_length=50,
        pattern=r"^[A-Za-z0-9-]+$",
        description="The station to act in (id or code): super admins, and public requests",
    ),
]


async def optional_principal(
    request: Request,
    db: DbSession,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    api_key: Annotated[str | None, Depends(api_key_scheme)],
) -> Principal | None:
    rt = hibachi_runtime(request)
    if api_key:
        return await service.principal_from_api_key(rt, db, api_key)
    if credentials is not None:
        claims = request_access_claims(request.scope, rt.tokens.codec, credentials.credentials)
        return await service.principal_from_token(db, claims)
    return None


async def authenticate(
    principal: Annotated[Principal | None, Depends(optional_principal)],
) -> Principal:
    if principal is None:
        raise Unauthorized("Not authenticated.", code="not_authenticated")
    return principal


async def current_user(principal: Annotated[Principal, Depends(authenticate)]) -> User:
    if principal.user is None:
        raise Forbidden("This endpoint needs a user's token, not an API key.", code="user_required")
    return principal.user


AnyPrincipal = Annotated[Principal, Depends(authenticate)]
MaybePrincipal = Annotated[Principal | None, Depends(optional_principal)]
CurrentUser = Annotated[User, Depends(current_user)]


async def require_super_admin(
    request: Request, db: DbSession, principal: AnyPrincipal
) -> Principal:
    """The whole platform's operator: stations are theirs to manage."""
    if not principal.can("stations:manage"):
        raise Forbidden(
            "Only a super admin may do this.",
            code="insufficient_permissions",
            details={"required_permission": "stations:manage", "role": principal.role},
        )
    request.state.user_id = principal.user_id
    identify_caller(
        db,
        principal.kind,
        principal.user_id,
        principal.user.email if principal.user else None,
        None,
    )
    return principal


SuperAdmin = Annotated[Principal, Depends(require_super_admin)]


def _not_found() -> NotFound:
    return NotFound("That station was not found.", code="station_not_found")


async def resolve_station(db: DbSession, principal: Principal, header: str | None) -> Station:
    if principal.is_super_admin:
        if header is not None:
            station = await repository.station_by_ref(db, header)
            if station is None:
                raise _not_found()
        elif principal.session_station_id is not None:
            station = await repository.station_by_id(db, principal.session_station_id)
        else:
            station = principal.station
        if station is None:
            raise BadRequest(
                "Choose a station: send X-Station-ID (its id or code).", code="station_required"
            )
        if station.status == StationStatus.DELETED:
            raise _not_found()
        return station
    station = principal.station
    if station is None:
        raise Forbidden("This account belongs to no station.", code="no_station")
    if header is not None and header not in (str(station.id), station.code):
        raise _not_found()
    if station.status != StationStatus.ACTIVE:
        raise Forbidden(
            f"The station {station.name!r} is {station.status}.",
            code="station_inactive",
            details={"station_status": station.status},
        )
    return station


def _remember(request: Request, db: Any, principal: Principal | None, station: Station) -> None:
    """Name the caller in the audit trail and in the error log."""
    request.state.station_id = station.id
    if principal is None:
        identify_caller(db, "anonymous", None, None, station.id)
        return
    request.state.user_id = principal.user_id
    if principal.api_key is not None:
        identify_caller(db, "api_key", principal.api_key.id, principal.api_key.name, station.id)
    else:
        identify_caller(db, "user", principal.user_id, principal.user.email, station.id)  # type: ignore[union-attr]


def station_caller(*permissions: str, any_of: bool = False) -> Any:
    """``Annotated`` dependency: the caller in their station, holding ``permissions``
    (all of them, or with ``any_of`` one of them)."""

    async def check(
        request: Request,
        db: DbSession,
        principal: AnyPrincipal,
        x_station_id: StationHeader = None,
    ) -> Caller:
        station = await resolve_station(db, principal, x_station_id)
        caller = Caller(principal=principal, station=station)
        _remember(request, db, principal, station)
        if any_of:
            if not any(caller.can(p) for p in permissions):
                caller.require(permissions[0])
        else:
            for permission in permissions:
                caller.require(permission)
        return caller

    check.__name__ = "require_" + "_or_".join(p.replace(":", "_") for p in permissions)
    return Annotated[Caller, Depends(check)]


async def public_station(
    request: Request,
    db: DbSession,
    principal: MaybePrincipal,
    x_station_id: StationHeader = None,
) -> Station:
    """The station a public request is for: a signed-in caller's own, else the one
    ``X-Station-ID`` names, else the default station."""
    if principal is not None:
        station = await resolve_station(db, principal, x_station_id)
    elif x_station_id is not None:
        station = await repository.station_by_ref(db, x_station_id)
        if station is None or station.status != StationStatus.ACTIVE:
            raise _not_found()
    else:
        station = await service.default_station(hibachi_runtime(request), db, None)
    _remember(request, db, principal, station)
    return station


PublicStation = Annotated[Station, Depends(public_station)]

#: ``openapi_extra`` of a public endpoint: credentials are optional there (a signed-in
#: caller acts in their own station); FastAPI appends this empty requirement to the
#: endpoint's bearer and API-key schemes, which is how OpenAPI says "or none"
OPTIONAL_AUTH: dict[str, Any] = {"security": [{}]}
