"""Registry keying: ceiling = min over aliases of an endpoint, one limiter per domain, settings passed through."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from data_designer.errors import DataDesignerRuntimeError, InvalidConfigError
from data_designer.throttle import FakeClock, Outcome, ThrottleRegistry


def test_ceiling_is_the_minimum_over_registrations_of_the_same_endpoint():
    reg = ThrottleRegistry(clock=FakeClock())
    reg.register("nvidia", "llama", 16)
    reg.register("nvidia", "llama", 8)
    reg.register("nvidia", "llama", 32)
    reg.register("openai", "llama", 32)
    assert reg.get("nvidia", "llama").max_limit == 8
    assert reg.get("openai", "llama").max_limit == 32


def test_later_smaller_registration_lowers_existing_limiters():
    reg = ThrottleRegistry(clock=FakeClock())
    reg.register("p", "m", 16)
    chat = reg.get("p", "m")
    reg.register("p", "m", 4)
    assert chat.max_limit == 4 and chat.limit == 4


def test_domains_get_independent_limiters_created_lazily():
    reg = ThrottleRegistry(clock=FakeClock())
    reg.register("p", "m", 4)
    assert reg.snapshots() == {}
    chat, emb = reg.get("p", "m"), reg.get("p", "m", "embedding")
    assert chat is reg.get("p", "m", "chat") and chat is not emb
    chat.try_acquire().release(Outcome.RATE_LIMITED)
    assert chat.limit == 3 and emb.limit == 4
    assert set(reg.snapshots()) == {"p/m/chat", "p/m/embedding"}
    assert reg.snapshots()["p/m/chat"]["rate_limited"] == 1


def test_config_is_duck_typed_including_the_newer_spelling():
    reg = ThrottleRegistry(SimpleNamespace(reduce_factor=0.5, cooldown_seconds=1.0), clock=FakeClock())
    assert reg.settings.reduce_factor == 0.5 and reg.settings.success_window == 25
    newer = ThrottleRegistry(SimpleNamespace(multiplicative_decrease_factor=0.6, startup_ramp_seconds=3.0))
    assert newer.settings.reduce_factor == 0.6 and newer.settings.rampup_seconds == 3.0


def test_unregistered_endpoint_and_unknown_domain_say_what_to_do():
    reg = ThrottleRegistry(clock=FakeClock())
    with pytest.raises(DataDesignerRuntimeError, match="register"):
        reg.get("p", "m")
    reg.register("p", "m", 2)
    with pytest.raises(DataDesignerRuntimeError, match="chat, embedding, image"):
        reg.get("p", "m", "audio")


@pytest.mark.parametrize("bad", [0, -3, 2.5, True])
def test_invalid_max_parallel_requests_is_rejected(bad):
    with pytest.raises(InvalidConfigError, match="max_parallel_requests"):
        ThrottleRegistry().register("p", "m", bad)
