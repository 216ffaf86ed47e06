import pytest

from data_designer.errors import InvalidFileFormatError
from data_designer.models import defaults


@pytest.fixture()
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("DATA_DESIGNER_HOME", str(tmp_path / "dd-home"))
    return tmp_path / "dd-home"


def test_home_comes_from_env_or_defaults_to_dot_dir(home, monkeypatch):
    assert defaults.data_designer_home() == home
    monkeypatch.delenv("DATA_DESIGNER_HOME")
    assert defaults.data_designer_home().name == ".data-designer"


def test_default_aliases_cover_every_provider_and_role():
    aliases = {m.alias for m in defaults.default_model_configs()}
    for provider in ("nvidia", "openai", "openrouter"):
        for role in ("text", "reasoning", "vision", "embedding"):
            assert f"{provider}-{role}" in aliases
    by_alias = {m.alias: m for m in defaults.default_model_configs()}
    assert by_alias["nvidia-embedding"].generation_type == "embedding"
    assert by_alias["openai-text"].inference_parameters.temperature == 0.85
    assert {p.api_key for p in defaults.default_model_providers()} == {
        "NVIDIA_API_KEY",
        "OPENAI_API_KEY",
        "OPENROUTER_API_KEY",
    }


def test_ensure_default_files_writes_once_and_round_trips(home):
    defaults.ensure_default_files()
    text = defaults.model_providers_path().read_text()
    assert text.startswith("providers:")
    assert defaults.model_configs_path().read_text().startswith("model_configs:")
    assert defaults.load_model_providers() == defaults.default_model_providers()
    assert defaults.load_model_configs() == defaults.default_model_configs()
    kept = defaults.load_model_providers()[:1]
    defaults.save_model_providers(kept)
    defaults.ensure_default_files()  # does not overwrite an existing file
    assert [p.name for p in defaults.load_model_providers()] == ["nvidia"]


def test_invalid_yaml_entries_name_the_entry(home):
    home.mkdir(parents=True)
    defaults.model_configs_path().write_text("model_configs:\n  - alias: x\n    model: m\n")
    with pytest.raises(InvalidFileFormatError, match="entry 0"):
        defaults.load_model_configs()


def test_mask_secret_shows_env_names_but_masks_literals():
    assert defaults.mask_secret("NVIDIA_API_KEY") == "NVIDIA_API_KEY"
    assert defaults.mask_secret("sk-abcdefghijklmnop") == "****mnop"
    assert "abc" not in defaults.mask_secret("sk-abc")
