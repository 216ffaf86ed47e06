"""Image columns: files under ``images/<column>/`` in create mode, base64 strings in preview."""

from __future__ import annotations

import asyncio
import base64
import re
import uuid
from pathlib import Path
from typing import Any

from data_designer.config.models import sniff_image_format
from data_designer.errors import ImageGenerationError
from data_designer.generators.base import CellGenerator, GeneratorContext, SchedulingKey
from data_designer.generators.jinja_render import compile_template
from data_designer.generators.multimodal import build_context_blocks

__all__ = ["ImageGenerator"]

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


class ImageGenerator(CellGenerator):
    def __init__(self, config: Any, context: GeneratorContext) -> None:
        super().__init__(config, context)
        self.prompt = compile_template(
            config.prompt, engine=context.jinja_engine, where=f"column {config.name!r} prompt"
        )
        self.facade = context.models.get_model(config.model_alias)
        self.contexts = list(config.multi_modal_context or [])
        self.folder = _UNSAFE.sub("_", config.name)

    @property
    def scheduling_key(self) -> SchedulingKey:
        from data_designer.models.facade import is_diffusion_model

        domain = "image" if is_diffusion_model(self.facade.model_name) else "chat"
        return SchedulingKey(self.facade.model_provider_name, self.facade.model_name, domain)

    @property
    def max_parallel_requests(self) -> int:
        return self.facade.max_parallel_requests

    async def agenerate(self, row: dict[str, Any]) -> dict[str, Any]:
        prompt = self.prompt.render(row)
        blocks = build_context_blocks(self.contexts, row, self.context.artifact_dir) if self.contexts else None
        images = await self.facade.agenerate_image(prompt, blocks)
        if self.context.mode == "preview" or self.context.artifact_dir is None:
            return {self.config.name: images}
        paths = await asyncio.to_thread(self._save, images)
        return {self.config.name: paths}

    def _save(self, images: list[str]) -> list[str]:
        directory = Path(self.context.artifact_dir) / "images" / self.folder
        directory.mkdir(parents=True, exist_ok=True)
        paths = []
        for payload in images:
            try:
                data = base64.b64decode(payload, validate=False)
            except ValueError as exc:
                raise ImageGenerationError(f"column {self.config.name!r}: the model returned invalid base64") from exc
            fmt = sniff_image_format(data)
            if fmt is None:
                raise ImageGenerationError(f"column {self.config.name!r}: the model returned data that is not an image")
            name = f"{uuid.uuid4().hex}.{fmt}"
            (directory / name).write_bytes(data)
            paths.append(f"images/{self.folder}/{name}")
        return paths
