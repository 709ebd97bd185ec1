"""AI behind one interface: the offline ``local`` assistant and OpenAI-compatible endpoints."""

from trident.core.ai.catalog import ModelCatalog, Resolved, create_model_catalog
from trident.core.ai.entities import Entities, extract_entities, normalize_phone
from trident.core.ai.local import LOCAL_MODEL, LocalAssistant
from trident.core.ai.openai_provider import OpenAICompatibleProvider
from trident.core.ai.provider import AIProvider
from trident.core.ai.tokens import count_tokens
from trident.core.ai.tools import Tool, ToolRegistry
from trident.core.ai.types import (
    AIProviderError,
    ChatMessage,
    ChatResult,
    ModelInfo,
    StreamEvent,
    ToolCall,
    UnknownModelError,
    Usage,
)

__all__ = [
    "LOCAL_MODEL",
    "AIProvider",
    "AIProviderError",
    "ChatMessage",
    "ChatResult",
    "Entities",
    "LocalAssistant",
    "ModelCatalog",
    "ModelInfo",
    "OpenAICompatibleProvider",
    "Resolved",
    "StreamEvent",
    "Tool",
    "ToolCall",
    "ToolRegistry",
    "UnknownModelError",
    "Usage",
    "count_tokens",
    "create_model_catalog",
    "extract_entities",
    "normalize_phone",
]
