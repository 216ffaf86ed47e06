"""The ``llm-code`` recipe: ask for one fenced block in the column's language and take the last block back.

Language tags are compared by *family*, so ``py`` matches ``python`` and ``postgresql`` matches ``sql:postgres``
(SQL dialects all reduce to ``sql``: a model tagging its query ``mysql`` for a postgres column is not worth a retry).
Untagged blocks and generic tags (``text``, ``code``, ...) are accepted; a block tagged with a *different* known or
unknown language is an error, because the content is then most likely not what was asked for.

Bare code: when a response has no fence at all and no line reads like English prose ("Here is the code:"), the
whole response is taken as the code. Models asked for code often answer with just the code.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from data_designer.generators.parsing.errors import ResponseParseError
from data_designer.generators.parsing.fences import find_fenced_blocks, has_fence_line

__all__ = ["code_instructions", "parse_code", "normalize_code_lang", "code_fence_tag"]

_FAMILIES: dict[str, tuple[str, ...]] = {
    "python": ("python", "py", "python3", "py3", "python2", "ipython"),
    "javascript": ("javascript", "js", "node", "nodejs", "mjs", "cjs", "jsx", "ecmascript"),
    "typescript": ("typescript", "ts", "tsx", "mts"),
    "bash": ("bash", "sh", "shell", "zsh", "ksh", "shellscript", "shell-script", "console"),
    "c": ("c", "h", "ansi-c"),
    "cpp": ("cpp", "c++", "cxx", "cc", "hpp", "hxx", "cplusplus"),
    "csharp": ("csharp", "c#", "cs", "dotnet"),
    "go": ("go", "golang"),
    "java": ("java",),
    "kotlin": ("kotlin", "kt", "kts"),
    "ruby": ("ruby", "rb"),
    "rust": ("rust", "rs"),
    "scala": ("scala", "sc"),
    "swift": ("swift",),
    "cobol": ("cobol", "cob", "cbl"),
    "sql": (
        "sql",
        "postgres",
        "postgresql",
        "psql",
        "pgsql",
        "plpgsql",
        "mysql",
        "mariadb",
        "sqlite",
        "sqlite3",
        "tsql",
        "t-sql",
        "mssql",
        "sqlserver",
        "bigquery",
        "googlesql",
        "ansi",
        "plsql",
        "oracle",
    ),
}
_ALIAS_TO_FAMILY = {alias: family for family, aliases in _FAMILIES.items() for alias in aliases}
_GENERIC_TAGS = frozenset({"", "text", "txt", "plain", "plaintext", "code", "source"})

_DISPLAY = {
    "python": "Python",
    "javascript": "JavaScript",
    "typescript": "TypeScript",
    "bash": "Bash",
    "c": "C",
    "cpp": "C++",
    "csharp": "C#",
    "go": "Go",
    "java": "Java",
    "kotlin": "Kotlin",
    "ruby": "Ruby",
    "rust": "Rust",
    "scala": "Scala",
    "swift": "Swift",
    "cobol": "COBOL",
    "sql": "SQL",
}
_SQL_DIALECTS = {
    "sqlite": "SQLite",
    "tsql": "T-SQL (Microsoft SQL Server)",
    "bigquery": "BigQuery (GoogleSQL)",
    "mysql": "MySQL",
    "postgres": "PostgreSQL",
    "ansi": "ANSI SQL",
}

# A prose line: starts at column 0 with a capitalised word, then 3+ plain words, no code punctuation.
_PROSE_LINE = re.compile(r"^[A-Z][a-z'’]*,?(?: +[A-Za-z][\w'’,-]*){3,}[.:!?]?$", re.MULTILINE)


def _lang_text(code_lang: Any) -> str:
    return str(getattr(code_lang, "value", code_lang)).strip().lower()


def normalize_code_lang(code_lang: Any) -> str:
    """The language family of a ``CodeLang`` value or a fence tag (``"sql:postgres"`` -> ``"sql"``, ``"py"`` ->
    ``"python"``); unknown languages are returned lower-cased as they are."""
    lang = _lang_text(code_lang).split(":", 1)[0]
    return _ALIAS_TO_FAMILY.get(lang, lang)


def code_fence_tag(code_lang: Any) -> str:
    """The tag the instructions ask for, e.g. ``python`` or ``sql`` (never a dialect)."""
    return normalize_code_lang(code_lang)


@lru_cache(maxsize=128)
def _instructions(lang: str) -> str:
    family, _, dialect = lang.partition(":")
    tag = _ALIAS_TO_FAMILY.get(family, family)
    name = _DISPLAY.get(tag, tag)
    dialect_line = ""
    if dialect:
        dialect_line = f" The SQL must be valid for the {_SQL_DIALECTS.get(dialect, dialect)} dialect."
    return (
        f"Respond with exactly one fenced code block containing the complete {name} code.{dialect_line} "
        f"Open the block with a line containing only ```{tag} and close it with a line containing only ```. "
        "Do not write any other code block."
    )


def code_instructions(code_lang: Any) -> str:
    """Text appended to the user prompt of an ``llm-code`` column. It contains the literal ```` ```<tag> ````."""
    return _instructions(_lang_text(code_lang))


def _looks_like_bare_code(content: str) -> bool:
    return _PROSE_LINE.search(content) is None


def parse_code(content: str | None, code_lang: Any, *, column_name: str | None = None) -> str:
    """The stripped body of the last fenced block; see the module docstring for tag and bare-code rules."""
    text = content.strip() if isinstance(content, str) else ""
    wanted = normalize_code_lang(code_lang)
    tag = code_fence_tag(code_lang)
    name = _DISPLAY.get(wanted, wanted)
    if not text:
        raise ResponseParseError(
            "The model returned an empty response instead of a code block.",
            correction_prompt=f"Your previous response was empty. {_instructions(_lang_text(code_lang))}",
            column_name=column_name,
        )
    blocks = find_fenced_blocks(text)
    if not blocks:
        if not has_fence_line(text) and _looks_like_bare_code(text):
            return text
        raise ResponseParseError(
            f"The model response contains no fenced ```{tag} code block.",
            correction_prompt=(
                f"Your previous response did not contain a fenced code block. Respond again with exactly one "
                f"fenced code block that starts with a line ```{tag}, contains the complete {name} code, and ends "
                "with a line ```."
            ),
            column_name=column_name,
        )
    block = blocks[-1]
    if block.lang not in _GENERIC_TAGS and normalize_code_lang(block.lang) != wanted:
        raise ResponseParseError(
            f"The last code block of the model response is tagged '{block.lang}', expected {name} (```{tag}).",
            correction_prompt=(
                f"Your previous code block was tagged '{block.lang}', but {name} code was requested. Respond again "
                f"with exactly one fenced code block that starts with a line ```{tag} and contains the complete "
                f"{name} code."
            ),
            column_name=column_name,
        )
    code = block.body.strip()
    if not code:
        raise ResponseParseError(
            f"The last ```{tag} code block of the model response is empty.",
            correction_prompt=(
                f"Your previous code block was empty. Respond again with exactly one fenced ```{tag} code block "
                f"containing the complete {name} code."
            ),
            column_name=column_name,
        )
    return code
