"""Token counts for the local assistant: a deterministic, tokenizer-like estimate.

Words, numbers and punctuation each count as one token and long words count one
token per five characters, close to what BPE tokenizers report for English.
"""

from __future__ import annotations

import math
import re

_PIECE = re.compile(r"\w+|[^\w\s]")


def count_tokens(text: str) -> int:
    return sum(max(1, math.ceil(len(piece) / 5)) for piece in _PIECE.findall(text))
