"""One benchmarked request, described once for the load generator and the profiler."""

from __future__ import annotations

from dataclasses import dataclass, field

#: in a body, replaced per request by a date and a time that never repeat in a run
#: (every slot of one day, then the next day), so creates never meet a taken slot
NEXT_DATE, NEXT_TIME = "__DATE__", "__TIME__"


@dataclass(frozen=True)
class Scenario:
    name: str
    method: str
    path: str
    #: who signs in for it (its Bearer token); None for an anonymous request
    user: str | None = None
    #: the tenant header and its value, fixed
    tenant_header: str = "X-Current-Org"
    tenant: str | None = None
    #: or rotated per request over these tenants (so writes meet no plan limit)
    rotate_tenants: list[str] = field(default_factory=list)
    body: str | None = None
    content_type: str = "application/json"
    write: bool = False
    #: the start times ``NEXT_TIME`` cycles through (with ``NEXT_DATE`` in the body)
    slot_times: tuple[str, ...] = ()
    #: the target "list of 20 rows from a 1M-row table" is measured on this one
    list_of_large_table: bool = False

    @property
    def is_read(self) -> bool:
        return not self.write

    def headers(self, token: str | None, index: int = 0) -> dict[str, str]:
        """The request's headers (the profiler's; wrk's script builds the same)."""
        headers = {"Content-Type": self.content_type} if self.body is not None else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if self.tenant:
            headers[self.tenant_header] = self.tenant
        if self.rotate_tenants:
            headers[self.tenant_header] = self.rotate_tenants[index % len(self.rotate_tenants)]
        return headers
