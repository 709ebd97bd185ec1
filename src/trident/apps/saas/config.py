from __future__ import annotations

from typing import ClassVar

from trident.core.config import CoreSettings


class SaasSettings(CoreSettings):
    app_name: ClassVar[str] = "saas"
    default_port: ClassVar[int] = 8002

    #: Stripe price ids for the paid plans; without them checkout sends inline prices.
    stripe_price_pro: str = ""
    stripe_price_team: str = ""
    api_key_prefix: str = "sk_saas"
    login_rate_limit: str = "10/minute"

    def required_secrets(self) -> list[str]:
        # In production money must go through Stripe: the local provider's hosted
        # page would let anyone "pay".
        return [*super().required_secrets(), "stripe_secret_key", "stripe_webhook_secret"]


#: what the CLI and the registry instantiate
Settings = SaasSettings
