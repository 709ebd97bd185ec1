"""The saas authorization matrix (the table is in authz_matrix.py)."""

from __future__ import annotations

from fastapi import FastAPI

from tests.reliability.matrix import check_coverage, check_rows
from tests.saas import authz_matrix
from tests.saas.helpers import Client


def test_every_route_has_a_row(app: FastAPI) -> None:
    check_coverage(app, authz_matrix)


async def test_every_route_answers_each_identity_as_its_row_says(client: Client) -> None:
    assert await check_rows(client, authz_matrix) == []
