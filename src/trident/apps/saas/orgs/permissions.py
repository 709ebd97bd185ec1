"""Who may do what inside an organization."""

from trident.core.auth.permissions import PermissionMap

MEMBER_PERMISSIONS = {
    "org:read",
    "members:read",
    "apikeys:read",
    "billing:read",
    "ai:use",
    "premium:read",
}
ADMIN_PERMISSIONS = MEMBER_PERMISSIONS | {
    "org:update",
    "members:invite",
    "members:update",
    "members:remove",
    "apikeys:manage",
    "billing:manage",
    "premium:manage",
}
OWNER_PERMISSIONS = ADMIN_PERMISSIONS | {"members:manage_owners"}

PERMISSIONS = PermissionMap(
    {"owner": OWNER_PERMISSIONS, "admin": ADMIN_PERMISSIONS, "member": MEMBER_PERMISSIONS}
)
