"""Who is calling and in which station: the two values every endpoint works with."""

from __future__ import annotations

from dataclasses import dataclass

from trident.apps.hibachi.models import ApiKey, Role, Station, User
from trident.core.errors import Forbidden


@dataclass(frozen=True, slots=True)
class Principal:
    """A user with a token, or an integration's API key."""

    role: str
    permissions: frozenset[str]
    #: the station the caller belongs to (a super admin's default)
    station: Station | None
    user: User | None = None
    session_id: str | None = None
    api_key: ApiKey | None = None
    #: the station this login session chose (station login)
    session_station_id: int | None = None

    @property
    def kind(self) -> str:
        return "api_key" if self.api_key is not None else "user"

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user is not None else None

    @property
    def is_super_admin(self) -> bool:
        return self.role == Role.SUPER_ADMIN

    def can(self, permission: str) -> bool:
        return "*" in self.permissions or permission in self.permissions


@dataclass(frozen=True, slots=True)
class Caller:
    """A principal acting in one station (the tenant every query is scoped to)."""

    principal: Principal
    station: Station

    @property
    def station_id(self) -> int:
        return self.station.id

    @property
    def user(self) -> User | None:
        return self.principal.user

    @property
    def user_id(self) -> int | None:
        return self.principal.user_id

    @property
    def role(self) -> str:
        return self.principal.role

    def can(self, permission: str) -> bool:
        return self.principal.can(permission)

    def require(self, permission: str) -> None:
        if not self.can(permission):
            raise Forbidden(
                f"Your role ({self.role}) does not allow {permission}.",
                code="insufficient_permissions",
                details={"required_permission": permission, "role": self.role},
            )

    def own_customer_id(self, broad_permission: str) -> int | None:
        """None when the caller may see every customer's rows (``broad_permission``);
        else the caller's own customer id, which the query must be narrowed to."""
        if self.can(broad_permission):
            return None
        user = self.principal.user
        # -1 matches nothing: a customer account without its record sees no rows
        return user.customer_id if user is not None and user.customer_id is not None else -1
