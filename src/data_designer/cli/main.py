"""The ``data-designer`` Typer application and the ``main()`` console-script entry point.

Importing this module loads only Typer, Rich and the light command modules; pandas, pyarrow, aiohttp and the engine
are imported by the command that needs them. ``main()`` is the single place that turns a ``DataDesignerError`` (or
an ``OSError`` such as a read-only home) into ``Error: <message>`` on stderr and exit code 1, so no command prints a
traceback for a mistake the user can fix.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated

import typer

from data_designer.cli.commands.config_cmds import config_app
from data_designer.cli.commands.generation import (
    check_models_command,
    create_command,
    preview_command,
    validate_command,
)
from data_designer.cli.commands.simulate import simulate_command

__all__ = ["app", "main"]

PROG_NAME = "data-designer"

app = typer.Typer(
    name=PROG_NAME,
    help="Generate synthetic datasets from declarative column configs, orchestrating LLM inference servers.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        from data_designer import __version__

        typer.echo(f"{PROG_NAME} {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", is_eager=True, callback=_print_version, help="Print the version and exit."),
    ] = False,
) -> None:
    """Every command first makes sure the default provider and model files exist under DATA_DESIGNER_HOME."""
    if ctx.resilient_parsing:
        return
    from data_designer.models.defaults import ensure_default_files

    ensure_default_files()


_SCRIPT_ARGS = {"allow_interspersed_args": True}
app.command("validate", context_settings=_SCRIPT_ARGS)(validate_command)
app.command("preview", context_settings=_SCRIPT_ARGS)(preview_command)
app.command("create", context_settings=_SCRIPT_ARGS)(create_command)
app.command("check-models", context_settings=_SCRIPT_ARGS)(check_models_command)
app.command("simulate")(simulate_command)
app.add_typer(config_app, name="config")


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point; ``argv`` defaults to ``sys.argv[1:]``."""
    from data_designer.errors import DataDesignerError

    command = typer.main.get_command(app)
    try:
        command.main(args=list(argv) if argv is not None else None, prog_name=PROG_NAME, standalone_mode=True)
    except DataDesignerError as exc:
        from data_designer.cli.render import print_error

        print_error(str(exc))
        sys.exit(1)
    except OSError as exc:
        from data_designer.cli.render import print_error

        print_error(f"{exc}; check the path and its permissions")
        sys.exit(1)


if __name__ == "__main__":
    main()
