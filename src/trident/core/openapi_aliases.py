"""Publish the field names the documents send that a model accepts as aliases.

A request model takes every document's spelling (``date`` or ``event_date``,
``guests`` or ``guest_count``) through ``AliasChoices``, but pydantic's JSON schema
names only the first choice, so a typed client refused the README's own calls.  Here
each other choice becomes an optional property marked ``deprecated`` ("Same as
event_date"); a field may be named once (two of its names together are refused, as
the model refuses them), and a required field is required under one of its names,
so a body with either spelling validates against the document.
"""

from __future__ import annotations

import types
import typing
from itertools import combinations
from typing import Any

from fastapi import FastAPI, routing
from pydantic import AliasChoices, BaseModel


def _models_in(annotation: Any, seen: set[type[BaseModel]]) -> None:
    """Every pydantic model an annotation names (through lists, unions, ...)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        seen.add(annotation)
        for field in annotation.model_fields.values():
            _models_in(field.annotation, seen)
        return
    origin = typing.get_origin(annotation)
    if origin is not None or isinstance(annotation, types.UnionType):
        for argument in typing.get_args(annotation):
            _models_in(argument, seen)


def request_models(app: FastAPI) -> set[type[BaseModel]]:
    """The models of every published request body, nested ones included."""
    seen: set[type[BaseModel]] = set()
    for context in routing.iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, routing.APIRoute) and context.include_in_schema and route.body_field:
            _models_in(route.body_field.field_info.annotation, seen)
    return seen


def _aliases(model: type[BaseModel]) -> list[tuple[str, list[str]]]:
    """(published name, the other names) of each field with alias choices."""
    out = []
    for name, field in model.model_fields.items():
        choices = field.validation_alias
        if not isinstance(choices, AliasChoices):
            continue
        names = [c for c in choices.choices if isinstance(c, str)]
        published = field.alias or (names[0] if names else name)
        others = [n for n in names if n != published]
        if others:
            out.append((published, others))
    return out


def document_aliases(app: FastAPI, schema: dict[str, Any]) -> None:
    components = schema.get("components", {}).get("schemas", {})
    for model in request_models(app):
        aliases = _aliases(model)
        if not aliases:
            continue
        for key in (f"{model.__name__}-Input", model.__name__):
            component = components.get(key)
            if component is not None and "properties" in component:
                _publish(component, aliases)
                break


def _publish(component: dict[str, Any], aliases: list[tuple[str, list[str]]]) -> None:
    properties = component["properties"]
    required = component.get("required", [])
    constraints: list[dict[str, Any]] = []
    for published, others in aliases:
        if published not in properties:
            continue
        names = (published, *others)
        # one name at a time: a body naming a field twice is refused (extra="forbid")
        constraints.append(
            {"not": {"anyOf": [{"required": list(pair)} for pair in combinations(names, 2)]}}
        )
        for other in others:
            properties.setdefault(
                other,
                {
                    **properties[published],
                    "deprecated": True,
                    "description": f"Same as {published} (another document's name)",
                },
            )
        if published in required:
            required.remove(published)
            constraints.append({"anyOf": [{"required": [n]} for n in names]})
    if "required" in component and not required:
        del component["required"]
    if constraints:
        component.setdefault("allOf", []).extend(constraints)
