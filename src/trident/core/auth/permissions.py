"""Role -> permission maps, declared once per app and checked per endpoint."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from trident.core.errors import Forbidden


class PermissionMap:
    def __init__(self, grants: Mapping[str, Iterable[str]]) -> None:
        self._grants = {role: frozenset(perms) for role, perms in grants.items()}

    def permissions(self, role: str) -> frozenset[str]:
        return self._grants.get(role, frozenset())

    def allows(self, role: str, permission: str) -> bool:
        perms = self.permissions(role)
        return permission in perms or "*" in perms

    def require(self, role: str, permission: str) -> None:
        if not self.allows(role, permission):
            raise Forbidden(
                f"Your role ({role}) does not allow {permission}.",
                code="insufficient_permissions",
                details={"required_permission": permission, "role": role},
            )

    def table(self) -> dict[str, list[str]]:
        return {role: sorted(perms) for role, perms in self._grants.items()}
