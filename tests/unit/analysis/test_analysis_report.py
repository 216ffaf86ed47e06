from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd
import pytest
from rich.console import Console

import data_designer.config as dd
from data_designer.analysis import DatasetProfilerResults, ReportSection, profile_dataset
from data_designer.analysis.report import format_bar
from data_designer.errors import InvalidFileFormatError, InvalidFilePathError


@pytest.fixture
def results() -> DatasetProfilerResults:
    columns = [
        dd.SamplerColumnConfig(name="color", sampler_type="category", params={"values": ["red", "green", "blue"]}),
        dd.SamplerColumnConfig(name="size", sampler_type="uniform", params={"low": 0, "high": 100}),
        dd.LLMTextColumnConfig(name="story", prompt="A {{ color }} story", model_alias="m"),
        dd.LLMJudgeColumnConfig(
            name="verdict",
            prompt="Rate {{ story }}",
            model_alias="m",
            scores=[dd.Score(name="clarity", description="c", options={1: "low", 2: "mid", 3: "high"})],
        ),
        dd.ValidationColumnConfig(
            name="check", target_columns=["story"], validator_type="code", validator_params={"code_lang": "python"}
        ),
    ]
    df = pd.DataFrame(
        {
            "color": ["red", "red", "red", "green"],
            "size": [10.0, 20.0, 30.0, 40.0],
            "story": ["a" * 40, "b" * 80, None, "c" * 40],
            "verdict": [{"clarity": {"score": s, "reasoning": "r"}} for s in (3, 3, 1, 3)],
            "check": [{"is_valid": v} for v in (True, True, True, False)],
        }
    )
    return profile_dataset(df, columns=columns, target_num_records=8)


def _render(results: DatasetProfilerResults, **kwargs) -> str:
    console = Console(file=io.StringIO(), width=140)
    results.to_report(console=console, **kwargs)
    return console.file.getvalue()


def test_report_overview_shows_counts_and_percent_complete(results):
    text = _render(results)
    assert "records generated" in text and "target records" in text
    assert "50.0%" in text  # 4 of 8
    assert "columns profiled" in text


def test_report_has_one_table_per_column_type_with_statistics(results):
    text = _render(results)
    for title in ("sampler columns", "llm-text columns", "llm-judge columns", "validation columns"):
        assert title in text
    assert "min 10, max 40, mean 25 ± 11.18, median 25" in text
    assert "3 (75.0%)" in text  # valid records of 'check'
    assert "1 (25.0%)" in text  # null stories
    assert "13.3 ± 4.7 (median 10.0)" in text  # story completion tokens: 10, 20, 10


def test_report_draws_histograms_for_categorical_samplers_and_judge_scores(results):
    text = _render(results)
    assert "color (category)" in text
    assert "verdict · clarity" in text
    full_bar = "█" * 30
    assert full_bar in text  # the most common category fills the bar
    line_blue = next(line for line in text.splitlines() if line.strip().startswith("blue"))
    assert "█" not in line_blue and "0.0%" in line_blue


def test_report_sections_can_be_selected(results):
    text = _render(results, include_sections=[ReportSection.OVERVIEW])
    assert "records generated" in text
    assert "sampler columns" not in text
    text = _render(results, include_sections=["validation"])
    assert "validation columns" in text and "records generated" not in text and "llm-text" not in text


def test_report_renders_plain_text_without_a_terminal(results):
    text = _render(results)
    assert "\x1b[" not in text


@pytest.mark.parametrize("suffix, marker", [(".html", "<html"), (".svg", "<svg")])
def test_report_exports_html_and_svg(results, tmp_path, suffix, marker):
    path = tmp_path / f"report{suffix}"
    _render(results, save_path=path)
    content = path.read_text(encoding="utf-8")
    assert marker in content
    assert "records" in content


def test_report_rejects_unsupported_save_path(results, tmp_path):
    with pytest.raises(InvalidFileFormatError, match=r"\.html or \.svg"):
        _render(results, save_path=tmp_path / "report.pdf")
    with pytest.raises(InvalidFilePathError, match="does not exist"):
        _render(results, save_path=tmp_path / "missing" / "report.html")


def test_missing_statistics_render_as_dashes():
    results = DatasetProfilerResults.model_validate(
        {
            "num_records": 1,
            "target_num_records": 1,
            "column_statistics": [
                {
                    "column_name": "odd",
                    "column_type": "custom",
                    "num_records": 1,
                    "num_null": "--",
                    "num_unique": "--",
                    "pyarrow_dtype": "--",
                    "simple_dtype": "--",
                }
            ],
        }
    )
    text = _render(results)
    row = next(line for line in text.splitlines() if "odd" in line)
    assert row.count("--") == 3


def test_format_bar_scales_to_width():
    assert format_bar(10, 10, width=10) == "█" * 10
    assert format_bar(5, 10, width=10) == "█" * 5
    assert format_bar(0, 10) == ""
    assert 0 < len(format_bar(1, 1000, width=10)) <= 1  # tiny counts still show a sliver


def test_importing_results_does_not_import_rich():
    code = (
        "import sys, data_designer.analysis as a; a.DatasetProfilerResults; a.profile_dataset; "
        "print('rich' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
