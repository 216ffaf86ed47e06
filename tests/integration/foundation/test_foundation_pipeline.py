"""End-to-end: one YAML file with seed data, samplers, expressions, a dropped column and a processor, run through
``DataDesigner.create``; plus DAG ordering, the two Jinja engines, and what preview leaves on disk (nothing)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import data_designer.config as dd
from data_designer import errors
from data_designer.interface import DataDesigner, ResumeMode


def test_yaml_pipeline_with_seed_samplers_expressions_and_processors(tmp_path: Path, designer, load_config) -> None:
    seed_path = tmp_path / "products.csv"
    pd.DataFrame({"product": ["pen", "ink", "pad"], "base_price": [2.5, 7.0, 4.0]}).to_csv(seed_path, index=False)
    builder = load_config(
        f"""
data_designer:
  seed_config:
    source: {{seed_type: local, path: {json.dumps(str(seed_path))}}}
    sampling_strategy: ordered
  columns:
    - name: summary
      column_type: expression
      expr: "{{{{ quantity }}}} x {{{{ product }}}} = {{{{ total }}}}"
    - name: total
      column_type: expression
      expr: "{{{{ (base_price * quantity) | round(2) }}}}"
      dtype: float
    - name: quantity
      column_type: sampler
      sampler_type: binomial
      params: {{n: 5, p: 0.5}}
      conditional_params:
        "region == 'bulk'": {{n: 100, p: 0.5}}
    - name: region
      column_type: sampler
      sampler_type: category
      params: {{values: [retail, bulk]}}
    - name: order_id
      column_type: sampler
      sampler_type: uuid
      params: {{prefix: "ord-", short_form: true}}
    - name: internal_note
      column_type: expression
      expr: "note for {{{{ order_id }}}}"
      drop: true
  processors:
    - name: receipts
      processor_type: schema_transform
      template:
        id: "{{{{ order_id }}}}"
        line: "{{{{ summary }}}}"
library_version: "0.0.0"
""",
        "pipeline.yaml",
    )
    results = designer.create(builder, num_records=9, dataset_name="orders")
    df = results.load_dataset()
    assert len(df) == results.count_records() == 9
    assert "internal_note" not in df.columns
    assert {"product", "base_price", "quantity", "region", "order_id", "total", "summary"} <= set(df.columns)
    assert list(df["product"]) == ["pen", "ink", "pad"] * 3
    assert (df["total"] == (df["base_price"] * df["quantity"]).round(2)).all()
    assert (df.loc[df["region"] == "retail", "quantity"] <= 5).all()
    assert (df.loc[df["region"] == "bulk", "quantity"] > 5).all()
    rows = zip(df["summary"], df["quantity"], df["product"], df["total"], strict=True)
    assert all(summary == f"{q} x {p} = {t}" for summary, q, p, t in rows)
    receipts = results.load_processor_dataset("receipts")
    assert list(receipts["id"]) == list(df["order_id"])
    assert list(receipts["line"]) == list(df["summary"])
    assert set(results.dataset_metadata.seed_column_names) == {"product", "base_price"}


def test_columns_may_be_declared_in_any_order(designer, new_builder) -> None:
    builder = new_builder()
    builder.add_column(name="c", column_type="expression", expr="{{ b }}c")
    builder.add_column(name="b", column_type="expression", expr="{{ a }}b")
    builder.add_column(name="a", column_type="sampler", sampler_type="category", params={"values": ["a"]})
    df = designer.preview(builder, num_records=2).dataset
    assert list(df["c"]) == ["abc", "abc"]


def _set_template_builder() -> dd.DataDesignerConfigBuilder:
    builder = dd.DataDesignerConfigBuilder(model_configs=[])
    builder.add_column(name="x", column_type="sampler", sampler_type="category", params={"values": [3]})
    builder.add_column(name="y", column_type="expression", expr="{% set a = x * 2 %}{{ a }}", dtype="int")
    return builder


def test_secure_jinja_engine_is_the_default_and_refuses_set(designer) -> None:
    assert designer.run_config.jinja_rendering_engine == dd.JinjaRenderingEngine.SECURE
    with pytest.raises(errors.DataDesignerGenerationError) as exc:
        designer.preview(_set_template_builder(), num_records=2)
    message = str(exc.value)
    assert "'y'" in message
    assert "set" in message
    assert "native" in message


def test_native_jinja_engine_on_request(designer) -> None:
    designer.set_run_config(dd.RunConfig(jinja_rendering_engine=dd.JinjaRenderingEngine.NATIVE, seed=1))
    df = designer.preview(_set_template_builder(), num_records=2).dataset
    assert list(df["y"]) == [6, 6]


def test_preview_writes_nothing_to_the_artifact_path(tmp_path: Path, designer, new_builder) -> None:
    builder = new_builder().add_column(name="id", column_type="sampler", sampler_type="uuid", params={})
    preview = designer.preview(builder, num_records=5)
    assert len(preview.dataset) == 5
    assert preview.analysis is not None
    artifacts = tmp_path / "artifacts"
    assert not artifacts.exists() or not any(artifacts.rglob("*.parquet"))


def test_resume_always_without_a_dataset_is_refused(designer, new_builder) -> None:
    builder = new_builder().add_column(name="id", column_type="sampler", sampler_type="uuid", params={})
    with pytest.raises(errors.ArtifactStorageError, match="ResumeMode.NEVER"):
        designer.create(builder, num_records=2, dataset_name="never-made", resume=ResumeMode.ALWAYS)


def test_resume_always_error_names_the_directory(tmp_path: Path, new_builder) -> None:
    designer = DataDesigner(artifact_path=tmp_path / "out", auto_configure_logging=False)
    builder = new_builder().add_column(name="id", column_type="sampler", sampler_type="uuid", params={})
    with pytest.raises(errors.ArtifactStorageError) as exc:
        designer.create(builder, num_records=2, dataset_name="never-made", resume=ResumeMode.ALWAYS)
    assert "never-made" in str(exc.value)


def test_rejection_sampling_that_cannot_succeed_names_the_column(designer, new_builder) -> None:
    builder = new_builder()
    builder.add_column(name="v", column_type="sampler", sampler_type="uniform", params={"low": 0, "high": 1})
    builder.add_constraint(dd.ScalarInequalityConstraint(target_column="v", rhs=5, operator="gt"))
    with pytest.raises(errors.DataDesignerError) as exc:
        designer.preview(builder, num_records=5)
    message = str(exc.value)
    assert "'v > 5'" in message
    assert "relax" in message
    cause = exc.value if isinstance(exc.value, errors.RejectionSamplingError) else exc.value.__cause__
    assert isinstance(cause, errors.RejectionSamplingError)
