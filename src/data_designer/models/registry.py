"""``ModelRegistry``: model aliases -> lazily built :class:`ModelFacade` objects sharing clients and throttles.

Design note
-----------
* Construction is cheap and does no I/O: every alias whose provider is known registers its
  ``max_parallel_requests`` with the :class:`ThrottleRegistry` (the endpoint ceiling is the minimum over aliases).
  API keys are resolved and HTTP clients built only when an alias is first used, so an unused alias with a missing
  key never blocks a run. :meth:`validate_aliases` checks the aliases a config uses up front.
* One HTTP client (connection pool) per provider, sized for the sum of its aliases' ``max_parallel_requests``.
* Usage stats live per alias and survive for the registry's lifetime (``usage_stats()``).
"""

from __future__ import annotations

import asyncio
import difflib
from collections.abc import Iterable, Sequence
from typing import Any

from data_designer.config.models import ModelConfig, ModelProvider
from data_designer.errors import DataDesignerRuntimeError, NoModelProvidersError, UnknownProviderError
from data_designer.models.client import OpenAICompatibleClient, create_client, pool_size_for
from data_designer.models.executor import RequestExecutor, RetryPolicy
from data_designer.models.facade import ModelFacade
from data_designer.models.secrets import SecretResolver, default_secret_resolver, resolve_api_key
from data_designer.models.usage import ModelUsageStats

__all__ = ["ModelRegistry"]


class ModelRegistry:
    def __init__(
        self,
        model_configs: Sequence[ModelConfig],
        providers: Sequence[ModelProvider],
        secret_resolver: SecretResolver | None = None,
        throttle_config: Any = None,
        *,
        throttle_registry: Any = None,
        retry_policy: RetryPolicy | None = None,
        clock: Any = None,
    ) -> None:
        from data_designer.throttle import ThrottleRegistry

        self._configs: dict[str, ModelConfig] = {}
        for config in model_configs:
            if config.alias in self._configs and self._configs[config.alias] != config:
                raise DataDesignerRuntimeError(
                    f"model alias {config.alias!r} is defined twice with different settings; give each alias a "
                    "unique name"
                )
            self._configs[config.alias] = config
        self._providers: dict[str, ModelProvider] = {p.name: p for p in providers}
        self._resolver = secret_resolver or default_secret_resolver()
        self.throttle = throttle_registry or ThrottleRegistry(throttle_config, clock=clock)
        self._policy = retry_policy or RetryPolicy()
        self._clock = clock
        self._facades: dict[str, ModelFacade] = {}
        self._clients: dict[str, OpenAICompatibleClient] = {}
        self._usage: dict[str, ModelUsageStats] = {}
        self._engine_loop: asyncio.AbstractEventLoop | None = None
        self._pool_sizes: dict[str, int] = {}
        for config in self._configs.values():
            if config.provider in self._providers:
                mpr = config.inference_parameters.max_parallel_requests
                self.throttle.register(config.provider, config.model, mpr)
                self._pool_sizes[config.provider] = self._pool_sizes.get(config.provider, 0) + mpr

    # ------------------------------------------------------------ lookup
    @property
    def model_configs(self) -> dict[str, ModelConfig]:
        return dict(self._configs)

    @property
    def providers(self) -> dict[str, ModelProvider]:
        return dict(self._providers)

    def get_model_config(self, alias: str) -> ModelConfig:
        config = self._configs.get(alias)
        if config is None:
            known = sorted(self._configs)
            close = difflib.get_close_matches(alias, known, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise DataDesignerRuntimeError(
                f"model alias {alias!r} is not defined.{hint} Known aliases: {', '.join(known) or '(none)'}; "
                "add a ModelConfig with this alias or fix the column's model_alias"
            )
        return config

    def get_provider(self, alias: str) -> ModelProvider:
        config = self.get_model_config(alias)
        provider = self._providers.get(config.provider)
        if provider is None:
            if not self._providers:
                raise NoModelProvidersError(
                    f"model alias {alias!r} needs provider {config.provider!r}, but no model providers are "
                    "configured; add one with `data-designer config providers` or pass model_providers=[...]"
                )
            close = difflib.get_close_matches(config.provider, list(self._providers), n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise UnknownProviderError(
                f"model alias {alias!r} uses provider {config.provider!r}, which is not configured.{hint} "
                f"Known providers: {', '.join(sorted(self._providers))}; fix the model config's provider or add "
                "that provider"
            )
        return provider

    def validate_aliases(self, aliases: Iterable[str]) -> None:
        """Fail fast (before any generation) on an unknown alias or provider among ``aliases``."""
        for alias in sorted(set(aliases)):
            self.get_provider(alias)

    def get_model(self, model_alias: str) -> ModelFacade:
        facade = self._facades.get(model_alias)
        if facade is None:
            facade = self._facades[model_alias] = self._build(model_alias)
        return facade

    def get_models(self, aliases: Iterable[str]) -> dict[str, ModelFacade]:
        return {alias: self.get_model(alias) for alias in aliases}

    def _build(self, alias: str) -> ModelFacade:
        config = self.get_model_config(alias)
        provider = self.get_provider(alias)
        client = self._clients.get(provider.name)
        if client is None:
            api_key = resolve_api_key(provider.api_key, self._resolver, provider_name=provider.name, model_alias=alias)
            client = create_client(
                provider, api_key, max_connections=pool_size_for(self._pool_sizes.get(provider.name, 4))
            )
            self._clients[provider.name] = client
        usage = self._usage.setdefault(
            alias, ModelUsageStats(model_alias=alias, model_name=config.model, provider=provider.name)
        )
        throttle, provider_name, model = self.throttle, provider.name, config.model
        executor = RequestExecutor(
            lambda domain: throttle.get(provider_name, model, domain), usage, policy=self._policy, clock=self._clock
        )
        return ModelFacade(config, provider, client=client, executor=executor, engine_loop=self._engine_loop)

    # ------------------------------------------------------------ runtime wiring
    def set_engine_loop(self, loop: asyncio.AbstractEventLoop | None) -> None:
        """The loop the engine runs on; sync ``ModelFacade.generate`` calls from worker threads are sent there."""
        self._engine_loop = loop
        for facade in self._facades.values():
            facade.engine_loop = loop

    def usage_stats(self) -> dict[str, ModelUsageStats]:
        return dict(self._usage)

    def usage_summary(self) -> dict[str, dict[str, Any]]:
        return {alias: stats.to_dict() for alias, stats in self._usage.items() if stats.total_requests}

    async def aclose(self) -> None:
        for client in self._clients.values():
            await client.aclose()

    def close(self) -> None:
        """Forget HTTP sessions; use :meth:`aclose` from the engine loop to close them cleanly."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            if self._engine_loop is not None and self._engine_loop.is_running():
                asyncio.run_coroutine_threadsafe(self.aclose(), self._engine_loop).result(timeout=10)
            return
        raise DataDesignerRuntimeError("ModelRegistry.close() called inside an event loop; use `await aclose()`")
