"""Statistical samplers: config compilation target and vectorised generation of all sampler columns."""

from data_designer.generators.samplers.multi_column import SamplerMultiColumnConfig, SamplerMultiColumnGenerator

__all__ = ["SamplerMultiColumnConfig", "SamplerMultiColumnGenerator"]
