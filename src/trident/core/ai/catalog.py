"""Which models an app can use, and which one answers a request.

The local assistant is always there.  ``OPENAI_API_KEY`` adds the OpenAI-compatible
endpoint (``OPENAI_BASE_URL``, ``OPENAI_MODEL``) and ``GEMINI_API_KEY`` adds Gemini
through its OpenAI-compatible API; the first real one configured is the default.
A client may name a model id or a family ("gemini", "openai", "gpt", "local").  A
family that is not configured falls back to the default and the answer says so
(``fallback``); an unknown name is refused with the list of what is available.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from trident.core.ai.local import LOCAL_MODEL, LocalAssistant
from trident.core.ai.openai_provider import OpenAICompatibleProvider
from trident.core.ai.provider import AIProvider
from trident.core.ai.types import ModelInfo, UnknownModelError
from trident.core.clock import BusinessClock
from trident.core.config import CoreSettings

FAMILIES = {"local": "local", "gemini": "gemini", "openai": "openai", "gpt": "openai"}


@dataclass(frozen=True, slots=True)
class Resolved:
    provider: AIProvider
    model_id: str
    requested: str | None
    fallback: bool


class ModelCatalog:
    def __init__(self, entries: list[tuple[AIProvider, ModelInfo]], default: str) -> None:
        self._entries = {info.id: (provider, info) for provider, info in entries}
        if default not in self._entries:
            raise ValueError(f"default model {default!r} is not in the catalog")
        self.default = default

    def models(self) -> list[ModelInfo]:
        return [
            replace(info, default=info.id == self.default) for _, info in self._entries.values()
        ]

    def available(self) -> list[str]:
        return [*self._entries, *FAMILIES]

    def resolve(self, requested: str | None) -> Resolved:
        name = (requested or "").strip()
        if not name:
            return self._pick(self.default, requested, fallback=False)
        if name in self._entries:
            return self._pick(name, requested, fallback=False)
        family = FAMILIES.get(name.lower())
        if family is None:
            raise UnknownModelError(name, self.available())
        for _, info in self._entries.values():
            if info.provider == family:
                return self._pick(info.id, requested, fallback=False)
        return self._pick(self.default, requested, fallback=True)

    def _pick(self, model_id: str, requested: str | None, *, fallback: bool) -> Resolved:
        provider, _ = self._entries[model_id]
        return Resolved(provider, model_id, requested, fallback)


def create_model_catalog(
    settings: CoreSettings, *, assistant_name: str | None = None
) -> ModelCatalog:
    local = LocalAssistant(
        today=BusinessClock(settings.business_timezone).today,
        chunk_delay=settings.ai_stream_delay,
        assistant_name=assistant_name or f"{settings.app_name} assistant",
    )
    entries: list[tuple[AIProvider, ModelInfo]] = []
    openai_key = settings.openai_api_key.get_secret_value()
    if openai_key:
        provider = OpenAICompatibleProvider(
            name="openai", api_key=openai_key, base_url=settings.openai_base_url or None
        )
        entries.append(
            (
                provider,
                ModelInfo(
                    id=settings.openai_model,
                    provider="openai",
                    name=settings.openai_model,
                    description="OpenAI-compatible chat model at "
                    + (settings.openai_base_url or "api.openai.com"),
                    context_window=128_000,
                ),
            )
        )
    gemini_key = settings.gemini_api_key.get_secret_value()
    if gemini_key:
        provider = OpenAICompatibleProvider(
            name="gemini", api_key=gemini_key, base_url=settings.gemini_base_url
        )
        entries.append(
            (
                provider,
                ModelInfo(
                    id=settings.gemini_model,
                    provider="gemini",
                    name=settings.gemini_model,
                    description="Google Gemini through its OpenAI-compatible API.",
                    context_window=1_000_000,
                ),
            )
        )
    default = entries[0][1].id if entries else LOCAL_MODEL
    entries.extend((local, info) for info in local.models())
    return ModelCatalog(entries, default)
