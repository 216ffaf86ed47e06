"""``DataDesigner``: the synchronous public entry point (create, preview, validate, check_models)."""

from __future__ import annotations

import dataclasses
import datetime
import logging
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from data_designer.config.config_builder import DataDesignerConfigBuilder
from data_designer.config.data_designer_config import DataDesignerConfig
from data_designer.config.run_config import ResumeMode, RunConfig
from data_designer.config.version import get_library_version
from data_designer.engine.build import seed_column_names
from data_designer.engine.checkpoint import Checkpointer
from data_designer.engine.policy import RowGroupSpec
from data_designer.engine.run import EngineRun, run_coroutine, select_policy
from data_designer.errors import (
    DataDesignerEarlyShutdownError,
    DataDesignerError,
    DataDesignerGenerationError,
    InvalidConfigError,
)
from data_designer.generators.base import GeneratorContext
from data_designer.interface.logging_setup import configure_logging
from data_designer.interface.progress import make_sinks
from data_designer.interface.results import DatasetCreationResults, DatasetMetadata, PreviewResults
from data_designer.interface.run_setup import prepare_dataset_dir
from data_designer.interface.run_support import (
    RunMetadata,
    as_config,
    compile_templates,
    is_model_setup_error,
    log_usage,
    profile_frame,
    profile_stored_dataset,
    retry_policy,
)
from data_designer.plan.compile import ExecutionPlan, compile_plan
from data_designer.storage.artifacts import ArtifactStorage
from data_designer.storage.resume import layout_row_groups

__all__ = ["DataDesigner"]

logger = logging.getLogger("data_designer")


class DataDesigner:
    def __init__(
        self,
        artifact_path: str | Path | None = None,
        *,
        model_providers: list[Any] | None = None,
        secret_resolver: Any = None,
        seed_readers: list[Any] | None = None,
        managed_assets_path: str | Path | None = None,
        person_reader: Any = None,
        mcp_providers: list[Any] | None = None,
        auto_configure_logging: bool = True,
    ) -> None:
        from data_designer.models import defaults
        from data_designer.models.secrets import default_secret_resolver

        if auto_configure_logging:
            configure_logging()
        self._artifact_path = Path(artifact_path) if artifact_path is not None else Path.cwd() / "artifacts"
        home = defaults.ensure_default_files()
        self._model_providers = (
            list(model_providers) if model_providers is not None else defaults.load_model_providers()
        )
        self._secret_resolver = secret_resolver or default_secret_resolver()
        self._managed_assets_path = Path(managed_assets_path) if managed_assets_path else home / "managed-assets"
        unsupported = {"seed_readers": seed_readers, "person_reader": person_reader, "mcp_providers": mcp_providers}
        given = [name for name, value in unsupported.items() if value]
        if given:
            raise InvalidConfigError(
                f"DataDesigner({', '.join(f'{n}=...' for n in given)}): custom seed readers, person readers and MCP "
                "providers are not supported by this implementation yet; use the built-in seed sources, "
                "person_from_faker / a local personas parquet, and leave tool use out"
            )
        if model_providers is None:
            from data_designer.models.secrets import providers_missing_keys

            missing = providers_missing_keys(self._model_providers, self._secret_resolver)
            if self._model_providers and len(missing) == len(self._model_providers):
                keys = ", ".join(sorted({str(p.api_key) for p in self._model_providers if p.api_key}))
                logger.warning(
                    "🔑 no model provider has an API key (%s); LLM columns will fail until one is set, or pass "
                    "model_providers=[...] for your own endpoint",
                    keys or "none configured",
                )
        self._run_config = RunConfig()
        self.last_model_usage: dict[str, Any] = {}

    # ------------------------------------------------------------------ properties
    @property
    def artifact_path(self) -> Path:
        return self._artifact_path

    @property
    def secret_resolver(self) -> Any:
        return self._secret_resolver

    @property
    def run_config(self) -> RunConfig:
        return self._run_config

    @property
    def model_providers(self) -> list[Any]:
        return list(self._model_providers)

    def set_run_config(self, run_config: RunConfig) -> None:
        if not isinstance(run_config, RunConfig):
            raise InvalidConfigError(f"set_run_config expects a RunConfig, got {type(run_config).__name__}")
        self._run_config = run_config

    def get_default_model_configs(self) -> list[Any]:
        from data_designer.models.defaults import load_model_configs

        return load_model_configs()

    def get_default_model_providers(self) -> list[Any]:
        from data_designer.models.defaults import load_model_providers

        return load_model_providers()

    # ------------------------------------------------------------------ planning
    def _plan(self, config: DataDesignerConfig, seed: int) -> ExecutionPlan:
        return compile_plan(config, seed_columns=seed_column_names(config.seed_config, seed=seed))

    def validate(self, config_builder: Any) -> None:
        """Compile and statically validate; raises ``InvalidConfigError`` (or a subclass) naming what to fix."""
        config = as_config(config_builder)
        plan = self._plan(config, 0)
        compile_templates(config, self._run_config)
        for violation in plan.violations:
            logger.warning("⚠️ %s: %s", violation.column or "config", violation.message)
        self._model_registry(config, plan, validate_only=True)

    def _model_registry(
        self, config: DataDesignerConfig, plan: ExecutionPlan, *, validate_only: bool = False, policy: Any = None
    ) -> Any:
        aliases = _model_aliases(plan)
        if not aliases:
            return None
        from data_designer.models.executor import RetryPolicy
        from data_designer.models.registry import ModelRegistry

        registry = ModelRegistry(
            list(config.model_configs or []),
            self._model_providers,
            self._secret_resolver,
            self._run_config.effective_throttle,
            retry_policy=retry_policy(RetryPolicy, policy),
        )
        registry.validate_aliases(aliases)
        if validate_only:
            return None
        return registry

    def _context(
        self, registry: Any, mode: str, artifact_dir: Path | None, extras: dict | None = None
    ) -> GeneratorContext:
        engine = getattr(self._run_config.jinja_rendering_engine, "value", self._run_config.jinja_rendering_engine)
        return GeneratorContext(
            run_config=self._run_config,
            mode=mode,
            artifact_dir=artifact_dir,
            managed_assets_path=self._managed_assets_path,
            models=registry,
            jinja_engine=engine,
            extras=extras or {},
        )

    async def _execute(self, run: EngineRun, registry: Any, aliases: list[str]) -> Any:
        import asyncio

        if registry is not None:
            registry.set_engine_loop(asyncio.get_running_loop())
            from data_designer.models.readiness import acheck_readiness

            try:
                await acheck_readiness(registry, aliases)
            except BaseException:
                await registry.aclose()
                raise
        return await run.execute()

    def _policy_and_extras(self, plan: ExecutionPlan | None = None) -> tuple[Any, dict[str, Any]]:
        policy = select_policy()
        if plan is not None and plan.allows_resize and not policy.column_barrier:
            # Row counts may change at a resize column, so columns run one after another within a row group.
            policy = dataclasses.replace(
                policy, name=f"{policy.name} (column barriers for allow_resize)", column_barrier=True
            )
        extras: dict[str, Any] = {}
        if policy.name == "sync":
            extras["model_call_kwargs"] = {}
        return policy, extras

    # ------------------------------------------------------------------ create
    def create(
        self,
        config_builder: Any,
        *,
        num_records: int = 10,
        dataset_name: str = "dataset",
        resume: ResumeMode | str = ResumeMode.NEVER,
        artifact_path: str | Path | None = None,
        on_batch_complete: Callable[[Path], None] | None = None,
    ) -> DatasetCreationResults:
        if not isinstance(num_records, int) or num_records <= 0:
            raise InvalidConfigError(f"num_records must be a positive integer, got {num_records!r}")
        run_config = self._run_config
        try:
            resume = ResumeMode(getattr(resume, "value", resume))
        except ValueError:
            raise InvalidConfigError(
                f"unknown resume mode {resume!r}; use ResumeMode.NEVER, ALWAYS or IF_POSSIBLE (never/always/if_possible)"
            ) from None
        config = as_config(config_builder)
        fingerprint = config.fingerprint()
        setup = prepare_dataset_dir(
            Path(artifact_path) if artifact_path is not None else self._artifact_path,
            dataset_name,
            mode=getattr(resume, "value", resume),
            fingerprint=fingerprint,
            run_config=run_config,
            num_records=num_records,
            allows_resize=any(getattr(c, "allow_resize", False) for c in config.columns),
        )
        storage: ArtifactStorage = setup.storage
        seed = (
            setup.seed
            if setup.seed is not None
            else (run_config.seed if run_config.seed is not None else secrets.randbits(31))
        )
        plan = self._plan(config, seed)
        if setup.decision.action == "complete":
            logger.warning(
                "♻️ dataset %s is already complete (%d records); nothing to generate",
                storage.dataset_dir,
                sum(setup.decision.completed.values()),
            )
            return self._creation_results(storage, plan, config, num_records, [], {})
        policy, extras = self._policy_and_extras(plan)
        registry = self._model_registry(config, plan, policy=policy)
        aliases = _model_aliases(plan)
        storage.write_builder_config({"data_designer": config.to_dict(), "library_version": get_library_version()})
        metadata = RunMetadata(
            storage,
            setup.base_metadata(storage, seed=seed, config_fingerprint=fingerprint, num_records=num_records),
            config,
            registry,
        )
        metadata.data.setdefault("reference_date", datetime.date.today().isoformat())
        extras["reference_date"] = datetime.date.fromisoformat(metadata.data["reference_date"])
        metadata.write()

        journal = None
        if run_config.cell_journal and not plan.allows_resize:
            from data_designer.storage.journal import CellJournal
            from data_designer.throttle.clock import MonotonicClock

            journal = CellJournal(storage.journal_dir, MonotonicClock(), background=True)
        context = self._context(registry, "create", storage.dataset_dir, extras)
        checkpointer = Checkpointer(
            plan,
            storage=storage,
            run_config=run_config,
            on_batch_written=metadata.on_batch_written,
            on_empty_group=metadata.on_empty_group,
            on_batch_complete=on_batch_complete,
            journal=journal,
        )
        groups = (
            [g for g in setup.decision.remaining]
            if setup.decision.action == "resume"
            else layout_row_groups(setup.decision.segments, run_config.buffer_size)
        )
        run = self._engine_run(
            plan, context, registry, policy, checkpointer, groups, seed, storage.dataset_dir, journal
        )
        if journal is not None:
            journal.prune(set(setup.decision.completed))
        started = time.monotonic()
        try:
            outcome = self._run_engine(run, registry, aliases)
        finally:
            usage = registry.usage_summary() if registry is not None else {}
            self.last_model_usage = usage
            metadata.finish(usage, time.monotonic() - started)
        log_usage(usage)
        total = sum(storage.completed_batches().values())
        if total == 0:
            self._raise_empty(outcome)
        if total < num_records:
            logger.warning(
                "⚠️ generated %d of %d requested records (%.1f%%)", total, num_records, 100.0 * total / num_records
            )
        results = self._creation_results(storage, plan, config, num_records, outcome.traces, usage)
        if results._analysis is not None:
            metadata.data["column_statistics"] = [
                stat.model_dump(mode="json") for stat in results._analysis.column_statistics
            ]
            metadata.write()
        return results

    def _engine_run(
        self, plan, context, registry, policy, checkpointer, groups, seed, dataset_dir=None, journal=None
    ) -> EngineRun:
        """One run over ``groups`` ((id, offset, size) triples); shared by create and preview."""
        return EngineRun(
            plan=plan,
            context=context,
            row_groups=[RowGroupSpec(*g) for g in groups],
            checkpointer=checkpointer,
            seed=seed,
            target_records=sum(g[2] for g in groups),
            policy=policy,
            sinks=make_sinks(self._run_config, dataset_dir),
            journal=journal,
            throttle_snapshots=(registry.throttle.snapshots if registry is not None else None),
        )

    def _run_engine(self, run: EngineRun, registry: Any, aliases: list[str]) -> Any:
        try:
            return run_coroutine(self._execute(run, registry, aliases))
        except KeyboardInterrupt:
            logger.warning("🛑 interrupted; completed batches are on disk, resume with resume=ResumeMode.ALWAYS")
            raise
        except (DataDesignerGenerationError, InvalidConfigError):
            raise
        except DataDesignerError as exc:
            if is_model_setup_error(exc):
                raise
            raise DataDesignerGenerationError(f"🛑 error generating the dataset: {exc}") from exc

    @staticmethod
    def _raise_empty(outcome: Any) -> None:
        if outcome.early_shutdown:
            raise DataDesignerEarlyShutdownError(
                "generation stopped early because the error rate exceeded RunConfig.shutdown_error_rate and no "
                f"record was produced; last error: {outcome.first_failure}"
            )
        if outcome.first_failure is not None:
            raise DataDesignerGenerationError(
                f"no record was produced; every row failed. First error: {outcome.first_failure}"
            ) from outcome.first_failure
        raise DataDesignerGenerationError("no record was produced")

    def _creation_results(self, storage, plan, config, target, traces, usage) -> DatasetCreationResults:
        results = DatasetCreationResults(
            artifact_storage=storage,
            analysis=None,
            dataset_metadata=DatasetMetadata(plan.seed_columns),
            task_traces=traces,
            column_configs=list(config.columns),
            model_usage=usage,
            target_num_records=target,
        )
        results._analysis = profile_stored_dataset(storage, plan, target)
        return results

    async def acreate(self, config_builder: Any, **kwargs: Any) -> DatasetCreationResults:
        import asyncio

        kwargs.pop("on_batch_complete", None)
        return await asyncio.to_thread(self.create, config_builder, **kwargs)

    # ------------------------------------------------------------------ preview
    def preview(self, config_builder: Any, *, num_records: int = 10) -> PreviewResults:
        if not isinstance(num_records, int) or num_records <= 0:
            raise InvalidConfigError(f"num_records must be a positive integer, got {num_records!r}")
        config = as_config(config_builder)
        seed = self._run_config.seed if self._run_config.seed is not None else secrets.randbits(31)
        plan = self._plan(config, seed)
        policy, extras = self._policy_and_extras(plan)
        registry = self._model_registry(config, plan, policy=policy)
        aliases = _model_aliases(plan)
        context = self._context(registry, "preview", None, extras)
        checkpointer = Checkpointer(plan, storage=None, run_config=self._run_config)
        groups = layout_row_groups([(0, 0, num_records)], num_records)
        run = self._engine_run(plan, context, registry, policy, checkpointer, groups, seed)
        outcome = self._run_engine(run, registry, aliases)
        usage = registry.usage_summary() if registry is not None else {}
        self.last_model_usage = usage
        import pyarrow as pa

        if not checkpointer.tables:
            self._raise_empty(outcome)
        df = pa.concat_tables(checkpointer.tables, promote_options="permissive").to_pandas()
        return PreviewResults(
            dataset=df,
            analysis=profile_frame(df, plan, num_records),
            processor_artifacts={k: list(v) for k, v in checkpointer.processor_rows.items()},
            dataset_metadata=DatasetMetadata(plan.seed_columns),
            task_traces=outcome.traces,
            column_configs=list(config.columns),
            model_usage=usage,
            config_builder=config_builder if isinstance(config_builder, DataDesignerConfigBuilder) else None,
        )

    def compose_workflow(self, *, name: str) -> Any:
        """Experimental: chain stages, each seeded with the previous stage's output."""
        from data_designer.interface.workflow import CompositeWorkflow

        return CompositeWorkflow(self, name)

    # ------------------------------------------------------------------ models
    def check_models(
        self, config_builder: Any, *, max_attempts: int = 1, retry_backoff_seconds: float = 0
    ) -> list[Any]:
        config = as_config(config_builder)
        plan = self._plan(config, 0)
        registry = self._model_registry(config, plan)
        if registry is None:
            return []
        aliases = _model_aliases(plan)
        from data_designer.models.readiness import acheck_readiness

        async def probe() -> list[Any]:
            import asyncio

            try:
                for attempt in range(1, max_attempts + 1):
                    results = await acheck_readiness(registry, aliases, raise_on_failure=attempt == max_attempts)
                    if all(r.ok for r in results):
                        return results
                    await asyncio.sleep(attempt * retry_backoff_seconds)
                return results
            finally:
                await registry.aclose()

        return run_coroutine(probe())

    def get_models(self, model_aliases: list[str]) -> dict[str, Any]:
        from data_designer.models.defaults import load_model_configs
        from data_designer.models.registry import ModelRegistry

        builder_models = load_model_configs()
        registry = ModelRegistry(
            builder_models, self._model_providers, self._secret_resolver, self._run_config.effective_throttle
        )
        return registry.get_models(model_aliases)


def _model_aliases(plan: ExecutionPlan) -> list[str]:
    return sorted({a for n in plan.nodes if n.kind in ("cell", "full_column") for a in n.config.get_model_aliases()})
