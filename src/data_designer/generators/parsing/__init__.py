"""Response recipes: the instructions appended to LLM column prompts and the pure parsers of model answers.

One module per recipe (``text``, ``code``, ``structured``, ``judge``) plus the shared pieces (``fences``,
``json_extraction``, ``pruning``, ``reasoning``). Everything here is synchronous and free of I/O so it can be unit
tested directly and called per cell on the engine loop. Parsers raise :class:`ResponseParseError`, whose
``correction_prompt`` is the message to send back to the model.
"""

from __future__ import annotations

from data_designer.generators.parsing.code import code_fence_tag, code_instructions, normalize_code_lang, parse_code
from data_designer.generators.parsing.errors import FailureKind, ResponseParseError
from data_designer.generators.parsing.fences import FencedBlock, find_fenced_blocks
from data_designer.generators.parsing.json_extraction import extract_json
from data_designer.generators.parsing.judge import (
    CompiledJudge,
    coerce_score,
    compile_judge,
    judge_instructions,
    judge_schema,
    parse_judge,
)
from data_designer.generators.parsing.reasoning import extract_reasoning, split_think_tags
from data_designer.generators.parsing.structured import (
    SCHEMA_CLOSE_TAG,
    SCHEMA_OPEN_TAG,
    CompiledSchema,
    compile_schema,
    parse_structured,
    schema_from_output_format,
    structured_instructions,
)
from data_designer.generators.parsing.text import parse_text

__all__ = [
    "SCHEMA_CLOSE_TAG",
    "SCHEMA_OPEN_TAG",
    "CompiledJudge",
    "CompiledSchema",
    "FailureKind",
    "FencedBlock",
    "ResponseParseError",
    "code_fence_tag",
    "code_instructions",
    "coerce_score",
    "compile_judge",
    "compile_schema",
    "extract_json",
    "extract_reasoning",
    "find_fenced_blocks",
    "judge_instructions",
    "judge_schema",
    "normalize_code_lang",
    "parse_code",
    "parse_judge",
    "parse_structured",
    "parse_text",
    "schema_from_output_format",
    "split_think_tags",
    "structured_instructions",
]
