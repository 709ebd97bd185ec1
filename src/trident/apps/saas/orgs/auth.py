"""Organization context: the caller's org (from ``X-Current-Org`` or the path) and
their role in it, checked against a permission declared per endpoint.

An org the caller does not belong to answers 404, never 403: membership of other
tenants is not something a caller may probe."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header
from fastapi.exceptions import RequestValidationError

from trident.apps.saas.auth.auth import AnyPrincipal
from trident.apps.saas.auth.service import Principal
from trident.apps.saas.models import Org
from trident.apps.saas.orgs import repository
from trident.apps.saas.orgs.permissions import PERMISSIONS
from trident.core.app import DbSession
from trident.core.errors import Forbidden, NotFound
from trident.core.ids import MAX_ID, PathId


@dataclass(frozen=True, slots=True)
class OrgContext:
    org: Org
    role: str
    principal: Principal

    @property
    def user_id(self) -> int:
        return self.principal.user.id


async def _resolve(db: DbSession, principal: Principal, org_id: int) -> OrgContext:
    if principal.api_key is not None and principal.api_key.org_id != org_id:
        raise NotFound(f"Organization {org_id} was not found.", code="org_not_found")
    found = await repository.org_and_role(db, org_id, principal.user.id)
    if found is None:
        raise NotFound(f"Organization {org_id} was not found.", code="org_not_found")
    org, role = found
    return OrgContext(org=org, role=role, principal=principal)


async def org_from_header(
    db: DbSession,
    principal: AnyPrincipal,
    x_current_org: Annotated[
        int | None,
        Header(
            alias="X-Current-Org",
            ge=1,
            le=MAX_ID,
            description="The organization acted in: required with a token; with an API "
            "key, the key's own organization (naming another is 403)",
        ),
    ] = None,
) -> OrgContext:
    key = principal.api_key
    if key is not None:
        # an API key belongs to one org: that is the org it acts in
        if x_current_org is not None and x_current_org != key.org_id:
            raise Forbidden(
                f"This API key acts for organization {key.org_id} only.",
                code="api_key_org_mismatch",
                details={"X-Current-Org": f"must be {key.org_id} (or left out) with this key"},
            )
        return await _resolve(db, principal, key.org_id)
    if x_current_org is None:
        raise RequestValidationError(
            [
                {
                    "type": "missing",
                    "loc": ("header", "X-Current-Org"),
                    "msg": "Field required: the organization acted in",
                    "input": None,
                }
            ]
        )
    return await _resolve(db, principal, x_current_org)


async def org_from_path(
    db: DbSession,
    principal: AnyPrincipal,
    org_id: PathId,
) -> OrgContext:
    return await _resolve(db, principal, org_id)


def _guard(source: Any, permission: str) -> Any:
    # A default, not an Annotated hint: postponed annotations are evaluated in module
    # globals, where the closure's ``source`` does not exist.
    async def check(ctx: OrgContext = Depends(source)) -> OrgContext:
        PERMISSIONS.require(ctx.role, permission)
        return ctx

    check.__name__ = f"require_{permission.replace(':', '_')}"
    return Annotated[OrgContext, Depends(check)]


def header_org(permission: str) -> Any:
    """``Annotated`` dependency: the ``X-Current-Org`` org, if the caller has ``permission``."""
    return _guard(org_from_header, permission)


def path_org(permission: str) -> Any:
    """``Annotated`` dependency: the ``{org_id}`` org, if the caller has ``permission``."""
    return _guard(org_from_path, permission)
