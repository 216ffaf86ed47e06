"""``validate``, ``preview``, ``create`` and ``check-models``: parse arguments, call ``DataDesigner``, render.

The interface (and with it pandas, pyarrow and the engine) is imported inside each command so that ``--help`` and
``--version`` stay fast. Errors are not caught here: every ``DataDesignerError`` travels up to ``main()``, which
prints its message on one line and exits 1.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from data_designer.cli.render import Output, make_output, table_of

__all__ = ["check_models_command", "create_command", "preview_command", "validate_command"]

DEFAULT_ARTIFACT_PATH = Path("./artifacts")


class ResumeChoice(str, Enum):
    never = "never"
    always = "always"
    if_possible = "if_possible"


class OutputFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


class Theme(str, Enum):
    dark = "dark"
    light = "light"


ConfigSourceArg = Annotated[
    str,
    typer.Argument(
        metavar="CONFIG_SOURCE",
        help="A .yaml/.yml/.json config (local path or http(s) URL), or a .py script defining load_config_builder().",
        show_default=False,
    ),
]
ScriptArgs = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="[-- ARGS]...", help="Arguments after '--', passed to a .py config script.", show_default=False
    ),
]


def _builder(config_source: str, script_args: list[str] | None) -> Any:
    from data_designer.cli.config_source import load_config_builder

    return load_config_builder(config_source, tuple(script_args or ()))


def _designer(artifact_path: Path | None = None) -> Any:
    from data_designer.interface.data_designer import DataDesigner

    return DataDesigner(artifact_path=artifact_path if artifact_path is not None else DEFAULT_ARTIFACT_PATH)


def _column_types(builder: Any) -> dict[str, str]:
    try:
        config = builder.build()
    except Exception:  # display only; validation errors surface from the interface call
        return {}
    types: dict[str, str] = {}
    for column in config.columns:
        kind = getattr(column, "column_type", "")
        types[column.name] = str(getattr(kind, "value", kind))
        for side in getattr(column, "side_effect_columns", []) or []:
            types.setdefault(side, f"{types[column.name]} (side effect)")
    return types


# ---------------------------------------------------------------------------------------------------- validate
def validate_command(config_source: ConfigSourceArg, script_args: ScriptArgs = None) -> None:
    """Statically validate a config: column references, DAG, parameters and model aliases (no generation)."""
    out = make_output()
    builder = _builder(config_source, script_args)
    _designer().validate(builder)
    columns = _column_types(builder)
    out.say(f"✅ config is valid: {config_source} ({len(columns)} columns: {', '.join(columns)})", style="green")


# ---------------------------------------------------------------------------------------------------- preview
def preview_command(
    config_source: ConfigSourceArg,
    script_args: ScriptArgs = None,
    num_records: Annotated[int, typer.Option("-n", "--num-records", min=1, help="Records to generate.")] = 10,
    non_interactive: Annotated[
        bool, typer.Option("--non-interactive", help="Print every record at once (no paging, plain text).")
    ] = False,
    save_results: Annotated[
        bool,
        typer.Option(
            "--save-results",
            help="Write dataset.parquet, report.html and sample_records/ under <artifact-path>/preview_results_<ts>/.",
        ),
    ] = False,
    artifact_path: Annotated[
        Path, typer.Option("-o", "--artifact-path", help="Where --save-results writes.")
    ] = DEFAULT_ARTIFACT_PATH,
    theme: Annotated[Theme, typer.Option("--theme", help="Colour theme of displayed records.")] = Theme.dark,
    display_width: Annotated[
        int, typer.Option("--display-width", min=40, help="Width of displayed records, in characters.")
    ] = 110,
) -> None:
    """Generate a few records in memory and show them with a profile of the columns."""
    out = make_output(force_plain=non_interactive, plain_width=display_width)
    builder = _builder(config_source, script_args)
    results = _designer(artifact_path).preview(builder, num_records=num_records)
    types = _column_types(builder)
    _show_records(out, results, types, theme=theme.value, display_width=display_width)
    if results.analysis is not None:
        results.analysis.to_report(console=out.console)
    if save_results:
        from data_designer.cli.preview_export import save_preview_results

        target = save_preview_results(results, artifact_path, column_types=types, display_width=display_width)
        out.say(f"💾 preview results saved to {target}")
    out.say(f"👀 previewed {len(results.dataset)} record(s) from {config_source}")


def _show_records(out: Output, results: Any, types: dict[str, str], *, theme: str, display_width: int) -> None:
    from data_designer.cli.render import record_renderable

    records = results.dataset.to_dict(orient="records")
    if not out.interactive:
        for index, record in enumerate(records):
            out.show(record_renderable(record, index=index, column_types=types))
        return
    import sys

    can_page = sys.stdin.isatty()
    for index, record in enumerate(records):
        try:
            results.display_sample_record(index, theme=theme, display_width=display_width)
        except Exception:  # the rich record view is optional; fall back to our own table
            out.show(record_renderable(record, index=index, column_types=types))
        if can_page and index < len(records) - 1:
            answer = out.console.input(f"[dim]record {index + 1}/{len(records)}: Enter for the next, q to stop[/] ")
            if answer.strip().lower().startswith("q"):
                break


# ---------------------------------------------------------------------------------------------------- create
def create_command(
    config_source: ConfigSourceArg,
    script_args: ScriptArgs = None,
    run_config: Annotated[
        Path | None,
        typer.Option("-c", "--run-config", help="YAML mapping of RunConfig fields, laid over the defaults."),
    ] = None,
    num_records: Annotated[int, typer.Option("-n", "--num-records", min=1, help="Records to generate.")] = 10,
    dataset_name: Annotated[str, typer.Option("-d", "--dataset-name", help="Dataset folder name.")] = "dataset",
    artifact_path: Annotated[
        Path, typer.Option("-o", "--artifact-path", help="Folder that holds dataset folders.")
    ] = DEFAULT_ARTIFACT_PATH,
    resume: Annotated[
        ResumeChoice, typer.Option("-r", "--resume", help="Resume an interrupted dataset of the same name.")
    ] = ResumeChoice.never,
    output_format: Annotated[
        OutputFormat | None,
        typer.Option("-f", "--output-format", help="Also export to <dataset dir>/<dataset-name>.<format>."),
    ] = None,
    tui: Annotated[
        bool | None, typer.Option("--tui/--no-tui", help="Live progress panel (needs a terminal).", show_default=False)
    ] = None,
) -> None:
    """Generate a dataset to disk (parquet batches + metadata), print its profile and location."""
    out = make_output()
    overrides: dict[str, Any] = {}
    if tui is not None:
        overrides["display_tui"] = tui
    resolved_run_config = _load_run_config(run_config, overrides)
    _check_resumable(artifact_path / dataset_name, resume)
    builder = _builder(config_source, script_args)
    designer = _designer(artifact_path)
    designer.set_run_config(resolved_run_config)
    results = designer.create(
        builder,
        num_records=num_records,
        dataset_name=dataset_name,
        resume=resume.value,
        artifact_path=artifact_path,
    )
    analysis = results.load_analysis()
    if analysis is not None:
        analysis.to_report(console=out.console)
    dataset_dir = Path(results.artifact_storage.dataset_dir)
    out.say(f"✅ {results.count_records()} record(s) in {dataset_dir}", style="green")
    if output_format is not None:
        exported = results.export(dataset_dir / f"{dataset_name}.{output_format.value}", format=output_format.value)
        out.say(f"📦 exported to {exported}")


def _check_resumable(dataset_dir: Path, resume: ResumeChoice) -> None:
    """Fail before any work with the CLI's own vocabulary (the path and the flag to change)."""
    if resume is ResumeChoice.always and not (dataset_dir.is_dir() and any(dataset_dir.iterdir())):
        from data_designer.errors import ArtifactStorageError

        raise ArtifactStorageError(
            f"--resume always: there is no dataset to resume at {dataset_dir}; check -o/--artifact-path and "
            "-d/--dataset-name, or use --resume if_possible (or never) to start a new dataset"
        )


def _load_run_config(path: Path | None, overrides: dict[str, Any]) -> Any:
    """Defaults, then the YAML file's fields, then flags (shallow: a field given replaces the whole value)."""
    from pydantic import ValidationError

    from data_designer.config.loading import format_validation_error
    from data_designer.config.run_config import RunConfig
    from data_designer.errors import InvalidFileFormatError, InvalidFilePathError

    fields: dict[str, Any] = {}
    if path is not None:
        import yaml

        if not path.is_file():
            raise InvalidFilePathError(f"--run-config: file not found: {path}")
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
            raise InvalidFileFormatError(
                f"--run-config {path}: invalid YAML{where}: {getattr(exc, 'problem', None) or exc}"
            ) from exc
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise InvalidFileFormatError(
                f"--run-config {path}: expected a mapping of RunConfig fields (e.g. 'buffer_size: 500'), "
                f"got {type(data).__name__}"
            )
        fields.update(data)
    fields.update(overrides)
    try:
        return RunConfig.model_validate(fields)
    except ValidationError as exc:
        raise format_validation_error(exc, fields, what=f"run config{f' {path}' if path else ''}") from exc


# ---------------------------------------------------------------------------------------------------- check-models
def check_models_command(config_source: ConfigSourceArg, script_args: ScriptArgs = None) -> None:
    """Send one tiny request to every model alias the config uses and report which ones answer."""
    out = make_output()
    builder = _builder(config_source, script_args)
    results = _designer().check_models(builder)
    if not results:
        out.say("ℹ️ the config uses no model; nothing to check")
        return
    rows = [(r.alias, "skipped" if r.skipped else ("ok" if r.ok else f"failed: {r.error}")) for r in results]
    out.show(table_of("Model readiness", ["alias", "status"], rows))
    failed = [r.alias for r in results if not r.ok]
    if failed:
        from data_designer.errors import ModelError

        raise ModelError(f"model(s) not ready: {', '.join(failed)}; see the table above")
    out.say(f"✅ {len(results)} model alias(es) ready", style="green")
