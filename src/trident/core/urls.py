"""Absolute URLs the app hands out (QR tracking links, the local checkout page).

They are built from ``PUBLIC_URL`` when it is set (behind a proxy that rewrites the
host, or for links sent by e-mail), and otherwise from the origin of the request
being answered: the app served on another host or port hands out links to itself,
not to a fixed ``http://localhost:800x``.  Uvicorn runs with ``proxy_headers``, so
behind a trusted proxy (``FORWARDED_ALLOW_IPS``) the origin is the client's.
"""

from __future__ import annotations

from urllib.parse import urljoin

from starlette.requests import Request

from trident.core.app import runtime_of


def public_base(request: Request) -> str:
    """``PUBLIC_URL``, or this request's own origin (with any ``root_path``)."""
    configured = runtime_of(request).settings.public_url
    return configured or str(request.base_url).rstrip("/")


def absolute_url(base: str, url: str) -> str:
    """``url`` made absolute against ``base`` (from :func:`public_base`); an absolute
    one (Stripe's hosted checkout) is kept."""
    return urljoin(base + "/", url)
