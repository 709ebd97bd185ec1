"""Rate limiting with ``limits``: in memory by default, Redis when configured.

A limit may have several windows (``"100/minute;1000/hour"``): each is counted, the
request is refused when any is exhausted, and the headers describe the window
closest to running out plus each window on its own (``X-RateLimit-Remaining-Minute``).
Every response carries ``X-RateLimit-*``; an exceeded limit answers 429 with
``Retry-After`` in the app's envelope.  If Redis stops answering, counting falls
back to this process's memory (limits stay enforced per worker) and the limiter
reports itself degraded to ``/ready``.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage, RedisStorage
from limits.aio.strategies import RateLimiter, SlidingWindowCounterRateLimiter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from trident.core.clock import unix_time
from trident.core.errors import ErrorResponder, TooManyRequests, Unauthorized
from trident.core.security.tokens import TokenCodec, request_access_claims

log = logging.getLogger("trident.ratelimit")

EXEMPT_PATHS = frozenset({"/health", "/ready", "/live", "/metrics", "/favicon.ico"})
EXEMPT_PREFIXES = ("/docs", "/redoc", "/openapi.json")
STATE_KEY = "ratelimit"


@dataclass(frozen=True, slots=True)
class WindowState:
    """One window of a limit: its size, what is left of it and when it resets."""

    name: str  # "minute", "hour", ... (the window's granularity)
    limit: int
    remaining: int
    reset_at: float
    window_seconds: int

    @property
    def current(self) -> int:
        """Requests counted in the window (a refused one shows as limit + 1)."""
        return self.limit - self.remaining


@dataclass(frozen=True, slots=True)
class RateLimitResult:
    tier: str
    limit: int
    remaining: int
    reset_at: float
    allowed: bool
    window_seconds: int
    backend: str = "memory"
    #: every window of the limit; the fields above describe the tightest one
    windows: tuple[WindowState, ...] = ()

    @property
    def retry_after(self) -> int:
        return max(1, math.ceil(self.reset_at - unix_time()))

    def headers(self) -> dict[str, str]:
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(0, self.remaining)),
            "X-RateLimit-Reset": str(int(self.reset_at)),
            "X-RateLimit-Tier": self.tier,
            "X-RateLimit-Backend": self.backend,
        }
        for window in self.windows:
            suffix = window.name.capitalize()
            headers[f"X-RateLimit-Remaining-{suffix}"] = str(max(0, window.remaining))
            headers[f"X-RateLimit-Reset-{suffix}"] = str(int(window.reset_at))
        return headers

    def error(self) -> TooManyRequests:
        retry = self.retry_after
        reset_iso = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.reset_at))
        exhausted = next((w for w in self.windows if w.remaining < 0), None) or (
            self.windows[0] if self.windows else None
        )
        details: dict[str, Any] = {
            "limit": self.limit,
            "tier": self.tier,
            "window_seconds": self.window_seconds,
            "reset_at": reset_iso,
            "retry_after": retry,
        }
        if exhausted is not None:
            details.update(
                limit_type=exhausted.name,
                limit_value=exhausted.limit,
                current=exhausted.current,
            )
        return TooManyRequests(
            f"Rate limit exceeded. Try again in {retry} seconds.",
            details=details,
            headers={**self.headers(), "Retry-After": str(retry)},
        )


class Limiter:
    def __init__(self, app_name: str, redis_url: str = "", *, enabled: bool = True) -> None:
        self.app_name = app_name
        self.enabled = enabled
        self._memory = SlidingWindowCounterRateLimiter(MemoryStorage())
        self._redis: RateLimiter | None = None
        if redis_url:
            uri = "async+" + redis_url if not redis_url.startswith("async+") else redis_url
            storage = RedisStorage(uri, implementation="redispy", key_prefix=f"trident:{app_name}")
            self._redis = SlidingWindowCounterRateLimiter(storage)
        self.degraded = False
        self._parsed: dict[str, list[RateLimitItem]] = {}

    @property
    def backend(self) -> str:
        return "redis" if self._redis is not None and not self.degraded else "memory"

    def items(self, limit: str) -> list[RateLimitItem]:
        items = self._parsed.get(limit)
        if items is None:
            items = self._parsed[limit] = parse_many(limit)
        return items

    async def _count(
        self, limiter: RateLimiter, items: list[RateLimitItem], tier: str, key: str
    ) -> list[tuple[RateLimitItem, bool, Any]]:
        counted = []
        for item in items:
            allowed = await limiter.hit(item, tier, key)
            counted.append((item, allowed, await limiter.get_window_stats(item, tier, key)))
        return counted

    async def hit(self, tier: str, limit: str, key: str) -> RateLimitResult:
        items = self.items(limit)
        limiter = self._redis or self._memory
        try:
            counted = await self._count(limiter, items, tier, key)
            if self.degraded and limiter is self._redis:
                log.info("rate limiting is back on Redis")
                self.degraded = False
        except Exception as exc:  # Redis down: keep limiting, in memory
            if limiter is self._memory:
                raise
            if not self.degraded:
                log.warning("rate limit storage unavailable, using memory: %s", exc)
            self.degraded = True
            counted = await self._count(self._memory, items, tier, key)
        windows = tuple(
            WindowState(
                name=item.GRANULARITY.name,
                limit=item.amount,
                # a refused hit is not counted: show it as one over the limit
                remaining=stats.remaining if allowed else -1,
                reset_at=stats.reset_time,
                window_seconds=item.get_expiry(),
            )
            for item, allowed, stats in counted
        )
        tightest = min(windows, key=lambda w: (w.remaining, -w.window_seconds))
        return RateLimitResult(
            tier=tier,
            limit=tightest.limit,
            remaining=max(0, tightest.remaining),
            reset_at=tightest.reset_at,
            allowed=all(allowed for _item, allowed, _stats in counted),
            window_seconds=tightest.window_seconds,
            backend=self.backend,
            windows=windows,
        )

    async def reset(self) -> None:
        await self._memory.storage.reset()


#: (scope) -> (tier, limit, key) or None for "not limited"
TierResolver = Callable[[Scope], tuple[str, str, str] | None]


@dataclass(frozen=True, slots=True)
class Tier:
    """A rate-limit tier: its name (reported in headers) and its limit string."""

    name: str
    limit: str


def caller_tier_resolver(
    codec: TokenCodec,
    *,
    anonymous: Tier,
    api_key: Tier,
    user: Callable[[dict[str, Any]], Tier],
    unlimited_prefixes: tuple[str, ...] = (),
) -> TierResolver:
    """Who is calling, for rate limiting: an API key, a user's bearer token, or an IP.

    The token is verified through :func:`request_access_claims`, so the endpoint's
    authenticator reuses this decode.  An invalid token is limited as the anonymous
    caller it is; the endpoint then refuses it.
    """

    def resolve(scope: Scope) -> tuple[str, str, str] | None:
        if scope["path"].startswith(unlimited_prefixes):
            return None
        headers = dict(scope["headers"])
        raw_key = headers.get(b"x-api-key")
        if raw_key:
            return api_key.name, api_key.limit, "key:" + hashed(raw_key.decode("latin-1"))
        authorization = headers.get(b"authorization", b"").decode("latin-1")
        if authorization[:7].lower() == "bearer ":
            try:
                claims = request_access_claims(scope, codec, authorization[7:])
            except Unauthorized:
                claims = None
            if claims is not None:
                tier = user(claims)
                return tier.name, tier.limit, "user:" + str(claims["sub"])
        return anonymous.name, anonymous.limit, "ip:" + client_ip(scope)

    return resolve


def client_ip(scope: Scope) -> str:
    client = scope.get("client")
    return client[0] if client else "unknown"


def hashed(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:24]


class RateLimitMiddleware:
    def __init__(
        self, app: ASGIApp, *, limiter: Limiter, resolver: TierResolver, responder: ErrorResponder
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.resolver = resolver
        self.responder = responder

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or not self.limiter.enabled
            or path in EXEMPT_PATHS
            or path.startswith(EXEMPT_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        resolved = self.resolver(scope)
        if resolved is None:
            await self.app(scope, receive, send)
            return
        result = await self.limiter.hit(*resolved)
        state = scope.setdefault("state", {})
        state[STATE_KEY] = result
        if not result.allowed:
            response = await self.responder(Request(scope, receive), result.error())
            await response(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                current: RateLimitResult = state.get(STATE_KEY, result)
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in current.headers().items():
                    if name.lower().encode() not in present:
                        headers.append((name.lower().encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RouteLimit:
    """A per-route limit (login: 5/minute per client) declared as a dependency."""

    def __init__(
        self,
        name: str,
        limit: str | Callable[[Request], str],
        key: Callable[[Request], str] | None = None,
    ) -> None:
        self.name = name
        # A callable reads the limit from the app's settings at request time.
        self.limit = limit if callable(limit) else (lambda _request: limit)
        self.key = key or (lambda request: client_ip(request.scope))

    async def __call__(self, request: Request) -> None:
        limiter: Limiter = request.app.state.runtime.limiter
        if not limiter.enabled:
            return
        result = await limiter.hit(self.name, self.limit(request), self.key(request))
        previous: Any = request.state._state.get(STATE_KEY)
        # The response shows the stricter of the global and the route limit.
        if previous is None or result.remaining <= previous.remaining:
            request.state._state[STATE_KEY] = result
        if not result.allowed:
            raise result.error()
