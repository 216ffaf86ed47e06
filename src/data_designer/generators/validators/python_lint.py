"""Lint Python snippets with ruff and score them the way pylint would.

Why ruff and not pylint: one ``ruff check`` process lints a whole batch of snippets in milliseconds, while pylint
needs seconds per file. To keep results familiar, every ruff code is mapped onto a pylint message category and the
score uses pylint's formula ``10 - 10 * (5 * errors + warnings + refactors + conventions) / statements``, clamped to
``[0, 10]``; a fatal message (the snippet does not parse) scores 0.

Category mapping (first matching rule wins):

=====================================================  ==========
ruff code                                              category
=====================================================  ==========
syntax errors (``invalid-syntax``, no code, ``E9xx``)  fatal
``F82x`` (undefined names), ``F7xx`` (misplaced        error
``return``/``break``/``yield``...), ``PLE``
other ``F`` (``F6xx`` literals, ``F8xx`` redefinitions  warning
/ unused variables), ``PLW``
``PLR``, ``SIM``                                       refactor
``PLC``, other ``E`` (pycodestyle)                     convention
anything else                                          warning
=====================================================  ==========

A snippet is valid iff its worst category is not ``fatal`` or ``error``.
"""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from data_designer.errors import DataDesignerRuntimeError

__all__ = [
    "RUFF_RULE_SELECTION",
    "classify_ruff_code",
    "lint_python_snippets",
    "locate_ruff",
    "score_python_snippet",
]

RUFF_RULE_SELECTION = "E,F6,F7,F8,SIM,PLC,PLE,PLR,PLW"
_RUFF_TIMEOUT_S = 300.0
_SEVERITY_RANK = {"fatal": 5, "error": 4, "warning": 3, "refactor": 2, "convention": 1, "info": 0}
_INVALID_SEVERITIES = frozenset({"fatal", "error"})
_SYNTAX_CODES = frozenset({"", "invalid-syntax", "syntax-error"})
_PREFIX_CATEGORIES: tuple[tuple[str, str], ...] = (
    ("E9", "fatal"),
    ("F82", "error"),
    ("F7", "error"),
    ("PLE", "error"),
    ("PLW", "warning"),
    ("PLR", "refactor"),
    ("PLC", "convention"),
    ("SIM", "refactor"),
    ("F", "warning"),
    ("E", "convention"),
)


def locate_ruff() -> str:
    """Path of the ruff executable: next to the running interpreter, from the ``ruff`` package, or on ``PATH``."""
    candidates: list[str | None] = []
    bin_dir = Path(sys.executable).parent
    candidates += [str(bin_dir / "ruff"), str(bin_dir / "ruff.exe")]
    try:
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-not-found]

        candidates.append(os.fsdecode(find_ruff_bin()))
    except Exception:  # the ruff package is optional; any failure means "not found here"
        pass
    candidates.append(shutil.which("ruff"))
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    raise DataDesignerRuntimeError(
        "the python code validator needs the 'ruff' linter, which was not found next to the Python interpreter, "
        "in the 'ruff' package or on PATH; install it with `pip install ruff` in the environment running "
        "data-designer"
    )


def classify_ruff_code(code: str | None) -> str:
    """Pylint category (fatal/error/warning/refactor/convention) of a ruff rule code; see the module table."""
    normalised = (code or "").strip()
    if normalised in _SYNTAX_CODES:
        return "fatal"
    for prefix, category in _PREFIX_CATEGORIES:
        if normalised.startswith(prefix):
            return category
    return "warning"


def _count_statements(code: str) -> int | dict[str, Any]:
    """Statement count, or a fatal message when this interpreter cannot parse the snippet."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError) as exc:
        return {
            "type": "fatal",
            "symbol": "syntax-error",
            "line": int(getattr(exc, "lineno", 0) or 0),
            "column": int(getattr(exc, "offset", 0) or 0),
            "message": str(getattr(exc, "msg", exc)),
        }
    return sum(isinstance(node, ast.stmt) for node in ast.walk(tree))


def score_python_snippet(code: str, messages: list[dict[str, Any]]) -> dict[str, Any]:
    """The per-row result for one snippet given its (already classified) messages."""
    if not code.strip():
        empty = {"type": "error", "symbol": "empty-code", "line": 0, "column": 0, "message": "no code to validate"}
        messages = [empty, *messages]
    statements = _count_statements(code)
    if isinstance(statements, dict):
        if not any(m["type"] == "fatal" for m in messages):
            messages = [statements, *messages]
        statements = 0
    counts = {category: 0 for category in _SEVERITY_RANK}
    for message in messages:
        counts[message["type"]] += 1
    worst = max((m["type"] for m in messages), key=_SEVERITY_RANK.__getitem__, default="none")
    if counts["fatal"]:
        score = 0.0
    elif statements == 0:
        score = 10.0 if not messages else 0.0  # e.g. only comments: nothing to penalise per statement
    else:
        penalty = 5 * counts["error"] + counts["warning"] + counts["refactor"] + counts["convention"]
        score = round(max(0.0, 10.0 - 10.0 * penalty / statements), 2)
    is_valid = worst not in _INVALID_SEVERITIES
    return {
        "is_valid": is_valid,
        "python_linter_score": score,
        "python_linter_severity": worst,
        "python_linter_messages": messages,
    }


def _to_message(entry: dict[str, Any]) -> dict[str, Any]:
    code = entry.get("code") or ""
    location = entry.get("location") or {}
    return {
        "type": classify_ruff_code(code),
        "symbol": code or "invalid-syntax",
        "line": int(location.get("row") or 0),
        "column": int(location.get("column") or 0),
        "message": str(entry.get("message", "")),
    }


def _run_ruff(ruff: str, paths: list[Path]) -> list[dict[str, Any]]:
    minor = min(max(sys.version_info.minor, 7), 13)
    command = [
        ruff,
        "check",
        "--isolated",
        "--no-cache",
        "--exit-zero",
        f"--target-version=py3{minor}",
        f"--select={RUFF_RULE_SELECTION}",
        "--output-format=json",
        *map(str, paths),
    ]
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=_RUFF_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DataDesignerRuntimeError(
            f"the python code validator could not run ruff ({ruff}): {exc}; check that `ruff --version` works"
        ) from exc
    if completed.returncode != 0:
        raise DataDesignerRuntimeError(
            f"ruff exited with status {completed.returncode} while validating python code: "
            f"{completed.stderr.strip()[:500]}; check the ruff installation (`pip install -U ruff`)"
        )
    try:
        entries = json.loads(completed.stdout or "[]")
    except json.JSONDecodeError as exc:
        raise DataDesignerRuntimeError(
            f"ruff printed output that is not JSON ({completed.stdout[:200]!r}); upgrade ruff (`pip install -U ruff`)"
        ) from exc
    return entries


def lint_python_snippets(snippets: list[str], *, ruff: str) -> list[dict[str, Any]]:
    """Lint every snippet with ONE ruff process; returns one scored result per snippet, in order."""
    if not snippets:
        return []
    with tempfile.TemporaryDirectory(prefix="dd-python-validator-") as tmp:
        paths = [Path(tmp) / f"snippet_{index}.py" for index in range(len(snippets))]
        for path, code in zip(paths, snippets, strict=True):
            path.write_text(code, encoding="utf-8")
        entries = _run_ruff(ruff, paths)
    by_index: dict[int, list[dict[str, Any]]] = {index: [] for index in range(len(snippets))}
    for entry in entries:
        stem = Path(str(entry.get("filename", ""))).stem
        if stem.startswith("snippet_") and stem[len("snippet_") :].isdigit():
            index = int(stem[len("snippet_") :])
            if index in by_index:
                by_index[index].append(_to_message(entry))
    for messages in by_index.values():
        messages.sort(key=lambda m: (m["line"], m["column"], m["symbol"]))
    return [score_python_snippet(code, by_index[index]) for index, code in enumerate(snippets)]
