"""Shapes every hibachi module shares: list envelopes and page parameters.

Lists answer one envelope that every document's client can read: the 2025-10-25
document's ``items`` + ``pagination`` (with ``total_items``, ``total_pages``,
``has_next``, ``has_prev``), the newest and the CRM documents' ``data`` with
``total``, ``page``, ``limit`` (and ``pagination.total``/``pages``).  ``items`` and
``data`` are the same list, encoded once and written twice.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends
from fastapi.responses import Response
from pydantic import BaseModel, TypeAdapter

from trident.core.jsonbody import dumps
from trident.core.pagination import Page, PageParams, numbered_page_query

T = TypeVar("T")


class Pagination(BaseModel):
    page: int
    limit: int
    total_items: int
    total_pages: int
    has_next: bool
    has_prev: bool
    total: int
    pages: int


class ListResponse(BaseModel, Generic[T]):
    """The documented list envelope (the model is for the OpenAPI document)."""

    items: list[T]
    data: list[T]
    total: int
    page: int
    limit: int
    pagination: Pagination


#: ``?page=&limit=``: 20 a page by default, at most 100
PageQuery = Annotated[PageParams, Depends(numbered_page_query(default_limit=20, max_limit=100))]

_adapters: dict[Any, TypeAdapter[Any]] = {}
#: the envelope's metadata: built once, not per response
_META = TypeAdapter(dict[str, Any])


def _adapter(model: Any) -> TypeAdapter[Any]:
    adapter = _adapters.get(model)
    if adapter is None:
        adapter = _adapters[model] = TypeAdapter(list[model])
    return adapter


def pagination(total: int, params: PageParams) -> dict[str, Any]:
    pages = math.ceil(total / params.limit) if total else 0
    return {
        "page": params.page,
        "limit": params.limit,
        "total_items": total,
        "total_pages": pages,
        "has_next": params.page < pages,
        "has_prev": params.page > 1,
        "total": total,
        "pages": pages,
    }


def list_response(model: type[BaseModel], items: list[Any], page: Page[Any]) -> Response:
    """The envelope as a response, each item (a ``model``) encoded once."""
    return _envelope(_adapter(model).dump_json(items), page)


def plain_list_response(items: list[dict[str, Any]], page: Page[Any]) -> Response:
    """The envelope of a hot list whose items are plain values in the response
    model's shape (``core/jsonbody``): encoded in one step, no model per row."""
    return _envelope(dumps(items), page)


def _envelope(encoded: bytes, page: Page[Any]) -> Response:
    params = PageParams(limit=page.limit, offset=page.offset)
    meta = _META.dump_json(
        {
            "total": page.total,
            "page": params.page,
            "limit": params.limit,
            "pagination": pagination(page.total, params),
        }
    )
    body = b'{"items":' + encoded + b',"data":' + encoded + b"," + meta[1:]
    return Response(body, media_type="application/json")
