"""LLM column generators: text, code, structured and judge.

Everything that does not depend on the row (compiled templates, recipe instructions, compiled schemas, the model
facade) is prepared once per column in ``__init__``; ``agenerate`` renders, calls the model and parses.
"""

from __future__ import annotations

from typing import Any

from data_designer.generators.base import CellGenerator, GeneratorContext, SchedulingKey
from data_designer.generators.jinja_render import compile_template
from data_designer.generators.multimodal import build_context_blocks
from data_designer.generators.parsing import (
    code_instructions,
    compile_judge,
    compile_schema,
    extract_reasoning,
    judge_instructions,
    parse_code,
    parse_text,
    schema_from_output_format,
    split_think_tags,
    structured_instructions,
)

__all__ = ["LLMCodeGenerator", "LLMJudgeGenerator", "LLMStructuredGenerator", "LLMTextGenerator"]


class _LLMGenerator(CellGenerator):
    def __init__(self, config: Any, context: GeneratorContext) -> None:
        super().__init__(config, context)
        engine = context.jinja_engine
        name = config.name
        self.prompt = compile_template(config.prompt, engine=engine, where=f"column {name!r} prompt")
        self.system = (
            compile_template(config.system_prompt, engine=engine, where=f"column {name!r} system_prompt")
            if config.system_prompt
            else None
        )
        self.instructions = self._instructions()
        self.facade = context.models.get_model(config.model_alias)
        run_config = context.run_config
        self.restarts = run_config.max_conversation_restarts
        self.corrections = run_config.max_conversation_correction_steps
        self.trace = getattr(config.with_trace, "value", config.with_trace)
        self.trace_column = f"{name}__trace"
        self.reasoning_column = f"{name}__reasoning_content" if config.extract_reasoning_content else None
        self.contexts = list(config.multi_modal_context or [])
        self.call_kwargs = dict(context.extras.get("model_call_kwargs") or {})

    def _instructions(self) -> str:
        return ""

    def parse(self, content: str) -> Any:
        raise NotImplementedError

    @property
    def scheduling_key(self) -> SchedulingKey:
        return SchedulingKey(self.facade.model_provider_name, self.facade.model_name, "chat")

    @property
    def max_parallel_requests(self) -> int:
        return self.facade.max_parallel_requests

    async def agenerate(self, row: dict[str, Any]) -> dict[str, Any]:
        prompt = self.prompt.render(row)
        if self.instructions:
            prompt = f"{prompt}\n\n{self.instructions}"
        system = self.system.render(row) if self.system is not None else None
        blocks = build_context_blocks(self.contexts, row, self.context.artifact_dir) if self.contexts else None
        value, messages = await self.facade.agenerate(
            prompt,
            parser=self.parse,
            system_prompt=system,
            multi_modal_context=blocks,
            max_correction_steps=self.corrections,
            max_conversation_restarts=self.restarts,
            **self.call_kwargs,
        )
        out = {self.config.name: value}
        if self.trace == "all_messages":
            out[self.trace_column] = messages
        elif self.trace == "last_message":
            out[self.trace_column] = messages[-1:]
        if self.reasoning_column is not None:
            final = messages[-1] if messages else {}
            reasoning = extract_reasoning(final)
            if reasoning is None and isinstance(final.get("content"), str):
                reasoning = split_think_tags(final["content"])[0]
            out[self.reasoning_column] = reasoning
        return out


class LLMTextGenerator(_LLMGenerator):
    def parse(self, content: str) -> str:
        return parse_text(split_think_tags(content)[1], column_name=self.config.name)


class LLMCodeGenerator(_LLMGenerator):
    def _instructions(self) -> str:
        return code_instructions(self.config.code_lang)

    def parse(self, content: str) -> str:
        return parse_code(split_think_tags(content)[1], self.config.code_lang, column_name=self.config.name)


class LLMStructuredGenerator(_LLMGenerator):
    def _instructions(self) -> str:
        self.schema = compile_schema(schema_from_output_format(self.config.output_format))
        return structured_instructions(schema_from_output_format(self.config.output_format))

    def parse(self, content: str) -> Any:
        return self.schema.parse(split_think_tags(content)[1], column_name=self.config.name)


class LLMJudgeGenerator(_LLMGenerator):
    def _instructions(self) -> str:
        self.judge = compile_judge(self.config.scores)
        return judge_instructions(self.config.scores)

    def parse(self, content: str) -> Any:
        return self.judge.parse(split_think_tags(content)[1], column_name=self.config.name)
