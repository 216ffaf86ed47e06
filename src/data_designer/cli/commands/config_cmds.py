"""``data-designer config``: inspect and edit the provider and model-alias YAML files under ``$DATA_DESIGNER_HOME``.

Every edit is a flag-driven, non-interactive command (scripts and tests drive them) that loads the file through
``data_designer.models.defaults``, validates the changed entry with the same pydantic model the engine uses, and
writes the file atomically. API keys are shown only through ``mask_secret`` and header values never.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, NoReturn

import typer

from data_designer.cli.render import make_output, mask_headers, table_of

__all__ = ["config_app"]

config_app = typer.Typer(help="Show and edit model providers and model aliases.", no_args_is_help=True)
providers_app = typer.Typer(help="Add, update, delete and list model providers.", no_args_is_help=True)
models_app = typer.Typer(help="Add, update, delete and list model aliases.", no_args_is_help=True)
config_app.add_typer(providers_app, name="providers")
config_app.add_typer(models_app, name="models")


class GenerationTypeChoice(str, Enum):
    chat_completion = "chat-completion"
    embedding = "embedding"
    image = "image"


# ---------------------------------------------------------------------------------------------------- helpers
def _defaults() -> Any:
    from data_designer.models import defaults

    return defaults


def _fail(message: str) -> NoReturn:
    from data_designer.errors import InvalidConfigError

    raise InvalidConfigError(message)


def _validated(cls: type, data: dict[str, Any], what: str) -> Any:
    from pydantic import ValidationError

    from data_designer.config.loading import format_validation_error

    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        raise format_validation_error(exc, data, what=what) from exc


def _parse_headers(pairs: list[str] | None) -> dict[str, str] | None:
    if not pairs:
        return None
    headers: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            _fail(f"--extra-header {pair.split('=')[0]!r}: expected NAME=VALUE, e.g. --extra-header X-Team=research")
        headers[name.strip()] = value
    return headers


def _providers_table(providers: list[Any]) -> Any:
    mask = _defaults().mask_secret
    rows = [(p.name, p.endpoint, p.provider_type, mask(p.api_key), mask_headers(p.extra_headers)) for p in providers]
    return table_of("Model providers", ["name", "endpoint", "type", "api_key", "extra_headers"], rows)


def _number(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "model_dump"):
        return str(value.model_dump(mode="json"))
    return str(value)


def _models_table(configs: list[Any]) -> Any:
    rows = []
    for m in configs:
        params = m.inference_parameters
        kind = getattr(params.generation_type, "value", params.generation_type)
        rows.append(
            (
                m.alias,
                m.model,
                m.provider,
                kind,
                params.max_parallel_requests,
                _number(getattr(params, "temperature", None)),
                _number(getattr(params, "top_p", None)),
                _number(getattr(params, "max_tokens", None)),
                _number(params.timeout),
            )
        )
    headers = ["alias", "model", "provider", "type", "max_parallel", "temperature", "top_p", "max_tokens", "timeout"]
    return table_of("Model configs", headers, rows)


def _find(items: list[Any], key: str, value: str) -> int | None:
    for index, item in enumerate(items):
        if getattr(item, key) == value:
            return index
    return None


def _require(items: list[Any], key: str, value: str, noun: str) -> int:
    """Index of the item whose ``key`` is ``value``; otherwise exit with an error listing the known ones."""
    index = _find(items, key, value)
    if index is None:
        known = ", ".join(getattr(item, key) for item in items) or "(none)"
        _fail(f"{noun} {value!r} not found; known {noun.split()[-1]}s: {known}")
    return index


# ---------------------------------------------------------------------------------------------------- list / reset
@config_app.command("list")
def list_command() -> None:
    """Show the configured providers (API keys masked) and model aliases."""
    defaults = _defaults()
    out = make_output()
    out.say(f"📁 config home: {defaults.data_designer_home()}")
    out.show(_providers_table(defaults.load_model_providers()))
    out.show(_models_table(defaults.load_model_configs()))


@config_app.command("reset")
def reset_command(
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete model_providers.yaml and model_configs.yaml; the defaults are written again on next use."""
    defaults = _defaults()
    out = make_output()
    paths = [defaults.model_providers_path(), defaults.model_configs_path()]
    if not yes:
        if not out.interactive:
            _fail("config reset deletes your provider and model files; pass --yes to confirm in a script")
        if not typer.confirm(f"Delete {', '.join(str(p) for p in paths)}?", default=False):
            out.say("nothing deleted")
            return
    for path in paths:
        path.unlink(missing_ok=True)
    out.say("🗑️ provider and model configs deleted; defaults will be restored on next use")


# ---------------------------------------------------------------------------------------------------- providers
NameOption = Annotated[str, typer.Option("--name", help="Provider name (what model configs refer to).")]
HeaderOption = Annotated[
    list[str] | None, typer.Option("--extra-header", help="NAME=VALUE header sent with every request (repeatable).")
]


@providers_app.command("list")
def providers_list_command() -> None:
    """Show the configured providers (API keys masked)."""
    make_output().show(_providers_table(_defaults().load_model_providers()))


@providers_app.command("add")
def providers_add_command(
    name: NameOption,
    endpoint: Annotated[str, typer.Option("--endpoint", help="Base URL, e.g. http://127.0.0.1:8000/v1.")],
    api_key: Annotated[
        str | None, typer.Option("--api-key", help="An environment variable name (preferred) or a literal key.")
    ] = None,
    provider_type: Annotated[str, typer.Option("--provider-type", help="Wire protocol.")] = "openai",
    extra_header: HeaderOption = None,
) -> None:
    """Add a provider."""
    from data_designer.config.models import ModelProvider

    defaults = _defaults()
    providers = defaults.load_model_providers()
    if _find(providers, "name", name) is not None:
        _fail(f"provider {name!r} already exists; use 'data-designer config providers update --name {name}'")
    data: dict[str, Any] = {"name": name, "endpoint": endpoint, "provider_type": provider_type, "api_key": api_key}
    headers = _parse_headers(extra_header)
    if headers:
        data["extra_headers"] = headers
    provider = _validated(ModelProvider, data, what=f"provider {name!r}")
    path = defaults.save_model_providers([*providers, provider])
    make_output().say(f"✅ provider {name!r} added ({provider.endpoint}) to {path}")


@providers_app.command("update")
def providers_update_command(
    name: NameOption,
    endpoint: Annotated[str | None, typer.Option("--endpoint", help="New base URL.")] = None,
    api_key: Annotated[str | None, typer.Option("--api-key", help="New API key or env-var name.")] = None,
    provider_type: Annotated[str | None, typer.Option("--provider-type", help="New wire protocol.")] = None,
    extra_header: HeaderOption = None,
) -> None:
    """Change fields of an existing provider (only the options given; --extra-header replaces all headers)."""
    from data_designer.config.models import ModelProvider

    defaults = _defaults()
    providers = defaults.load_model_providers()
    index = _require(providers, "name", name, "provider")
    data = providers[index].model_dump(mode="json", exclude_none=True)
    changes = {"endpoint": endpoint, "api_key": api_key, "provider_type": provider_type}
    data.update({k: v for k, v in changes.items() if v is not None})
    headers = _parse_headers(extra_header)
    if headers is not None:
        data["extra_headers"] = headers
    providers[index] = _validated(ModelProvider, data, what=f"provider {name!r}")
    path = defaults.save_model_providers(providers)
    make_output().say(f"✅ provider {name!r} updated in {path}")


@providers_app.command("delete")
def providers_delete_command(name: NameOption) -> None:
    """Delete a provider (model aliases that use it are kept; a warning names them)."""
    defaults = _defaults()
    providers = defaults.load_model_providers()
    index = _require(providers, "name", name, "provider")
    del providers[index]
    path = defaults.save_model_providers(providers)
    make_output().say(f"🗑️ provider {name!r} deleted from {path}")
    users = [m.alias for m in defaults.load_model_configs() if m.provider == name]
    if users:
        _warn(f"model alias(es) {', '.join(users)} still use provider {name!r}; update or delete them")


def _warn(message: str) -> None:
    import sys

    sys.stderr.write(f"Warning: {message}\n")


# ---------------------------------------------------------------------------------------------------- models
AliasOption = Annotated[str, typer.Option("--alias", help="Model alias (what columns refer to as model_alias).")]
ParallelOption = Annotated[
    int | None, typer.Option("--max-parallel-requests", min=1, help="Concurrency ceiling for this model.")
]
TemperatureOption = Annotated[float | None, typer.Option("--temperature", help="Sampling temperature (0-2).")]
TopPOption = Annotated[float | None, typer.Option("--top-p", help="Nucleus sampling (0-1).")]
MaxTokensOption = Annotated[int | None, typer.Option("--max-tokens", help="Maximum output tokens.")]
TimeoutOption = Annotated[int | None, typer.Option("--timeout", help="Per-request timeout in seconds (default 60).")]
GenerationTypeOption = Annotated[
    GenerationTypeChoice | None, typer.Option("--generation-type", help="What the model is called for.")
]
SkipHealthOption = Annotated[
    bool | None,
    typer.Option("--skip-health-check/--health-check", help="Skip the readiness probe.", show_default=False),
]


def _inference_parameters(current: dict[str, Any], kind: str, given: dict[str, Any], alias: str) -> dict[str, Any]:
    """Overlay the given options; a changed generation type keeps only the fields common to every type."""
    if current.get("generation_type", "chat-completion") != kind:
        current = {k: v for k, v in current.items() if k in ("max_parallel_requests", "timeout", "extra_body")}
    chat_only = [k for k in ("temperature", "top_p", "max_tokens") if given.get(k) is not None]
    if kind != "chat-completion" and chat_only:
        flags = ", ".join("--" + k.replace("_", "-") for k in chat_only)
        _fail(f"model {alias!r}: {flags} cannot be set on a {kind} model; they apply only to chat-completion models")
    return {**current, **{k: v for k, v in given.items() if v is not None}, "generation_type": kind}


def _check_provider(provider: str, alias: str) -> None:
    known = [p.name for p in _defaults().load_model_providers()]
    if provider not in known:
        _fail(
            f"model {alias!r}: unknown provider {provider!r}; known providers: {', '.join(known) or '(none)'} "
            "(add one with 'data-designer config providers add')"
        )


@models_app.command("list")
def models_list_command() -> None:
    """Show the configured model aliases."""
    make_output().show(_models_table(_defaults().load_model_configs()))


@models_app.command("add")
def models_add_command(
    alias: AliasOption,
    model: Annotated[str, typer.Option("--model", help="Model name the provider serves.")],
    provider: Annotated[str, typer.Option("--provider", help="Name of a configured provider.")],
    max_parallel_requests: ParallelOption = None,
    temperature: TemperatureOption = None,
    top_p: TopPOption = None,
    max_tokens: MaxTokensOption = None,
    timeout: TimeoutOption = None,
    generation_type: GenerationTypeOption = None,
    skip_health_check: SkipHealthOption = None,
) -> None:
    """Add a model alias."""
    from data_designer.config.models import ModelConfig

    defaults = _defaults()
    configs = defaults.load_model_configs()
    if _find(configs, "alias", alias) is not None:
        _fail(f"model alias {alias!r} already exists; use 'data-designer config models update --alias {alias}'")
    _check_provider(provider, alias)
    kind = (generation_type or GenerationTypeChoice.chat_completion).value
    given = {"max_parallel_requests": max_parallel_requests, "temperature": temperature, "top_p": top_p,
             "max_tokens": max_tokens, "timeout": timeout}  # fmt: skip
    data = {
        "alias": alias,
        "model": model,
        "provider": provider,
        "inference_parameters": _inference_parameters({}, kind, given, alias),
        "skip_health_check": bool(skip_health_check),
    }
    config = _validated(ModelConfig, data, what=f"model config {alias!r}")
    path = defaults.save_model_configs([*configs, config])
    make_output().say(f"✅ model alias {alias!r} ({model} via {provider}) added to {path}")


@models_app.command("update")
def models_update_command(
    alias: AliasOption,
    model: Annotated[str | None, typer.Option("--model", help="New model name.")] = None,
    provider: Annotated[str | None, typer.Option("--provider", help="New provider name.")] = None,
    max_parallel_requests: ParallelOption = None,
    temperature: TemperatureOption = None,
    top_p: TopPOption = None,
    max_tokens: MaxTokensOption = None,
    timeout: TimeoutOption = None,
    generation_type: GenerationTypeOption = None,
    skip_health_check: SkipHealthOption = None,
) -> None:
    """Change fields of an existing model alias (only the options given)."""
    from data_designer.config.models import ModelConfig

    defaults = _defaults()
    configs = defaults.load_model_configs()
    index = _require(configs, "alias", alias, "model alias")
    data = configs[index].model_dump(mode="json", exclude_none=True)
    if provider is not None:
        _check_provider(provider, alias)
        data["provider"] = provider
    if model is not None:
        data["model"] = model
    if skip_health_check is not None:
        data["skip_health_check"] = skip_health_check
    current = data.get("inference_parameters") or {}
    kind = generation_type.value if generation_type else current.get("generation_type", "chat-completion")
    given = {"max_parallel_requests": max_parallel_requests, "temperature": temperature, "top_p": top_p,
             "max_tokens": max_tokens, "timeout": timeout}  # fmt: skip
    data["inference_parameters"] = _inference_parameters(current, kind, given, alias)
    configs[index] = _validated(ModelConfig, data, what=f"model config {alias!r}")
    path = defaults.save_model_configs(configs)
    make_output().say(f"✅ model alias {alias!r} updated in {path}")


@models_app.command("delete")
def models_delete_command(alias: AliasOption) -> None:
    """Delete a model alias."""
    defaults = _defaults()
    configs = defaults.load_model_configs()
    index = _require(configs, "alias", alias, "model alias")
    del configs[index]
    path = defaults.save_model_configs(configs)
    make_output().say(f"🗑️ model alias {alias!r} deleted from {path}")
