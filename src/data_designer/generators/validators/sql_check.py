"""A dependency-free SQL sanity check for the ``sql:*`` code validators.

Full dialect-aware linting needs ``sqlfluff``, which data-designer does not depend on. When ``import sqlfluff``
works, :func:`check_sql` uses ``sqlfluff.lint(sql, dialect=...)`` and any ``PRS*`` (parse) violation makes the
snippet invalid. Otherwise it runs a tokenizer-level check that catches what LLM-written SQL most often gets wrong:

* unterminated string literals, quoted identifiers and block comments (dialect-aware: ``[ident]`` in tsql/sqlite,
  ``#`` comments and backslash escapes in mysql/bigquery, ``$tag$`` bodies in postgres, ``'''`` in bigquery);
* unbalanced or mismatched parentheses / brackets;
* a statement that does not start with a known SQL keyword (prose or markdown left in the snippet);
* for ``sql:sqlite`` only: ``sqlite3.complete_statement`` and SQLite's own parser (``EXPLAIN`` on an empty
  in-memory database with ATTACH/PRAGMA denied; "no such table" and other name errors are ignored, only syntax
  errors count).

In every mode ``DECIMAL(n)`` without a scale is flagged: dialects disagree on the default scale (usually 0), so
the column silently truncates fractions.
"""

from __future__ import annotations

import importlib
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

__all__ = ["SQL_DIALECTS", "check_sql"]

SQL_DIALECTS = frozenset({"sqlite", "tsql", "bigquery", "mysql", "postgres", "ansi"})

_LEADING_KEYWORDS = frozenset(
    """
    select with insert update delete merge upsert replace create alter drop truncate rename grant revoke begin start
    commit rollback savepoint release end declare set use show describe desc explain analyze analyse vacuum pragma
    attach detach reindex values call exec execute if while print return go copy lock unlock comment do table load
    export optimize checkpoint listen notify prepare deallocate fetch open close raiserror throw refresh reset
    discard cluster import unload undrop
    """.split()
)
_DECIMAL_WITHOUT_SCALE = re.compile(r"\bDECIMAL\s*\(\s*\d+\s*\)", re.IGNORECASE)
_FIRST_WORD = re.compile(r"[A-Za-z_]+")
_DOLLAR_TAG = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)?\$")
_SQLITE_SYNTAX_MARKERS = ("syntax error", "incomplete input", "unrecognized token")
_CLOSERS = {")": "(", "]": "["}


@dataclass
class _Scan:
    statements: list[tuple[str, str, int]] = field(default_factory=list)  # (raw, masked, first line)
    errors: list[str] = field(default_factory=list)


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


class _Scanner:
    """Splits SQL into statements at top-level ``;``, masking literals and comments, and records lexical errors."""

    def __init__(self, sql: str, dialect: str) -> None:
        self.sql = sql
        self.bracket_quotes = dialect in {"tsql", "sqlite"}
        self.hash_comments = dialect in {"mysql", "bigquery"}
        self.backslash_escapes = dialect in {"mysql", "bigquery"}
        self.dollar_quotes = dialect == "postgres"
        self.triple_quotes = dialect == "bigquery"
        self.scan = _Scan()

    def _close_quoted(self, start: int, quote: str, what: str) -> int:
        """Index just past the closing ``quote`` of a literal opened at ``start``, or -1 (and an error)."""
        sql, i = self.sql, start + len(quote)
        while i < len(sql):
            if self.backslash_escapes and sql[i] == "\\" and len(quote) == 1 and quote in "'\"":
                i += 2
                continue
            if sql.startswith(quote, i):
                if len(quote) == 1 and sql.startswith(quote * 2, i) and quote != "]":
                    i += 2  # doubled quote is an escaped quote
                    continue
                if quote == "]" and sql.startswith("]]", i):
                    i += 2
                    continue
                return i + len(quote)
            i += 1
        self.scan.errors.append(f"unterminated {what} starting at line {_line_of(sql, start)}")
        return -1

    def run(self) -> _Scan:
        sql = self.sql
        masked: list[str] = []
        statement_start = 0
        stack: list[tuple[str, int]] = []
        i = 0
        while i < len(sql):
            ch = sql[i]
            end = -2
            if sql.startswith("--", i) or (self.hash_comments and ch == "#"):
                newline = sql.find("\n", i)
                end = len(sql) if newline < 0 else newline
                masked.append(" ")
            elif sql.startswith("/*", i):
                close = sql.find("*/", i + 2)
                if close < 0:
                    self.scan.errors.append(f"unterminated block comment starting at line {_line_of(sql, i)}")
                    end = -1
                else:
                    end = close + 2
                    masked.append(" ")
            elif self.triple_quotes and (sql.startswith("'''", i) or sql.startswith('"""', i)):
                end = self._close_quoted(i, sql[i : i + 3], "triple-quoted string")
                masked.append("''")
            elif ch in "'\"`":
                what = "string literal" if ch == "'" else "quoted identifier"
                end = self._close_quoted(i, ch, what)
                masked.append("''" if ch == "'" else "q")
            elif ch == "[" and self.bracket_quotes:
                end = self._close_quoted(i, "]", "bracketed identifier")
                masked.append("q")
            elif ch == "$" and self.dollar_quotes and (tag := _DOLLAR_TAG.match(sql, i)):
                close = sql.find(tag.group(0), tag.end())
                if close < 0:
                    self.scan.errors.append(
                        f"unterminated {tag.group(0)} quoted body starting at line {_line_of(sql, i)}"
                    )
                    end = -1
                else:
                    end = close + len(tag.group(0))
                    masked.append("''")
            if end == -1:
                break
            if end >= 0:
                i = end
                continue
            if ch in "([":
                stack.append((ch, i))
            elif ch in _CLOSERS:
                if not stack or stack[-1][0] != _CLOSERS[ch]:
                    self.scan.errors.append(f"unexpected {ch!r} at line {_line_of(sql, i)}")
                else:
                    stack.pop()
            if ch == ";" and not stack:
                self._end_statement(statement_start, i, masked)
                masked, statement_start = [], i + 1
            else:
                masked.append(ch)
            i += 1
        else:
            self._end_statement(statement_start, len(sql), masked)
        for opener, index in stack:
            self.scan.errors.append(f"unclosed {opener!r} opened at line {_line_of(sql, index)}")
        return self.scan

    def _end_statement(self, start: int, stop: int, masked: list[str]) -> None:
        text = "".join(masked)
        if text.strip():
            first_line = _line_of(self.sql, start + len(text) - len(text.lstrip()))
            self.scan.statements.append((self.sql[start:stop], text, first_line))


def _keyword_errors(scan: _Scan) -> list[str]:
    errors = []
    for _, masked, line in scan.statements:
        stripped = masked.lstrip()
        if stripped.startswith("("):
            continue
        word = _FIRST_WORD.match(stripped)
        if word is None or word.group(0).lower() not in _LEADING_KEYWORDS:
            shown = stripped.split(None, 1)[0][:30] if stripped.split() else stripped[:30]
            errors.append(f"statement at line {line} starts with {shown!r}, which is not a SQL keyword")
    return errors


def _decimal_errors(scan: _Scan) -> list[str]:
    return [
        f"{match.group(0)!r} at statement line {line} has no scale; write DECIMAL(precision, scale), e.g. DECIMAL(10, 2)"
        for _, masked, line in scan.statements
        for match in _DECIMAL_WITHOUT_SCALE.finditer(masked)
    ]


def _deny_risky_actions(action: int, *_: Any) -> int:
    return sqlite3.SQLITE_DENY if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_PRAGMA) else sqlite3.SQLITE_OK


def _sqlite_parse_errors(scan: _Scan) -> list[str]:
    """Compile (never run) each complete statement with SQLite; only syntax errors are reported."""
    errors: list[str] = []
    connection = sqlite3.connect(":memory:")
    try:
        connection.set_authorizer(_deny_risky_actions)
        pending = ""
        for raw, _, _ in scan.statements:
            pending += raw + ";"
            if not sqlite3.complete_statement(pending):
                continue  # e.g. a CREATE TRIGGER body: keep accumulating up to its END
            try:
                connection.execute("EXPLAIN " + pending.strip().rstrip(";"))
            except (sqlite3.Error, sqlite3.Warning) as exc:
                message = str(exc)
                if any(marker in message.lower() for marker in _SQLITE_SYNTAX_MARKERS):
                    errors.append(f"sqlite: {message}")
            pending = ""
        if pending.strip():
            errors.append(
                "sqlite: incomplete statement (sqlite3.complete_statement is false, e.g. a trigger without END)"
            )
    finally:
        connection.close()
    return errors


def _sqlfluff_errors(sqlfluff: Any, sql: str, dialect: str) -> list[str]:
    try:
        violations = sqlfluff.lint(sql, dialect=dialect)
    except Exception as exc:  # sqlfluff raises its own tree of errors for unparsable input
        return [f"sqlfluff could not lint the statement: {exc}"]
    errors = []
    for violation in violations:
        code = str(violation.get("code", ""))
        if code.startswith("PRS"):
            line = violation.get("start_line_no", violation.get("line_no", "?"))
            errors.append(f"{code} at line {line}: {violation.get('description', '')}")
    return errors


def _load_sqlfluff() -> Any | None:
    try:
        return importlib.import_module("sqlfluff")
    except ImportError:
        return None


def check_sql(sql: Any, dialect: str, *, use_sqlfluff: bool | None = None) -> dict[str, Any]:
    """``{is_valid, error_messages}`` for one SQL snippet; ``dialect`` is ``"postgres"`` or ``"sql:postgres"``.

    ``use_sqlfluff=None`` uses sqlfluff when it is importable; ``False`` forces the built-in check.
    """
    dialect = dialect.removeprefix("sql:")
    if dialect not in SQL_DIALECTS:
        raise ValueError(f"unknown SQL dialect {dialect!r}; use one of {sorted(SQL_DIALECTS)}")
    if not isinstance(sql, str) or not sql.strip():
        return {"is_valid": False, "error_messages": ["no SQL to validate (the value is empty or not text)"]}
    scan = _Scanner(sql, dialect).run()
    sqlfluff = _load_sqlfluff() if use_sqlfluff is not False else None
    if sqlfluff is not None:
        errors = _sqlfluff_errors(sqlfluff, sql, dialect)
    else:
        errors = list(scan.errors)
        if not scan.statements and not errors:
            errors.append("no SQL statement found (only comments or semicolons)")
        errors += _keyword_errors(scan)
        if dialect == "sqlite" and not scan.errors:
            errors += _sqlite_parse_errors(scan)
    errors += _decimal_errors(scan)
    return {"is_valid": not errors, "error_messages": errors}
