"""The code validator: python snippets through ruff (one process per batch), SQL through :func:`check_sql`.

With one target column a row's result is the flat result dict; with several it is nested per target plus an
overall ``is_valid`` that is true only when every target is valid, so a single flag still drives filtering.
"""

from __future__ import annotations

from typing import Any

from data_designer.generators.validators.python_lint import lint_python_snippets, locate_ruff
from data_designer.generators.validators.sql_check import check_sql

__all__ = ["CodeValidator"]


def _as_code_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return value if isinstance(value, str) else str(value)


class CodeValidator:
    """Validates every target column of a batch as code in ``code_lang`` (``python`` or ``sql:<dialect>``)."""

    max_parallel_batches = 1

    def __init__(self, code_lang: str, target_columns: list[str]) -> None:
        self.code_lang = code_lang
        self.target_columns = list(target_columns)
        # Fail at construction, before any row is generated, when the python linter is missing.
        self._ruff = locate_ruff() if code_lang == "python" else None

    def _validate_many(self, snippets: list[Any]) -> list[dict[str, Any]]:
        if self._ruff is not None:
            return lint_python_snippets([_as_code_text(s) for s in snippets], ruff=self._ruff)
        return [check_sql(snippet, self.code_lang) for snippet in snippets]

    def validate_batch(self, batch: dict[str, list[Any]]) -> list[dict[str, Any]]:
        targets = self.target_columns
        num_rows = len(batch[targets[0]])
        flat = [value for target in targets for value in batch[target]]  # one linter run for all targets
        results = self._validate_many(flat)
        per_target = {target: results[i * num_rows : (i + 1) * num_rows] for i, target in enumerate(targets)}
        if len(targets) == 1:
            return per_target[targets[0]]
        rows = []
        for row in range(num_rows):
            nested: dict[str, Any] = {target: per_target[target][row] for target in targets}
            nested["is_valid"] = all(per_target[target][row]["is_valid"] for target in targets)
            rows.append(nested)
        return rows
