"""The product-review pipeline used by `make demo` (also loadable by the CLI: it defines load_config_builder)."""

from __future__ import annotations

from pydantic import BaseModel, Field

import data_designer.config as dd

CATEGORIES = {
    "Electronics": ["Headphones", "Smartwatch", "E-reader", "Bluetooth speaker"],
    "Home & Kitchen": ["Espresso machine", "Air fryer", "Chef's knife", "Blender"],
    "Outdoors": ["Trail running shoes", "Two-person tent", "Headlamp", "Water filter"],
}


class ReviewFacts(BaseModel):
    sentiment: str = Field(description="positive, mixed or negative")
    mentioned_features: list[str] = Field(description="product features the review talks about")
    would_recommend: bool


def build_config(model_alias: str, model_configs: list[dd.ModelConfig]) -> dd.DataDesignerConfigBuilder:
    builder = dd.DataDesignerConfigBuilder(model_configs=model_configs)
    builder.add_column(
        dd.SamplerColumnConfig(
            name="category",
            sampler_type=dd.SamplerType.CATEGORY,
            params=dd.CategorySamplerParams(values=list(CATEGORIES), weights=[0.5, 0.3, 0.2]),
        )
    )
    builder.add_column(
        dd.SamplerColumnConfig(
            name="product",
            sampler_type=dd.SamplerType.SUBCATEGORY,
            params=dd.SubcategorySamplerParams(category="category", values=CATEGORIES),
        )
    )
    builder.add_column(
        dd.SamplerColumnConfig(
            name="customer",
            sampler_type=dd.SamplerType.PERSON_FROM_FAKER,
            params=dd.PersonFromFakerSamplerParams(locale="en_US", age_range=[18, 80]),
        )
    )
    builder.add_column(
        dd.SamplerColumnConfig(
            name="rating", sampler_type=dd.SamplerType.CATEGORY, params=dd.CategorySamplerParams(values=[1, 2, 3, 4, 5])
        )
    )
    builder.add_column(
        dd.LLMTextColumnConfig(
            name="review",
            model_alias=model_alias,
            system_prompt="You write realistic, specific customer reviews.",
            prompt=(
                "Write a {{ rating }}-star review of a {{ product }} ({{ category }}) in the voice of "
                "{{ customer.first_name }}, a {{ customer.age }}-year-old {{ customer.occupation }} from "
                "{{ customer.city }}. Two to four sentences."
            ),
        )
    )
    builder.add_column(
        dd.LLMStructuredColumnConfig(
            name="facts",
            model_alias=model_alias,
            prompt="Extract structured facts from this review of a {{ product }}:\n\n{{ review }}",
            output_format=ReviewFacts,
        )
    )
    builder.add_column(
        dd.LLMJudgeColumnConfig(
            name="quality",
            model_alias=model_alias,
            prompt="Judge how helpful this review of a {{ product }} is for other shoppers:\n\n{{ review }}",
            scores=[
                dd.Score(
                    name="helpfulness",
                    description="Does the review give concrete, useful information?",
                    options={1: "vague", 2: "somewhat specific", 3: "specific and useful"},
                )
            ],
        )
    )
    builder.add_column(
        dd.ExpressionColumnConfig(
            name="summary_line",
            expr="{{ customer.first_name }} rated the {{ product }} {{ rating }}/5 "
            "({{ quality.helpfulness.score }}/3 helpful)",
        )
    )
    return builder


def load_config_builder() -> dd.DataDesignerConfigBuilder:
    """For `data-designer preview examples/product_reviews.py` with the default `nvidia-text` alias."""
    return build_config("nvidia-text", model_configs=None)  # type: ignore[arg-type]
