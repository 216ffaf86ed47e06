"""Model providers, model configs, inference parameters and multimodal contexts.

Pure data: these objects describe *which* endpoint and model to call and with what parameters. The HTTP client, the
throttle and secret resolution live in :mod:`data_designer.models`; nothing here performs network I/O. Distribution
valued parameters (``temperature``/``top_p``) are sampled afresh for every request through ``generate_kwargs`` so a
dataset gets diverse completions from one config.
"""

from __future__ import annotations

import base64
import json
import random
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Literal, Protocol

from pydantic import Discriminator, Field, Tag, field_validator, model_validator

from data_designer.config.base import ConfigBase

__all__ = [
    "AudioContext",
    "AudioFormat",
    "BaseInferenceParams",
    "ChatCompletionInferenceParams",
    "DistributionT",
    "EmbeddingInferenceParams",
    "GenerationType",
    "ImageContext",
    "ImageFormat",
    "ImageInferenceParams",
    "InferenceParamsT",
    "ManualDistribution",
    "ManualDistributionParams",
    "Modality",
    "ModalityContext",
    "ModalityDataType",
    "ModelConfig",
    "ModelProvider",
    "MultiModalContextT",
    "UniformDistribution",
    "UniformDistributionParams",
    "VideoContext",
    "VideoFormat",
]

SUPPORTED_PROVIDER_TYPES = ("openai", "anthropic")
_DEFAULT_RNG = random.Random()


class GenerationType(str, Enum):
    CHAT_COMPLETION = "chat-completion"
    EMBEDDING = "embedding"
    IMAGE = "image"


# ---------------------------------------------------------------- distributions
class _Rng(Protocol):
    def uniform(self, a: float, b: float) -> float: ...


class UniformDistributionParams(ConfigBase):
    low: float
    high: float

    @model_validator(mode="after")
    def _check_order(self) -> UniformDistributionParams:
        if self.low > self.high:
            raise ValueError(f"uniform distribution: low ({self.low}) must be <= high ({self.high})")
        return self


class UniformDistribution(ConfigBase):
    distribution_type: Literal["uniform"] = "uniform"
    params: UniformDistributionParams

    def sample(self, rng: Any = None) -> float:
        """Draw one value; ``rng`` is a ``random.Random`` or ``numpy.random.Generator`` (both have ``uniform``)."""
        return float((rng or _DEFAULT_RNG).uniform(self.params.low, self.params.high))

    def value_range(self) -> tuple[float, float]:
        return self.params.low, self.params.high


class ManualDistributionParams(ConfigBase):
    values: list[float] = Field(min_length=1)
    weights: list[float] | None = None

    @model_validator(mode="after")
    def _check_weights(self) -> ManualDistributionParams:
        if self.weights is None:
            return self
        if len(self.weights) != len(self.values):
            raise ValueError(
                f"manual distribution: weights has {len(self.weights)} entries but values has {len(self.values)}; "
                "give one weight per value"
            )
        if any(w < 0 for w in self.weights) or sum(self.weights) <= 0:
            raise ValueError("manual distribution: weights must be non-negative and sum to a positive number")
        total = sum(self.weights)
        self.weights = [w / total for w in self.weights]
        return self


class ManualDistribution(ConfigBase):
    distribution_type: Literal["manual"] = "manual"
    params: ManualDistributionParams

    def sample(self, rng: Any = None) -> float:
        rng = rng or _DEFAULT_RNG
        values, weights = self.params.values, self.params.weights
        if hasattr(rng, "choices"):  # random.Random
            return float(rng.choices(values, weights=weights, k=1)[0])
        return float(values[int(rng.choice(len(values), p=weights))])  # numpy Generator

    def value_range(self) -> tuple[float, float]:
        return min(self.params.values), max(self.params.values)


DistributionT = Annotated[UniformDistribution | ManualDistribution, Field(discriminator="distribution_type")]


def _check_range(name: str, value: float | UniformDistribution | ManualDistribution | None, low: float, high: float):
    if value is None:
        return value
    lo, hi = value.value_range() if hasattr(value, "value_range") else (value, value)
    if lo < low or hi > high:
        raise ValueError(f"{name} must lie in [{low}, {high}] (distributions included); got {lo}..{hi}")
    return value


# ---------------------------------------------------------------- inference parameters
class BaseInferenceParams(ConfigBase):
    generation_type: GenerationType
    max_parallel_requests: int = Field(default=4, ge=1)
    timeout: int | None = Field(default=None, ge=1)
    extra_body: dict[str, Any] | None = None

    @property
    def generate_kwargs(self) -> dict[str, Any]:
        """Request parameters with every None left out; distributions are sampled on each access."""
        kwargs: dict[str, Any] = {}
        if self.timeout is not None:
            kwargs["timeout"] = self.timeout
        if self.extra_body:
            kwargs["extra_body"] = self.extra_body
        return kwargs


class ChatCompletionInferenceParams(BaseInferenceParams):
    generation_type: Literal[GenerationType.CHAT_COMPLETION] = GenerationType.CHAT_COMPLETION
    temperature: float | DistributionT | None = None
    top_p: float | DistributionT | None = None
    max_tokens: int | None = Field(default=None, ge=1)

    @field_validator("temperature")
    @classmethod
    def _check_temperature(cls, value):
        return _check_range("temperature", value, 0.0, 2.0)

    @field_validator("top_p")
    @classmethod
    def _check_top_p(cls, value):
        return _check_range("top_p", value, 0.0, 1.0)

    @property
    def generate_kwargs(self) -> dict[str, Any]:
        kwargs = super().generate_kwargs
        temperature, top_p = self.temperature, self.top_p
        if temperature is not None:
            kwargs["temperature"] = temperature if isinstance(temperature, float | int) else temperature.sample()
        if top_p is not None:
            kwargs["top_p"] = top_p if isinstance(top_p, float | int) else top_p.sample()
        if self.max_tokens is not None:
            kwargs["max_tokens"] = self.max_tokens
        return kwargs


class EmbeddingInferenceParams(BaseInferenceParams):
    generation_type: Literal[GenerationType.EMBEDDING] = GenerationType.EMBEDDING
    encoding_format: Literal["float", "base64"] = "float"
    dimensions: int | None = Field(default=None, ge=1)

    @property
    def generate_kwargs(self) -> dict[str, Any]:
        kwargs = super().generate_kwargs
        kwargs["encoding_format"] = self.encoding_format
        if self.dimensions is not None:
            kwargs["dimensions"] = self.dimensions
        return kwargs


class ImageInferenceParams(BaseInferenceParams):
    """Base fields only; provider-specific image options (size, quality, ...) go in ``extra_body``."""

    generation_type: Literal[GenerationType.IMAGE] = GenerationType.IMAGE


def _inference_params_tag(value: Any) -> str:
    """Dicts without ``generation_type`` are typed by their fields so older YAML files keep loading."""
    if isinstance(value, dict):
        kind = value.get("generation_type")
        if kind is not None:
            return kind.value if isinstance(kind, GenerationType) else str(kind)
        if "encoding_format" in value or "dimensions" in value:
            return GenerationType.EMBEDDING.value
        return GenerationType.CHAT_COMPLETION.value
    kind = getattr(value, "generation_type", GenerationType.CHAT_COMPLETION)
    return kind.value if isinstance(kind, GenerationType) else str(kind)


InferenceParamsT = Annotated[
    Annotated[ChatCompletionInferenceParams, Tag("chat-completion")]
    | Annotated[EmbeddingInferenceParams, Tag("embedding")]
    | Annotated[ImageInferenceParams, Tag("image")],
    Discriminator(_inference_params_tag),
]


# ---------------------------------------------------------------- providers and models
class ModelProvider(ConfigBase):
    """An inference endpoint. ``api_key`` is usually the *name* of an environment variable holding the key."""

    name: str = Field(min_length=1)
    endpoint: str = Field(min_length=1)
    provider_type: str = "openai"
    api_key: str | None = None
    extra_body: dict[str, Any] | None = None
    extra_headers: dict[str, str] | None = None

    @field_validator("provider_type")
    @classmethod
    def _check_provider_type(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in SUPPORTED_PROVIDER_TYPES:
            raise ValueError(
                f"provider_type {value!r} is not supported; use one of {', '.join(SUPPORTED_PROVIDER_TYPES)} "
                "(any OpenAI-compatible server such as vLLM or NIM uses 'openai')"
            )
        return value

    @field_validator("endpoint")
    @classmethod
    def _check_endpoint(cls, value: str) -> str:
        value = value.strip()
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"endpoint {value!r} must be an http(s) URL such as https://integrate.api.nvidia.com/v1")
        return value.rstrip("/")


class ModelConfig(ConfigBase):
    alias: str = Field(min_length=1)
    model: str = Field(min_length=1)
    inference_parameters: InferenceParamsT = Field(default_factory=ChatCompletionInferenceParams)
    provider: str = Field(min_length=1)
    skip_health_check: bool = False

    @property
    def generation_type(self) -> GenerationType:
        return GenerationType(self.inference_parameters.generation_type)


# ---------------------------------------------------------------- multimodal contexts
class Modality(str, Enum):
    IMAGE = "image"
    AUDIO = "audio"
    VIDEO = "video"


class ModalityDataType(str, Enum):
    URL = "url"
    BASE64 = "base64"


class ImageFormat(str, Enum):
    PNG = "png"
    JPG = "jpg"
    JPEG = "jpeg"
    GIF = "gif"
    WEBP = "webp"


class AudioFormat(str, Enum):
    MP3 = "mp3"
    WAV = "wav"


class VideoFormat(str, Enum):
    MP4 = "mp4"
    MOV = "mov"
    WEBM = "webm"


def _cell_values(value: Any) -> list[str]:
    """A cell may hold one string, a list, or a JSON-encoded list of strings."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    text = str(value)
    if text.startswith("["):
        try:
            parsed = json.loads(text)
        except ValueError:
            return [text]
        if isinstance(parsed, list):
            return [str(v) for v in parsed]
    return [text]


def sniff_image_format(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"GIF8"):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


class ModalityContext(ConfigBase):
    modality: Modality
    column_name: str
    data_type: ModalityDataType | None = None

    def _values(self, record: dict[str, Any]) -> list[str]:
        if self.column_name not in record:
            raise ValueError(
                f"multi_modal_context references column {self.column_name!r}, which is not in the record; "
                "add that column before the column using it"
            )
        return _cell_values(record[self.column_name])

    def get_contexts(self, record: dict[str, Any], base_path: str | Path | None = None) -> list[dict[str, Any]]:
        raise NotImplementedError


class ImageContext(ModalityContext):
    modality: Literal[Modality.IMAGE] = Modality.IMAGE
    image_format: ImageFormat | None = None

    @model_validator(mode="after")
    def _check_format(self) -> ImageContext:
        if self.data_type == ModalityDataType.BASE64 and self.image_format is None:
            raise ValueError(
                f"ImageContext for column {self.column_name!r}: image_format is required when data_type='base64'"
            )
        return self

    def get_contexts(self, record: dict[str, Any], base_path: str | Path | None = None) -> list[dict[str, Any]]:
        """OpenAI ``image_url`` blocks; auto mode picks file → base64, http(s) → URL, anything else → base64."""
        blocks = []
        for value in self._values(record):
            blocks.append({"type": "image_url", "image_url": {"url": self._to_url(value, base_path)}})
        return blocks

    def _to_url(self, value: str, base_path: str | Path | None) -> str:
        if self.data_type == ModalityDataType.URL or (self.data_type is None and value.startswith(("http", "data:"))):
            return value
        if value.startswith("data:"):
            return value
        data: bytes | None = None
        if base_path is not None and len(value) < 1024:
            path = Path(base_path) / value
            if path.is_file():
                data = path.read_bytes()
        if data is not None:
            encoded = base64.b64encode(data).decode("ascii")
            fmt = self.image_format or sniff_image_format(data) or "png"
        else:
            encoded = value
            try:
                fmt = self.image_format or sniff_image_format(base64.b64decode(value[:64] + "==")[:16]) or "png"
            except ValueError:
                fmt = self.image_format or "png"
        return f"data:image/{'jpeg' if fmt == 'jpg' else fmt};base64,{encoded}"


class AudioContext(ModalityContext):
    modality: Literal[Modality.AUDIO] = Modality.AUDIO
    audio_format: AudioFormat = AudioFormat.WAV

    def get_contexts(self, record: dict[str, Any], base_path: str | Path | None = None) -> list[dict[str, Any]]:
        blocks = []
        for value in self._values(record):
            if self.data_type == ModalityDataType.URL or value.startswith(("http://", "https://")):
                blocks.append({"type": "audio_url", "audio_url": {"url": value}})
            else:
                blocks.append({"type": "input_audio", "input_audio": {"data": value, "format": self.audio_format}})
        return blocks


class VideoContext(ModalityContext):
    modality: Literal[Modality.VIDEO] = Modality.VIDEO
    video_format: VideoFormat = VideoFormat.MP4

    def get_contexts(self, record: dict[str, Any], base_path: str | Path | None = None) -> list[dict[str, Any]]:
        blocks = []
        for value in self._values(record):
            if self.data_type == ModalityDataType.BASE64:
                value = f"data:video/{self.video_format};base64,{value}"
            blocks.append({"type": "video_url", "video_url": {"url": value}})
        return blocks


MultiModalContextT = Annotated[ImageContext | AudioContext | VideoContext, Field(discriminator="modality")]
