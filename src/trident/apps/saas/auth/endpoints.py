from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from trident.apps.saas.auth import service
from trident.apps.saas.auth.schemas import RefreshRequest, RegisterRequest, TokenResponse, UserOut
from trident.apps.saas.envelope import errors
from trident.apps.saas.runtime import saas_runtime
from trident.core.app import DbSession
from trident.core.auth.tokens import TokenPair
from trident.core.ratelimit import RouteLimit, client_ip

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


login_rate_limit = RouteLimit(
    "login", lambda request: saas_runtime(request).settings.login_rate_limit
)


def _tokens(pair: TokenPair) -> TokenResponse:
    return TokenResponse(
        access_token=pair.access_token,
        refresh_token=pair.refresh_token,
        expires_in=pair.expires_in,
    )


@router.post("/register", response_model=UserOut, status_code=201, responses=errors(409, 422, 429))
async def register(body: RegisterRequest, request: Request, db: DbSession) -> UserOut:
    """Create an account (and its payment customer); pending invitations become memberships."""
    user = await service.register(saas_runtime(request), db, body)
    return UserOut.model_validate(user)


@router.post(
    "/login",
    response_model=TokenResponse,
    responses=errors(401, 422, 429),
    dependencies=[Depends(login_rate_limit)],
)
async def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], request: Request, db: DbSession
) -> TokenResponse:
    """OAuth2 password login (form fields ``username`` = email, ``password``)."""
    pair = await service.login(
        saas_runtime(request),
        db,
        form.username,
        form.password,
        user_agent=request.headers.get("user-agent"),
        ip=client_ip(request.scope),
    )
    return _tokens(pair)


@router.post("/refresh", response_model=TokenResponse, responses=errors(401, 422, 429))
async def refresh(body: RefreshRequest, request: Request, db: DbSession) -> TokenResponse:
    """Exchange a refresh token for a new pair (each refresh token works once)."""
    return _tokens(await service.refresh(saas_runtime(request), db, body.refresh_token))


@router.post("/logout", status_code=204, responses=errors(401, 422, 429))
async def logout(body: RefreshRequest, request: Request, db: DbSession) -> Response:
    """Sign out: revokes the refresh token's session and its access tokens."""
    await service.logout(saas_runtime(request), db, body.refresh_token)
    return Response(status_code=204)
