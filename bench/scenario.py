"""One benchmarked request, described once for the load generator and the profiler."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scenario:
    name: str
    method: str
    path: str
    #: who signs in for it (its Bearer token); None for an anonymous request
    user: str | None = None
    #: the tenant header, fixed
    org: str | None = None
    #: or rotated per request over these tenants (so writes meet no plan limit)
    rotate_orgs: list[str] = field(default_factory=list)
    body: str | None = None
    content_type: str = "application/json"
    write: bool = False
    #: the target "list of 20 rows from a 1M-row table" is measured on this one
    list_of_large_table: bool = False

    @property
    def is_read(self) -> bool:
        return not self.write
