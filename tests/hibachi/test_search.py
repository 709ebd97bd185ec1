"""Search boxes match what is typed literally: ``%`` and ``_`` are not wildcards."""

from __future__ import annotations

import pytest

from tests.hibachi.helpers import Client


@pytest.mark.parametrize("path", ["/api/customers", "/api/bookings"])
@pytest.mark.parametrize(("search", "found"), [("john", 1), ("%", 0), ("_", 0), ("J%n", 0)])
async def test_search_is_literal(client: Client, path: str, search: str, found: int) -> None:
    admin = await client.staff("admin")
    await client.book(admin, customer_name="John Doe")
    response = await client.get(path, params={"search": search}, headers=admin.headers())
    assert response.status_code == 200, response.text
    assert len(response.json()["items"]) == found
