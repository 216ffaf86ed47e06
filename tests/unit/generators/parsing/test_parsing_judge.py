from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest

from data_designer.generators.parsing import (
    ResponseParseError,
    coerce_score,
    compile_judge,
    judge_instructions,
    judge_schema,
    parse_judge,
)


@dataclass
class Score:
    name: str
    description: str
    options: dict = field(default_factory=dict)


ACCURACY = Score("accuracy", "Is the answer factually correct?", {1: "wrong", 2: "partly", 3: "correct"})
TONE = Score("tone", "Is the tone appropriate?", {"Good": "polite", "Bad": "rude"})
NUMERIC_STR = Score("level", "Level", {"1": "low", "2": "high"})
SCORES = [ACCURACY, TONE]


def answer(accuracy, tone, **extra) -> str:
    payload = {"accuracy": {"reasoning": "ok", "score": accuracy}, "tone": {"reasoning": "fine", "score": tone}}
    payload.update(extra)
    return f"```json\n{json.dumps(payload)}\n```"


def test_judge_schema_shape():
    schema = judge_schema(SCORES)
    assert schema["type"] == "object"
    assert schema["required"] == ["accuracy", "tone"]
    acc = schema["properties"]["accuracy"]
    assert acc["required"] == ["reasoning", "score"]
    assert acc["properties"]["reasoning"]["type"] == "string"
    assert acc["properties"]["score"]["enum"] == [1, 2, 3]
    assert schema["properties"]["tone"]["properties"]["score"]["enum"] == ["Good", "Bad"]
    assert "* 1: wrong" in acc["properties"]["score"]["description"]
    assert "* Good: polite" in schema["properties"]["tone"]["description"]


def test_judge_schema_keeps_option_key_types():
    assert judge_schema([NUMERIC_STR])["properties"]["level"]["properties"]["score"]["enum"] == ["1", "2"]
    mixed = Score("m", "mixed", {1: "one", "n/a": "not applicable"})
    score = judge_schema([mixed])["properties"]["m"]["properties"]["score"]
    assert score["enum"] == [1, "n/a"] and "type" not in score


def test_judge_instructions_contain_rubric_and_schema_block():
    text = judge_instructions(SCORES)
    assert "accuracy" in text and "Is the answer factually correct?" in text and "* 3: correct" in text
    assert "```json" in text
    body = text.split("<response_schema>\n")[-1].split("\n</response_schema>")[0]
    assert json.loads(body) == judge_schema(SCORES)


def test_parse_judge_happy_path():
    assert parse_judge(answer(3, "Good"), SCORES) == {
        "accuracy": {"reasoning": "ok", "score": 3},
        "tone": {"reasoning": "fine", "score": "Good"},
    }


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("3", 3), (3.0, 3), (" 2 ", 2), ("3/3", 3), ("2 - partly", 2), ("**1**", 1), ("3 out of 3", 3)],
)
def test_int_option_coercion(raw, expected):
    assert parse_judge(answer(raw, "Good"), SCORES)["accuracy"]["score"] == expected


@pytest.mark.parametrize("raw", ["good", "GOOD", " Good ", "good.", "Good - very polite"])
def test_string_option_coercion_is_case_insensitive(raw):
    assert parse_judge(answer(1, raw), SCORES)["tone"]["score"] == "Good"


def test_numeric_string_options_match_ints():
    content = '```json\n{"level": {"reasoning": "r", "score": 2}}\n```'
    assert parse_judge(content, [NUMERIC_STR]) == {"level": {"reasoning": "r", "score": "2"}}


@pytest.mark.parametrize("raw", [True, False])
def test_bools_never_match_int_options(raw):
    with pytest.raises(ResponseParseError) as info:
        parse_judge(answer(raw, "Good"), SCORES)
    assert info.value.failure_kind == "schema_validation"
    assert "$.accuracy.score" in info.value.correction_prompt


def test_coerce_score_unit_cases():
    assert coerce_score(True, [0, 1]) is True
    assert coerce_score(2.5, [2, 3]) == 2.5
    assert coerce_score("3.5", [3, 4]) == "3.5"
    assert coerce_score("35", [3, 5]) == "35"
    assert coerce_score("Good enough", ["Good", "Good enough"]) == "Good enough"
    assert coerce_score("good enough, mostly", ["Good", "Good enough"]) == "Good enough"
    assert coerce_score(None, [1]) is None


def test_unknown_option_is_schema_validation_error_listing_options():
    with pytest.raises(ResponseParseError) as info:
        parse_judge(answer(7, "Meh"), SCORES, column_name="quality")
    prompt = info.value.correction_prompt
    assert "7 is not one of [1, 2, 3]" in prompt and "'Meh' is not one of ['Good', 'Bad']" in prompt
    assert "quality" in str(info.value)


def test_score_names_and_fields_matched_case_insensitively_and_extras_pruned():
    content = json.dumps(
        {
            "Accuracy": {"Reasoning": "r", "SCORE": "3", "confidence": 0.9},
            "tone": {"reasoning": "t", "score": "bad"},
            "overall": 5,
        }
    )
    assert parse_judge(content, SCORES) == {
        "accuracy": {"reasoning": "r", "score": 3},
        "tone": {"reasoning": "t", "score": "Bad"},
    }


def test_missing_score_is_schema_validation_error():
    content = '```json\n{"accuracy": {"reasoning": "r", "score": 1}}\n```'
    with pytest.raises(ResponseParseError) as info:
        parse_judge(content, SCORES)
    assert "'tone' is a required property" in info.value.correction_prompt


def test_truncated_judge_answer_reports_missing_fields():
    with pytest.raises(ResponseParseError) as info:
        parse_judge('```json\n{"accuracy": {"reasoning": "because', SCORES)
    assert info.value.failure_kind == "schema_validation"


def test_no_json_is_parse_error():
    with pytest.raises(ResponseParseError) as info:
        parse_judge("I think it is good.", SCORES)
    assert info.value.failure_kind == "parse_error"


def test_compile_judge_is_cached_per_rubric():
    assert compile_judge(SCORES) is compile_judge([ACCURACY, TONE])
    assert compile_judge(SCORES) is not compile_judge([ACCURACY])
    judge = compile_judge(SCORES)
    assert compile_judge(judge) is judge
    assert parse_judge(answer(2, "Bad"), judge)["accuracy"]["score"] == 2
