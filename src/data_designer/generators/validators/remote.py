"""The remote validator: POST ``{"data": [records]}`` per batch to an HTTP endpoint, read ``{"data": [results]}``.

Design note. Uses the standard library (``urllib.request``) so remote validation adds no runtime dependency; the
generator calls :meth:`RemoteValidator.validate_batch` from up to ``max_parallel_requests`` worker threads, and the
validator holds no mutable state, so that is safe. Failures split in two on purpose:

* *transport* failures (connection errors, timeouts, HTTP 5xx/429/408) are retried ``max_retries`` times, waiting
  ``retry_backoff ** attempt`` seconds before retry ``attempt`` (1, 2, ...); if the batch still fails its rows get
  ``is_valid=None`` and a warning is logged, because an unreachable validator should not cost generated data;
* *contract* failures (a 2xx reply that is not ``{"data": [...]}`` with one object per row carrying ``is_valid``, or
  a row that does not match ``output_schema``) raise :class:`RemoteValidationSchemaError`: they repeat on every
  batch, so the endpoint or the schema needs fixing.

Time is injected: ``sleep`` defaults to :func:`time.sleep` and tests pass a recorder.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

from data_designer.errors import DataDesignerRuntimeError, RemoteValidationSchemaError
from data_designer.generators.validators.results import check_json_schema, first_schema_error, to_python_value

__all__ = ["RemoteValidator", "backoff_delays_s", "encode_request", "is_retryable_status", "parse_remote_response"]

logger = logging.getLogger(__name__)

_RETRYABLE_STATUSES = frozenset({408, 429})


class _TransportError(Exception):
    """A failed HTTP exchange; ``retryable`` says whether trying again may help."""

    def __init__(self, message: str, *, retryable: bool) -> None:
        super().__init__(message)
        self.retryable = retryable


def backoff_delays_s(max_retries: int, retry_backoff: float) -> list[float]:
    """Seconds to wait before each retry: ``retry_backoff ** 1, retry_backoff ** 2, ...``."""
    return [float(retry_backoff**attempt) for attempt in range(1, max_retries + 1)]


def is_retryable_status(status: int) -> bool:
    return status >= 500 or status in _RETRYABLE_STATUSES


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    converted = to_python_value(value)
    return str(value) if converted is value else converted


def encode_request(records: list[dict[str, Any]]) -> bytes:
    """The request body; numpy scalars become numbers, NaN becomes null, dates ISO strings, the rest ``str``."""
    clean = [{key: to_python_value(value) for key, value in record.items()} for record in records]
    return json.dumps({"data": clean}, default=_json_default, allow_nan=False).encode("utf-8")


def parse_remote_response(payload: bytes, *, expected_rows: int, column: str, url: str) -> list[dict[str, Any]]:
    """Result rows from a 2xx reply; raises :class:`RemoteValidationSchemaError` when the envelope is wrong."""
    where = f"validation column {column!r}: endpoint {url}"
    try:
        document = json.loads(payload)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise RemoteValidationSchemaError(
            f'{where} did not reply with JSON ({exc}); it must return {{"data": [{{"is_valid": ...}}, ...]}}'
        ) from exc
    rows = document.get("data") if isinstance(document, dict) else None
    if not isinstance(rows, list):
        raise RemoteValidationSchemaError(
            f'{where} replied without a "data" list; it must return '
            '{"data": [{"is_valid": ...}, ...]} with one object per record'
        )
    if len(rows) != expected_rows:
        raise RemoteValidationSchemaError(
            f"{where} returned {len(rows)} results for {expected_rows} records; it must return one per record, in order"
        )
    for index, row in enumerate(rows):
        if not isinstance(row, dict) or "is_valid" not in row:
            raise RemoteValidationSchemaError(f'{where}: result {index} is not an object with "is_valid": {row!r:.200}')
        if row["is_valid"] is not None and not isinstance(row["is_valid"], bool):
            raise RemoteValidationSchemaError(
                f'{where}: result {index} has "is_valid" = {row["is_valid"]!r}; it must be true, false or null'
            )
    return rows


class RemoteValidator:
    """Sends each batch of target-column records to ``endpoint_url`` and returns the endpoint's verdicts."""

    def __init__(
        self,
        params: Any,
        target_columns: list[str],
        *,
        column: str,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = params.endpoint_url
        self.timeout_s = float(params.timeout)
        self.delays_s = backoff_delays_s(params.max_retries, params.retry_backoff)
        self.max_parallel_batches = int(params.max_parallel_requests)
        self.target_columns = list(target_columns)
        self.column = column
        self._sleep = sleep
        self._schema = (
            None
            if params.output_schema is None
            else check_json_schema(
                params.output_schema, where=f"validation column {column!r}", error=RemoteValidationSchemaError
            )
        )

    def _post(self, body: bytes) -> bytes:
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            raise _TransportError(f"HTTP {exc.code} {exc.reason}", retryable=is_retryable_status(exc.code)) from exc
        except urllib.error.URLError as exc:
            raise _TransportError(f"connection failed: {exc.reason}", retryable=True) from exc
        except (TimeoutError, ConnectionError, http.client.HTTPException) as exc:
            raise _TransportError(f"{type(exc).__name__}: {exc}", retryable=True) from exc

    def _post_with_retries(self, body: bytes) -> bytes | None:
        for attempt in range(len(self.delays_s) + 1):
            try:
                return self._post(body)
            except _TransportError as exc:
                if not exc.retryable or attempt == len(self.delays_s):
                    logger.warning(
                        "validation column %r: remote validator %s failed after %d attempt(s) (%s); "
                        "the batch's rows get is_valid=None",
                        self.column,
                        self.url,
                        attempt + 1,
                        exc,
                    )
                    return None
                self._sleep(self.delays_s[attempt])
        return None

    def validate_batch(self, batch: dict[str, list[Any]]) -> list[dict[str, Any]]:
        num_rows = len(batch[self.target_columns[0]])
        records = [{target: batch[target][row] for target in self.target_columns} for row in range(num_rows)]
        try:
            body = encode_request(records)
        except (TypeError, ValueError) as exc:
            raise DataDesignerRuntimeError(
                f"validation column {self.column!r}: the target columns cannot be sent as JSON ({exc}); "
                "make them JSON-compatible (finite numbers, text, lists, dicts)"
            ) from exc
        payload = self._post_with_retries(body)
        if payload is None:
            return [{"is_valid": None} for _ in range(num_rows)]
        rows = parse_remote_response(payload, expected_rows=num_rows, column=self.column, url=self.url)
        if self._schema is not None:
            for index, row in enumerate(rows):
                problem = first_schema_error(self._schema, row)
                if problem is not None:
                    raise RemoteValidationSchemaError(
                        f"validation column {self.column!r}: result {index} from {self.url} does not match "
                        f"output_schema: {problem}; fix the endpoint or the schema"
                    )
        return rows
