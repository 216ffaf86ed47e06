"""Finding fenced code blocks in model output without a markdown parser.

Why not markdown -> HTML: parsing runs once per generated cell (thousands per second) and we only ever need fenced
blocks. One precompiled regex finds candidate fence *lines*; a tiny state machine pairs them following the CommonMark
rules that matter for model output:

* a fence is 3+ backticks or 3+ tildes; a backtick fence's info string may not contain a backtick (so
  ````` ```json {"a": 1}``` ````` on one line is inline code, not a fence);
* a block closes only at a fence of the same character that is at least as long and has no info string, so a
  ````` ```` ````` block can contain ````` ``` ````` blocks (nested backticks);
* an unclosed block runs to the end of the text (responses cut off by ``max_tokens``); blank unclosed blocks are
  ignored (a stray closing fence is not an answer).

Unlike CommonMark, any indentation is accepted (models indent blocks inside list items) and the body is dedented.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

__all__ = ["FencedBlock", "find_fenced_blocks", "has_fence_line"]

_FENCE_LINE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)$", re.MULTILINE)
_INFO_TRIM = "{}.`'\"*"


@dataclass(frozen=True, slots=True)
class FencedBlock:
    """One fenced block: ``lang`` is the lower-cased first word of the info string ("" when untagged)."""

    lang: str
    body: str
    closed: bool = True


def _lang_of(info: str) -> str:
    word = info.strip().split(maxsplit=1)
    if not word:
        return ""
    lang = word[0].strip(_INFO_TRIM).lower()
    if lang.startswith("language-"):
        lang = lang[len("language-") :]
    return lang


def _body(content: str, start: int, end: int, indent: str) -> str:
    body = content[start:end] if start < end else ""
    if indent and body:
        body = textwrap.dedent(body)
    return body


def has_fence_line(content: str) -> bool:
    """True when any line of ``content`` starts (after whitespace) with a ``` or ~~~ fence."""
    return _FENCE_LINE.search(content) is not None


def find_fenced_blocks(content: str) -> list[FencedBlock]:
    """All top-level fenced blocks of ``content`` in document order."""
    if "```" not in content and "~~~" not in content:
        return []
    if "\r" in content:
        content = content.replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[FencedBlock] = []
    open_char = ""
    open_len = 0
    open_indent = ""
    open_lang = ""
    body_start = 0
    for match in _FENCE_LINE.finditer(content):
        fence = match.group("fence")
        info = match.group("info")
        if not open_char:
            if fence[0] == "`" and "`" in info:
                continue  # inline code span such as ```json {...}```, not a fence
            open_char, open_len = fence[0], len(fence)
            open_indent = match.group("indent")
            open_lang = _lang_of(info)
            body_start = match.end() + 1
        elif fence[0] == open_char and len(fence) >= open_len and not info.strip():
            blocks.append(FencedBlock(open_lang, _body(content, body_start, match.start(), open_indent)))
            open_char = ""
    if open_char:
        body = _body(content, body_start, len(content), open_indent)
        if body.strip():
            blocks.append(FencedBlock(open_lang, body, closed=False))
    return blocks
