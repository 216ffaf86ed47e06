"""Workflow chaining through the public API: stages seeded by the previous output, resume skips finished stages."""

from __future__ import annotations

import pytest

import data_designer.config as dd
from data_designer.errors import DataDesignerWorkflowError
from data_designer.interface import DataDesigner, ResumeMode, SkippedStageResult, SkippedStageStatus


def _stage_one() -> dd.DataDesignerConfigBuilder:
    b = dd.DataDesignerConfigBuilder(model_configs=[])
    b.add_column(
        name="n", column_type="sampler", sampler_type="uniform", params={"low": 0, "high": 100}, convert_to="int"
    )
    return b


def _stage_two() -> dd.DataDesignerConfigBuilder:
    b = dd.DataDesignerConfigBuilder(model_configs=[])
    b.add_column(dd.ExpressionColumnConfig(name="double", expr="{{ n * 2 }}", dtype="int"))
    return b


def test_second_stage_is_seeded_with_the_first_stage_output(tmp_path):
    designer = DataDesigner(artifact_path=tmp_path)
    designer.set_run_config(dd.RunConfig(buffer_size=10, seed=3))
    workflow = designer.compose_workflow(name="chain")
    workflow.add_stage("numbers", _stage_one(), num_records=25).add_stage("doubled", _stage_two())
    results = workflow.run()
    assert list(results) == ["numbers", "doubled"]
    first = results.load_stage_output("numbers")
    final = results.load_dataset()
    assert len(final) == 25 == results.count_records()
    assert sorted(final["n"]) == sorted(first["n"])
    assert (final["double"] == final["n"] * 2).all()
    assert (tmp_path / "chain" / "workflow-metadata.json").exists()
    assert (tmp_path / "chain" / "stage-1-doubled" / "parquet-files").is_dir()


def test_resume_skips_completed_stages_and_targets_limit_the_run(tmp_path):
    designer = DataDesigner(artifact_path=tmp_path)
    designer.set_run_config(dd.RunConfig(buffer_size=10, seed=3))
    workflow = designer.compose_workflow(name="chain")
    workflow.add_stage("numbers", _stage_one(), num_records=12).add_stage("doubled", _stage_two())
    partial = workflow.run(targets=["numbers"])
    assert isinstance(partial["doubled"], SkippedStageResult)
    assert partial["doubled"].status == SkippedStageStatus.NOT_TARGETED
    again = workflow.run(resume=ResumeMode.IF_POSSIBLE)
    assert isinstance(again["numbers"], SkippedStageResult)
    assert again["numbers"].status == SkippedStageStatus.COMPLETED_EARLIER
    assert again.count_records() == 12


def test_empty_stage_stops_the_workflow_unless_allowed(tmp_path):
    designer = DataDesigner(artifact_path=tmp_path)
    designer.set_run_config(dd.RunConfig(buffer_size=10))
    workflow = designer.compose_workflow(name="w")
    with pytest.raises(DataDesignerWorkflowError, match="no stages"):
        workflow.run()
    with pytest.raises(DataDesignerWorkflowError, match="unknown stages"):
        workflow.add_stage("a", _stage_one(), num_records=5).run(targets=["nope"])
