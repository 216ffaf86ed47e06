"""``validate``, ``preview`` and ``create`` end to end, through real subprocesses and real files."""

from __future__ import annotations

import json
import re

import pyarrow.parquet as pq
from cli_harness import CLI, SAMPLER_EXPRESSION_YAML

import data_designer

ANSI = re.compile(r"\x1b\[")


def _single_error_line(stderr: str) -> str:
    errors = [line for line in stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, stderr
    assert "Traceback" not in stderr
    return errors[0]


def test_version_prints_the_package_version_and_creates_no_home(cli: CLI):
    result = cli.run("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"data-designer {data_designer.__version__}"
    assert not cli.home.exists()


def test_validate_accepts_a_good_config_and_rejects_bad_ones_with_one_line(cli: CLI):
    cli.write("good.yaml", SAMPLER_EXPRESSION_YAML)
    cli.write("typo.yaml", SAMPLER_EXPRESSION_YAML.replace("{{ pet }}", "{{ pett }}"))
    cli.write("broken.yaml", "columns:\n  - name: a\n    column_type: [sampler\n  x: 1\n")
    cli.write("notes.txt", "columns: []\n")
    good, typo, broken, missing, wrong_kind, stray_args = cli.run_all(
        [
            ["validate", "good.yaml"],
            ["validate", "typo.yaml"],
            ["validate", "broken.yaml"],
            ["validate", "absent.yaml"],
            ["validate", "notes.txt"],
            ["validate", "good.yaml", "--", "--flag"],
        ]
    )
    assert good.returncode == 0, good.stderr
    assert "valid" in good.stdout and "age, pet, label" in good.stdout
    assert (cli.home / "model_providers.yaml").is_file()  # every command first writes the defaults

    for bad in (typo, broken, missing, wrong_kind, stray_args):
        assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "'label'" in _single_error_line(typo.stderr) and "did you mean 'pet'" in typo.stderr
    assert "line 4" in _single_error_line(broken.stderr)
    assert "absent.yaml" in _single_error_line(missing.stderr)
    assert ".yaml, .yml or .json" in _single_error_line(wrong_kind.stderr)
    assert "only passed to .py" in _single_error_line(stray_args.stderr)


def test_preview_prints_plain_records_and_report_and_saves_results(cli: CLI):
    cli.write("config.yaml", SAMPLER_EXPRESSION_YAML)
    result = cli.run("preview", "config.yaml", "-n", "4", "--save-results", "-o", "previews", "--display-width", "80")
    assert result.returncode == 0, result.stderr
    assert not ANSI.search(result.stdout), "stdout is a pipe: no colour codes expected"
    assert all(f"Record {i}" in result.stdout for i in range(4)) and "Record 4" not in result.stdout
    assert "Dataset Profile" in result.stdout and "records generated" in result.stdout

    (saved,) = (cli.cwd / "previews").glob("preview_results_*")
    assert saved.name in result.stdout
    table = pq.read_table(saved / "dataset.parquet")
    assert table.num_rows == 4 and table.column_names == ["age", "pet", "label"]
    assert (saved / "report.html").read_text().startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in (saved / "sample_records").iterdir()) == [f"record_{i}.html" for i in range(4)]
    assert "record_3.html" in (saved / "sample_records_browser.html").read_text()


def test_preview_rejects_out_of_range_options_before_generating(cli: CLI):
    cli.write("config.yaml", SAMPLER_EXPRESSION_YAML)
    zero, narrow = cli.run_all(
        [["preview", "config.yaml", "-n", "0"], ["preview", "config.yaml", "--display-width", "39"]]
    )
    assert zero.returncode == 2 and "--num-records" in zero.stderr
    assert narrow.returncode == 2 and "--display-width" in narrow.stderr


def test_create_writes_batches_exports_csv_and_resumes_to_a_larger_target(cli: CLI):
    cli.write("config.yaml", SAMPLER_EXPRESSION_YAML)
    cli.write("run.yaml", "buffer_size: 10\nseed: 7\n")
    first = cli.run("create", "config.yaml", "-n", "25", "-c", "run.yaml", "-d", "pets", "-f", "csv", "--no-tui")
    assert first.returncode == 0, first.stderr
    dataset_dir = cli.cwd / "artifacts" / "pets"
    assert str(dataset_dir.relative_to(cli.cwd)) in first.stdout
    assert "Dataset Profile" in first.stdout
    batches = sorted(p.name for p in (dataset_dir / "parquet-files").glob("batch_*.parquet"))
    assert batches == ["batch_00000.parquet", "batch_00001.parquet", "batch_00002.parquet"]
    csv_lines = (dataset_dir / "pets.csv").read_text().splitlines()
    assert csv_lines[0] == "age,pet,label" and len(csv_lines) == 26

    resumed = cli.run(
        "create", "config.yaml", "-n", "35", "-c", "run.yaml", "-d", "pets", "-r", "always", "-f", "jsonl"
    )
    assert resumed.returncode == 0, resumed.stderr
    assert "35 record(s)" in resumed.stdout
    assert len(list((dataset_dir / "parquet-files").glob("batch_*.parquet"))) == 4
    rows = [json.loads(line) for line in (dataset_dir / "pets.jsonl").read_text().splitlines()]
    assert len(rows) == 35 and all(r["label"] == f"{r['pet']}-{r['age']}" for r in rows)
    metadata = json.loads((dataset_dir / "metadata.json").read_text())
    assert metadata["actual_num_records"] == 35


def test_create_errors_name_the_run_config_field_and_the_missing_dataset(cli: CLI):
    cli.write("config.yaml", SAMPLER_EXPRESSION_YAML)
    cli.write("bad_run.yaml", "buffer_size: 0\n")
    cli.write("unknown_run.yaml", "bufer_size: 10\n")
    bad, unknown, nothing_to_resume = cli.run_all(
        [
            ["create", "config.yaml", "-c", "bad_run.yaml"],
            ["create", "config.yaml", "-c", "unknown_run.yaml"],
            ["create", "config.yaml", "-d", "never-made", "-r", "always"],
        ]
    )
    assert bad.returncode == 1 and "buffer_size" in bad.stderr and "Traceback" not in bad.stderr
    assert unknown.returncode == 1 and "bufer_size" in unknown.stderr
    assert nothing_to_resume.returncode == 1 and "never-made" in _single_error_line(nothing_to_resume.stderr)
    assert not (cli.cwd / "artifacts" / "dataset").exists()


def test_python_config_receives_the_arguments_after_double_dash(cli: CLI):
    cli.write(
        "pets.py",
        """\
        import argparse

        import data_designer.config as dd


        def load_config_builder(params: dd.DataDesignerScriptParams) -> dd.DataDesignerConfigBuilder:
            parser = argparse.ArgumentParser()
            parser.add_argument("--animal", required=True)
            args = parser.parse_args(params.argv)
            builder = dd.DataDesignerConfigBuilder()
            builder.add_column(
                dd.SamplerColumnConfig(
                    name="animal", sampler_type=dd.SamplerType.CATEGORY,
                    params=dd.CategorySamplerParams(values=[args.animal]),
                )
            )
            builder.add_column(dd.ExpressionColumnConfig(name="shout", expr="{{ animal | upper }}!"))
            return builder
        """,
    )
    cli.write("no_args.py", "def load_config_builder():\n    raise ValueError('boom')\n")
    cli.write("no_entry.py", "x = 1\n")
    preview, zero_arg_script, missing_entry, rejected_args = cli.run_all(
        [
            ["preview", "pets.py", "-n", "2", "--non-interactive", "--", "--animal", "axolotl"],
            ["validate", "no_args.py"],
            ["validate", "no_entry.py"],
            ["validate", "pets.py", "--", "--color", "red"],
        ]
    )
    assert preview.returncode == 0, preview.stderr
    assert "AXOLOTL!" in preview.stdout and "Record 1" in preview.stdout
    assert "ValueError: boom (line 2)" in _single_error_line(zero_arg_script.stderr)
    assert "does not define load_config_builder()" in _single_error_line(missing_entry.stderr)
    assert rejected_args.returncode == 1 and "check the arguments after '--'" in rejected_args.stderr


def test_validate_reads_a_config_from_an_http_url(cli: CLI):
    import functools
    import http.server
    import threading

    cli.write("remote.yaml", SAMPLER_EXPRESSION_YAML)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(cli.cwd))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        ok, missing = cli.run_all([["validate", f"{base}/remote.yaml"], ["validate", f"{base}/absent.json"]])
    finally:
        server.shutdown()
        server.server_close()
    assert ok.returncode == 0, ok.stderr
    assert "age, pet, label" in ok.stdout
    assert "absent.json" in _single_error_line(missing.stderr)
