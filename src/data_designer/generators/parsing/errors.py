"""The one error the response parsers raise.

A parse failure is not a bug: the model answered in a shape we cannot use. The engine decides what to do with it
(append :attr:`ResponseParseError.correction_prompt` as a user turn, restart the conversation, or give up with
``ModelGenerationValidationFailureError``), so the error carries both a message for humans and a message for the model.
"""

from __future__ import annotations

from typing import Literal

from data_designer.errors import ModelStructuredOutputError

__all__ = ["ResponseParseError", "FailureKind"]

FailureKind = Literal["parse_error", "schema_validation"]

_HOW_TO_FIX = (
    "If this keeps happening, make the prompt more explicit about the expected format, use a more capable model, "
    "raise max_tokens if responses are cut off, or allow max_correction_steps / max_conversation_restarts."
)


class ResponseParseError(ModelStructuredOutputError):
    """A model response could not be turned into a cell value.

    ``failure_kind`` is ``"parse_error"`` when nothing usable was found (no fence, no JSON, empty text) and
    ``"schema_validation"`` when JSON was found but does not satisfy the schema. ``detail`` is the bare reason,
    ``correction_prompt`` is what to tell the model so it can fix its answer in the same conversation.
    """

    def __init__(
        self,
        detail: str,
        *,
        correction_prompt: str,
        failure_kind: FailureKind = "parse_error",
        column_name: str | None = None,
        model_alias: str | None = None,
    ) -> None:
        where = f"Column '{column_name}': " if column_name else ""
        super().__init__(f"{where}{detail} {_HOW_TO_FIX}", model_alias=model_alias)
        self.detail = detail
        self.correction_prompt = correction_prompt
        self.failure_kind: FailureKind = failure_kind
        self.column_name = column_name
