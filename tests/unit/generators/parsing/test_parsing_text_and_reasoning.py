from __future__ import annotations

import pytest

from data_designer.errors import DataDesignerError, ModelStructuredOutputError
from data_designer.generators.parsing import ResponseParseError, extract_reasoning, parse_text, split_think_tags


def test_parse_text_strips_whitespace():
    assert parse_text("  \n hello world \n") == "hello world"


@pytest.mark.parametrize("content", ["", "   \n\t", None])
def test_parse_text_empty_is_parse_error_with_correction(content):
    with pytest.raises(ResponseParseError) as info:
        parse_text(content, column_name="bio")
    error = info.value
    assert error.failure_kind == "parse_error"
    assert "empty" in error.correction_prompt
    assert "Column 'bio'" in str(error)
    assert isinstance(error, ModelStructuredOutputError) and isinstance(error, DataDesignerError)


def test_parse_text_keeps_markdown_untouched():
    assert parse_text("**bold** and ```code```") == "**bold** and ```code```"


def test_extract_reasoning_prefers_reasoning_over_reasoning_content():
    message = {"content": "answer", "reasoning": "  first  ", "reasoning_content": "second"}
    assert extract_reasoning(message) == "first"


def test_extract_reasoning_falls_back_to_reasoning_content():
    assert extract_reasoning({"content": "x", "reasoning": None, "reasoning_content": " why "}) == "why"


def test_extract_reasoning_blank_is_none():
    assert extract_reasoning({"content": "x", "reasoning": "  ", "reasoning_content": ""}) is None
    assert extract_reasoning({"content": "x"}) is None


def test_extract_reasoning_joins_anthropic_thinking_blocks():
    message = {
        "content": [
            {"type": "thinking", "thinking": "step 1"},
            {"type": "text", "text": "answer"},
            {"type": "thinking", "thinking": "step 2"},
        ]
    }
    assert extract_reasoning(message) == "step 1\n\nstep 2"


def test_split_think_tags_prefix():
    assert split_think_tags("<think>\nhmm\n</think>\n\nThe answer.") == ("hmm", "The answer.")


def test_split_think_tags_thinking_variant_and_case():
    assert split_think_tags("<THINKING>a</THINKING>b") == ("a", "b")


def test_split_think_tags_without_tags_is_identity():
    assert split_think_tags("plain answer") == (None, "plain answer")


def test_split_think_tags_missing_open_tag():
    assert split_think_tags("reasoning here\n</think>\nanswer") == ("reasoning here", "answer")


def test_split_think_tags_unclosed_means_all_reasoning():
    assert split_think_tags("<think>still thinking when cut off") == ("still thinking when cut off", "")


def test_split_think_tags_empty_think_block():
    assert split_think_tags("<think></think>answer") == (None, "answer")


def test_split_think_tags_empty_content():
    assert split_think_tags("") == (None, "")
    assert split_think_tags(None) == (None, "")
