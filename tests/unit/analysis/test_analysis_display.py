from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from rich.console import Console

import data_designer.config as dd
from data_designer.analysis import display_sample_record
from data_designer.errors import DatasetSampleDisplayError

COLUMNS = [
    dd.SamplerColumnConfig(name="lang", sampler_type="category", params={"values": ["en", "fr"]}),
    dd.LLMCodeColumnConfig(
        name="snippet", prompt="Write {{ lang }}", model_alias="m", code_lang="python", with_trace="all_messages"
    ),
    dd.LLMStructuredColumnConfig(name="meta", prompt="m {{ lang }}", model_alias="m", output_format={"type": "object"}),
    dd.LLMJudgeColumnConfig(
        name="review",
        prompt="Review {{ snippet }}",
        model_alias="m",
        scores=[dd.Score(name="correctness", description="c", options={0: "wrong", 1: "right"})],
    ),
    dd.ValidationColumnConfig(
        name="lint", target_columns=["snippet"], validator_type="code", validator_params={"code_lang": "python"}
    ),
]

TRACE = np.array(
    [
        {"role": "system", "content": "You write code."},
        {"role": "user", "content": [{"type": "text", "text": "Write a function"}]},
        {
            "role": "assistant",
            "content": "",
            "reasoning_content": "I should call a tool",
            "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "search", "arguments": '{"q": 1}'}}],
        },
        {"role": "tool", "tool_call_id": "c1", "content": "found it"},
        {"role": "assistant", "content": "def add(a, b): return a + b"},
    ],
    dtype=object,
)


def _record(**overrides) -> dict:
    record = {
        "seed_text": "from the seed",
        "lang": "en",
        "snippet": "def add(a, b):\n    return a + b\n",
        "meta": '{"difficulty": "easy", "tags": ["math"]}',
        "review": {"correctness": {"score": 1, "reasoning": "adds correctly"}},
        "lint": {"is_valid": False, "error_messages": ["E501 line too long"]},
        "snippet__trace": TRACE,
        "count": np.int64(7),
    }
    record.update(overrides)
    return record


def _show(record, **kwargs) -> str:
    console = Console(file=io.StringIO(), width=120)
    display_sample_record(record, console=console, **kwargs)
    return console.file.getvalue()


def test_record_is_grouped_by_column_type_in_panels():
    text = _show(_record(), columns=COLUMNS, seed_column_names=["seed_text"], index=3)
    assert "Sample record 3" in text
    order = ["Seed columns", "Sampler columns", "LLM code columns", "LLM structured columns", "LLM judge columns"]
    positions = [text.index(title) for title in order]
    assert positions == sorted(positions)
    assert "Other columns" in text and "7" in text


def test_code_structured_judge_and_validation_values_are_rendered():
    text = _show(_record(), columns=COLUMNS)
    assert "def add(a, b):" in text and "    return a + b" in text
    assert '"difficulty": "easy"' in text  # JSON text pretty-printed
    assert "correctness" in text and "adds correctly" in text
    assert "invalid" in text and "E501 line too long" in text


def test_code_is_syntax_highlighted_on_a_colour_terminal():
    console = Console(file=io.StringIO(), width=120, force_terminal=True, color_system="truecolor")
    display_sample_record({"snippet": "def add(a, b):\n    return a"}, columns=COLUMNS, console=console)
    output = console.file.getvalue()
    assert "\x1b[" in output
    assert "def" in output


def test_traces_render_as_a_conversation_and_can_be_hidden():
    text = _show(_record(), columns=COLUMNS)
    assert "Trace: snippet" in text
    for fragment in ("system", "You write code.", "Write a function", "I should call a tool", "search", "found it"):
        assert fragment in text
    assert text.index("You write code.") < text.index("found it")
    hidden = _show(_record(), columns=COLUMNS, include_traces=False)
    assert "Trace" not in hidden and "found it" not in hidden


def test_seed_columns_can_be_hidden():
    text = _show(_record(), columns=COLUMNS, seed_column_names=["seed_text"], hide_seed_columns=True)
    assert "from the seed" not in text and "Seed columns" not in text


def test_series_record_and_no_configs_are_accepted():
    text = _show(pd.Series({"a": 1, "b": {"k": [1, 2]}, "c": None}))
    assert "Other columns" in text and '"k"' in text and "None" in text
    assert "\x1b[" not in text  # plain text when not writing to a terminal


@pytest.mark.parametrize("suffix, marker", [(".html", "<html"), (".svg", "<svg")])
def test_record_can_be_saved_as_html_or_svg(tmp_path, suffix, marker):
    path = tmp_path / f"record{suffix}"
    _show(_record(), columns=COLUMNS, save_path=path)
    assert marker in path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"index": -1}, "index must be a non-negative integer"),
        ({"index": "3"}, "index must be a non-negative integer"),
        ({"theme": "neon"}, "theme must be one of"),
        ({"syntax_highlighting_theme": "no-such-style"}, "not a Pygments style"),
        ({"display_width": 5}, "display_width"),
        ({"save_path": "record.png"}, r"\.html or \.svg"),
        ({"save_path": "/definitely/missing/dir/record.html"}, "does not exist"),
    ],
)
def test_bad_arguments_raise_display_error_before_printing(kwargs, message):
    console = Console(file=io.StringIO(), width=120)
    with pytest.raises(DatasetSampleDisplayError, match=message):
        display_sample_record(_record(), columns=COLUMNS, console=console, **kwargs)
    assert console.file.getvalue() == ""


def test_record_of_wrong_type_raises_display_error():
    with pytest.raises(DatasetSampleDisplayError, match="dict or a pandas Series"):
        display_sample_record(["not", "a", "record"])  # type: ignore[arg-type]


def test_light_theme_and_numpy_index_are_supported():
    text = _show(_record(), columns=COLUMNS, theme="light", index=np.int64(0), syntax_highlighting_theme="monokai")
    assert "Sample record 0" in text


def test_long_base64_image_values_are_summarised():
    image_config = dd.ImageColumnConfig(name="picture", prompt="draw {{ lang }}", model_alias="img")
    text = _show({"picture": "A" * 5000}, columns=[image_config])
    assert "5,000 characters of base64" in text
    assert "A" * 100 not in text
