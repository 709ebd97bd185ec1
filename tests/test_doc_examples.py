"""Every request example in the README and docs/ is one the published OpenAPI
document accepts: its operation exists (an alias resolves to its published path)
and its JSON body validates against that operation's request schema."""

from __future__ import annotations

import json
import os
import re
import shlex
import tempfile
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest

from trident.apps.registry import APPS, get_app

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PORTS = {spec.port: name for name, spec in APPS.items()}
SHELL_BLOCK = re.compile(r"```(?:sh|bash|shell)\n(.*?)```", re.S)


def _commands(block: str) -> list[list[str]]:
    """The shell commands of a block, each as its words (continuations joined)."""
    commands, pending = [], ""
    for line in block.replace("\\\n", " ").splitlines():
        pending = f"{pending}\n{line}" if pending else line
        try:
            words = shlex.split(pending, comments=True)
        except ValueError:  # a quote still open: the command goes on
            continue
        pending = ""
        if words:
            commands.append(words)
    return commands


def _curl(words: list[str]) -> dict[str, Any] | None:
    start = next((i for i, w in enumerate(words) if w.endswith("curl")), None)
    if start is None:
        return None
    args, call = words[start + 1 :], {"method": "GET", "url": None, "json": None, "form": False}
    i = 0
    while i < len(args):
        word = args[i]
        if word == "-X":
            call["method"], i = args[i + 1], i + 2
            continue
        if word in ("-d", "--data"):
            data = args[i + 1]
            try:
                call["json"] = json.loads(data)
            except ValueError:
                call["form"] = True
            if call["method"] == "GET":
                call["method"] = "POST"
            i += 2
            continue
        if word in ("-H",):
            i += 2
            continue
        if "$API" in word:
            call["url"] = word
        i += 1
    return call if call["url"] else None


def examples() -> list[tuple[str, str, str, str, Any]]:
    """(where, app, method, path, JSON body or None) of every curl example."""
    found = []
    for document in DOCUMENTS:
        for block in SHELL_BLOCK.findall(document.read_text()):
            port = re.search(r"API=https?://[^:\s]+:(\d+)", block)
            if port is None:
                continue
            app = PORTS[int(port.group(1))]
            for words in _commands(block):
                call = _curl(words)
                if call is None or call["form"]:
                    continue
                path = urlsplit(call["url"].replace("$API", "http://host")).path
                where = f"{document.name}: {call['method']} {path}"
                found.append((where, app, call["method"], path, call["json"]))
    return found


@cache
def openapi(app: str) -> dict[str, Any]:
    os.environ.setdefault("DATA_DIR", tempfile.mkdtemp())
    module, factory = get_app(app).factory.split(":")
    return __import__(module, fromlist=[factory]).__dict__[factory]().openapi()  # type: ignore[no-any-return]


def _published(app: str, path: str) -> str:
    if app == "hibachi":
        from trident.apps.hibachi.api import published_path

        return published_path(path)
    return path


def _operation(document: dict[str, Any], method: str, path: str) -> dict[str, Any] | None:
    for template, item in document["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and method.lower() in item:
            return item[method.lower()]  # type: ignore[no-any-return]
    return None


EXAMPLES = examples()
IDS = [where for where, *_ in EXAMPLES]


def test_the_documents_have_examples() -> None:
    assert len(EXAMPLES) >= 15


@pytest.mark.parametrize(("where", "app", "method", "path", "body"), EXAMPLES, ids=IDS)
def test_example_matches_the_published_document(
    where: str, app: str, method: str, path: str, body: Any
) -> None:
    document = openapi(app)
    operation = _operation(document, method, _published(app, path))
    assert operation is not None, f"{where}: no such operation in /openapi.json"
    if body is None:
        return
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    assert content is not None, f"{where}: the operation takes no JSON body"
    schema = {**content["schema"], "components": document["components"]}
    errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(body)]
    assert errors == [], f"{where}: {errors}"
