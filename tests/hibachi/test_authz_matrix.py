"""The hibachi authorization matrix (the table is in authz_matrix.py)."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from tests.hibachi import authz_matrix
from tests.hibachi.helpers import Client
from tests.reliability.matrix import check_coverage, check_rows

#: the matrix makes about 8,000 requests, a few hundred of them sign-ins: far above
#: every tier's limit, which tests/hibachi/test_rate_limits.py covers on its own
UNLIMITED = "1000000/minute"


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {
        "rate_limit_public": UNLIMITED,
        "rate_limit_authenticated": UNLIMITED,
        "rate_limit_premium": UNLIMITED,
        "rate_limit_admin": UNLIMITED,
        "login_rate_limit": UNLIMITED,
    }


def test_every_route_has_a_row(app: FastAPI) -> None:
    check_coverage(app, authz_matrix)


async def test_every_route_answers_each_identity_as_its_row_says(client: Client) -> None:
    assert await check_rows(client, authz_matrix) == []
