import json

import pytest

from data_designer.errors import SecretResolutionError
from data_designer.models.secrets import (
    CompositeResolver,
    EnvironmentResolver,
    PlaintextResolver,
    SecretsFileResolver,
    resolve_api_key,
)


def _default(environ):
    return CompositeResolver([EnvironmentResolver(environ), PlaintextResolver()])


def test_env_var_name_resolves_from_environment():
    assert resolve_api_key("MY_API_KEY", _default({"MY_API_KEY": "s3cret"}), provider_name="p") == "s3cret"


def test_unset_env_var_name_names_the_variable_and_never_the_value():
    with pytest.raises(SecretResolutionError) as info:
        resolve_api_key("NVIDIA_API_KEY", _default({}), provider_name="nvidia", model_alias="nvidia-text")
    message = str(info.value)
    assert "NVIDIA_API_KEY" in message and "export NVIDIA_API_KEY" in message and "nvidia-text" in message


def test_literal_key_passes_through_and_is_not_echoed_on_failure(tmp_path):
    assert resolve_api_key("sk-literal-123", _default({}), provider_name="p") == "sk-literal-123"
    resolver = SecretsFileResolver(tmp_path / "missing.json")
    with pytest.raises(SecretResolutionError) as info:
        resolve_api_key("sk-literal-123", resolver, provider_name="p")
    assert "sk-literal-123" not in str(info.value)


def test_no_api_key_means_no_auth():
    assert resolve_api_key(None, _default({}), provider_name="p") is None
    assert resolve_api_key("", _default({}), provider_name="p") is None


def test_secrets_file_resolver_reads_json(tmp_path):
    path = tmp_path / "secrets.json"
    path.write_text(json.dumps({"MY_KEY": "v"}))
    assert resolve_api_key("MY_KEY", SecretsFileResolver(path), provider_name="p") == "v"
    path.write_text("[1]")
    with pytest.raises(SecretResolutionError, match="JSON object"):
        SecretsFileResolver(path).resolve("MY_KEY")


def test_composite_tries_in_order():
    resolver = CompositeResolver([EnvironmentResolver({"A_B": "env"}), PlaintextResolver()])
    assert resolver.resolve("A_B") == "env"
    assert resolver.resolve("literal") == "literal"
    assert "env" not in repr(resolver)


def test_providers_missing_keys_lists_only_unresolvable():
    from data_designer.config.models import ModelProvider
    from data_designer.models.secrets import providers_missing_keys

    providers = [
        ModelProvider(name="a", endpoint="http://h/v1", api_key="A_KEY"),
        ModelProvider(name="b", endpoint="http://h/v1", api_key="B_KEY"),
        ModelProvider(name="c", endpoint="http://h/v1"),
    ]
    assert providers_missing_keys(providers, _default({"A_KEY": "x"})) == ["b"]
