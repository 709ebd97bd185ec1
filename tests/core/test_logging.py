"""Log lines: JSON for collectors (no terminal colours inside), text for people."""

from __future__ import annotations

import json
import logging

from trident.core.observability.logging import JsonFormatter, TextFormatter, request_id_var


def _record(message: str, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("uvicorn.error", logging.INFO, __file__, 1, message, (), None)
    record.__dict__.update(extra)
    return record


def test_json_lines_carry_no_ansi_escapes() -> None:
    record = _record("\x1b[32mStarted\x1b[0m server", color_message="\x1b[32mStarted\x1b[0m")
    entry = json.loads(JsonFormatter("saas").format(record))
    assert entry["msg"] == "Started server"
    assert "color_message" not in entry
    assert (entry["level"], entry["app"], entry["logger"]) == ("info", "saas", "uvicorn.error")


def test_text_lines_are_readable_and_name_the_request() -> None:
    token = request_id_var.set("req-42")
    try:
        line = TextFormatter().format(_record("booked"))
    finally:
        request_id_var.reset(token)
    assert line.endswith("INFO    uvicorn.error booked [req-42]")
