"""Who may read /metrics (core/app.py: check_metrics_access)."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from trident.core.app import check_metrics_access
from trident.core.config import CoreSettings
from trident.core.errors import Forbidden, Unauthorized


def _settings(environment: str, token: str = "") -> CoreSettings:
    return CoreSettings.model_construct(environment=environment, metrics_token=SecretStr(token))


def test_open_outside_production_without_a_token() -> None:
    assert check_metrics_access(_settings("development"), None) is None


def test_refused_in_production_without_a_token() -> None:
    with pytest.raises(Forbidden) as caught:
        check_metrics_access(_settings("production"), "Bearer anything")
    assert caught.value.code == "metrics_disabled"


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic s3cret-token", "s3cret-token"])
def test_a_token_must_be_sent_as_bearer(header: str | None) -> None:
    with pytest.raises(Unauthorized):
        check_metrics_access(_settings("production", "s3cret-token"), header)


def test_the_right_token_is_let_in() -> None:
    assert (
        check_metrics_access(_settings("production", "s3cret-token"), "Bearer s3cret-token") is None
    )
