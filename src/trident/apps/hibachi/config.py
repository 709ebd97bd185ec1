from __future__ import annotations

from typing import ClassVar

from pydantic import Field, SecretStr

from trident.core.config import CoreSettings


class HibachiSettings(CoreSettings):
    app_name: ClassVar[str] = "hibachi"
    default_port: ClassVar[int] = 8000

    #: encrypts customer email and phone at rest; older keys (comma-separated) still decrypt
    field_encryption_key: SecretStr = SecretStr("")
    field_encryption_old_keys: SecretStr = SecretStr("")
    #: keys the blind indexes (exact search by email or phone); never rotated, so it is
    #: separate from the encryption key, which may be
    field_index_key: SecretStr = SecretStr("")
    #: the station public requests use when they name none (its code)
    default_station: str = "main"
    api_key_prefix: str = "mh"
    login_rate_limit: str = "5/minute"
    #: the tiers of the newest document (requests per minute; per hour)
    rate_limit_public: str = "30/minute;300/hour"
    rate_limit_authenticated: str = "100/minute;1000/hour"
    rate_limit_premium: str = "200/minute;2000/hour"
    rate_limit_admin: str = "500/minute;5000/hour"
    #: how many days ahead a party can be booked (five years: weddings are booked years
    #: out); beyond it a date is a typo (20230 for 2030), not a plan
    booking_horizon_days: int = Field(default=5 * 365 + 1, ge=1, le=36_500)
    #: local wall-clock zone of the business (dates such as "today" are read in it)
    business_timezone: str = "America/Los_Angeles"

    def required_secrets(self) -> list[str]:
        return [*super().required_secrets(), "field_encryption_key", "field_index_key"]


#: what the CLI and the registry instantiate
Settings = HibachiSettings
