"""Validation columns: judge the target columns of every row and store a result dict ``{is_valid, ...}`` per row.

The generator only slices a row group into batches of ``batch_size`` rows and hands each batch (column-wise) to a
validator from :mod:`data_designer.generators.validators`; batching is what makes one ruff process or one HTTP
request serve many rows. Validators that talk to a remote service declare ``max_parallel_batches > 1`` and their
batches run in a thread pool (the engine already runs this generator off the event loop); results are reassembled
in row order. A validation column never drops rows: an unjudgeable row gets ``is_valid=None``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from data_designer.config.validator_params import (
    CodeValidatorParams,
    LocalCallableValidatorParams,
    RemoteValidatorParams,
)
from data_designer.errors import DataDesignerRuntimeError
from data_designer.generators.base import Columns, FullColumnGenerator, FullColumnResult, GeneratorContext
from data_designer.generators.validators import Validator
from data_designer.generators.validators.code import CodeValidator
from data_designer.generators.validators.local import LocalCallableValidator
from data_designer.generators.validators.remote import RemoteValidator

__all__ = ["ValidationGenerator", "create_validator"]

Sleep = Callable[[float], None]


def _code(params: CodeValidatorParams, config: Any, sleep: Sleep) -> Validator:
    return CodeValidator(params.code_lang, config.target_columns)


def _local(params: LocalCallableValidatorParams, config: Any, sleep: Sleep) -> Validator:
    return LocalCallableValidator(
        params.validation_function, config.target_columns, column=config.name, output_schema=params.output_schema
    )


def _remote(params: RemoteValidatorParams, config: Any, sleep: Sleep) -> Validator:
    return RemoteValidator(params, config.target_columns, column=config.name, sleep=sleep)


_FACTORIES: dict[type, Callable[[Any, Any, Sleep], Validator]] = {
    CodeValidatorParams: _code,
    LocalCallableValidatorParams: _local,
    RemoteValidatorParams: _remote,
}


def create_validator(config: Any, *, sleep: Sleep = time.sleep) -> Validator:
    """The validator for a ``ValidationColumnConfig`` (chosen by the type of its ``validator_params``)."""
    factory = _FACTORIES.get(type(config.validator_params))
    if factory is None:
        raise DataDesignerRuntimeError(
            f"validation column {config.name!r}: unsupported validator_params "
            f"{type(config.validator_params).__name__}; use CodeValidatorParams, LocalCallableValidatorParams or "
            "RemoteValidatorParams"
        )
    return factory(config.validator_params, config, sleep)


class ValidationGenerator(FullColumnGenerator):
    """Full-column generator for ``column_type="validation"``; ``sleep`` is injectable for the remote retries."""

    def __init__(self, config: Any, context: GeneratorContext, *, sleep: Sleep = time.sleep) -> None:
        super().__init__(config, context)
        self.batch_size = int(config.batch_size)
        self.validator = create_validator(config, sleep=sleep)

    def _batches(self, columns: Columns, num_rows: int) -> list[dict[str, list[Any]]]:
        for target in self.config.target_columns:
            values = columns.get(target)
            if values is None:
                raise DataDesignerRuntimeError(
                    f"validation column {self.name!r}: target column {target!r} is not in the row group; "
                    "check target_columns against the columns defined before this one"
                )
            if len(values) != num_rows:
                raise DataDesignerRuntimeError(
                    f"validation column {self.name!r}: target column {target!r} has {len(values)} values for "
                    f"{num_rows} rows"
                )
        return [
            {target: list(columns[target][start : start + self.batch_size]) for target in self.config.target_columns}
            for start in range(0, num_rows, self.batch_size)
        ]

    def _check_batch_result(self, batch: dict[str, list[Any]], rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        expected = len(next(iter(batch.values())))
        if len(rows) != expected:
            raise DataDesignerRuntimeError(
                f"validation column {self.name!r}: the validator returned {len(rows)} results for {expected} rows"
            )
        return rows

    def generate(self, columns: Columns, num_rows: int) -> FullColumnResult:
        batches = self._batches(columns, num_rows)
        workers = min(self.validator.max_parallel_batches, len(batches))
        if workers > 1:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"validate-{self.name}") as pool:
                results = list(pool.map(self.validator.validate_batch, batches))
        else:
            results = [self.validator.validate_batch(batch) for batch in batches]
        values = [
            row for batch, rows in zip(batches, results, strict=True) for row in self._check_batch_result(batch, rows)
        ]
        return FullColumnResult(values={self.name: values})
