import stat
import sys

import pytest

from data_designer.errors import DataDesignerRuntimeError
from data_designer.generators.validators.code import CodeValidator
from data_designer.generators.validators.python_lint import (
    classify_ruff_code,
    lint_python_snippets,
    locate_ruff,
    score_python_snippet,
)


@pytest.fixture(scope="module")
def ruff():
    return locate_ruff()


@pytest.mark.parametrize(
    ("code", "category"),
    [
        (None, "fatal"),
        ("invalid-syntax", "fatal"),
        ("E999", "fatal"),
        ("F821", "error"),
        ("F706", "error"),
        ("PLE0101", "error"),
        ("F841", "warning"),
        ("F632", "warning"),
        ("PLW0120", "warning"),
        ("PLR0913", "refactor"),
        ("SIM108", "refactor"),
        ("PLC0414", "convention"),
        ("E711", "convention"),
        ("XYZ1", "warning"),
    ],
)
def test_ruff_codes_map_to_pylint_categories(code, category):
    assert classify_ruff_code(code) == category


def test_clean_snippet_is_valid_with_perfect_score(ruff):
    [result] = lint_python_snippets(["def add(a, b):\n    return a + b\n"], ruff=ruff)
    assert result == {
        "is_valid": True,
        "python_linter_score": 10.0,
        "python_linter_severity": "none",
        "python_linter_messages": [],
    }


def test_one_ruff_run_scores_each_snippet_of_a_batch_separately(ruff):
    snippets = [
        "def f(:\n    pass\n",
        "print(undefined_name)\n",
        "a = 1\nif a == 1:\n    b = True\nelse:\n    b = False\nprint(b)\n",
        "x = 1\n",
    ]
    syntax, undefined, refactor, clean = lint_python_snippets(snippets, ruff=ruff)
    assert (syntax["is_valid"], syntax["python_linter_severity"], syntax["python_linter_score"]) == (False, "fatal", 0)
    assert undefined["is_valid"] is False
    assert undefined["python_linter_severity"] == "error"
    assert [m["symbol"] for m in undefined["python_linter_messages"]] == ["F821"]
    assert undefined["python_linter_messages"][0]["line"] == 1
    assert refactor["is_valid"] is True
    assert refactor["python_linter_severity"] == "refactor"
    assert 0 < refactor["python_linter_score"] < 10
    assert clean["python_linter_messages"] == []


def test_score_follows_pylint_formula():
    messages = [{"type": "warning", "symbol": "F841", "line": 1, "column": 1, "message": "m"}]
    # 4 statements, one warning -> 10 - 10 * 1 / 4
    result = score_python_snippet("a = 1\nb = 2\nc = 3\nd = 4\n", messages)
    assert result["python_linter_score"] == 7.5
    assert result["is_valid"] is True
    errors = [{"type": "error", "symbol": "F821", "line": 1, "column": 1, "message": "m"}]
    assert score_python_snippet("a = 1\n", errors)["python_linter_score"] == 0.0


def test_empty_snippet_is_invalid():
    result = score_python_snippet("   \n", [])
    assert result["is_valid"] is False
    assert result["python_linter_messages"][0]["symbol"] == "empty-code"


def test_unparsable_snippet_is_fatal_even_without_ruff_messages():
    result = score_python_snippet("def (:\n", [])
    assert result["is_valid"] is False
    assert result["python_linter_severity"] == "fatal"


def test_missing_ruff_raises_install_hint(monkeypatch, tmp_path):
    import ruff.__main__ as ruff_main

    def not_found():
        raise FileNotFoundError

    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setattr(ruff_main, "find_ruff_bin", not_found)
    monkeypatch.setattr("shutil.which", lambda name: None)
    with pytest.raises(DataDesignerRuntimeError, match="pip install ruff"):
        locate_ruff()
    with pytest.raises(DataDesignerRuntimeError, match="pip install ruff"):
        CodeValidator("python", ["code"])


def test_ruff_failure_is_reported(tmp_path):
    fake = tmp_path / "ruff"
    fake.write_text("#!/bin/sh\necho 'boom' >&2\nexit 2\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    with pytest.raises(DataDesignerRuntimeError, match="status 2.*boom"):
        lint_python_snippets(["x = 1\n"], ruff=str(fake))


def test_code_validator_nests_results_per_target_with_overall_flag():
    validator = CodeValidator("python", ["good", "bad"])
    rows = validator.validate_batch({"good": ["x = 1\n", "y = 2\n"], "bad": ["print(z)\n", "w = 3\n"]})
    assert [row["is_valid"] for row in rows] == [False, True]
    assert rows[0]["good"]["is_valid"] is True
    assert rows[0]["bad"]["python_linter_severity"] == "error"
    assert set(rows[1]) == {"good", "bad", "is_valid"}


def test_code_validator_single_target_returns_flat_rows():
    rows = CodeValidator("python", ["code"]).validate_batch({"code": ["x = 1\n", None]})
    assert rows[0]["is_valid"] is True and "python_linter_score" in rows[0]
    assert rows[1]["is_valid"] is False
