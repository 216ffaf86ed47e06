"""Token statistics of large datasets come from a bounded row sample and still describe the column."""

from __future__ import annotations

import pandas as pd

import data_designer.config as dd
from data_designer.analysis import profile_dataset
from data_designer.analysis.profiler import TOKEN_SAMPLE_ROWS


def test_token_statistics_of_a_large_column_are_estimated_from_a_sample():
    n = TOKEN_SAMPLE_ROWS * 3
    df = pd.DataFrame({"topic": ["t"] * n, "text": ["x" * 40] * (n // 2) + ["y" * 80] * (n - n // 2)})
    column = dd.LLMTextColumnConfig(name="text", prompt="Write about {{ topic }}", model_alias="m")
    stats = profile_dataset(df, columns=[column], target_num_records=n).column_statistics
    text = next(s for s in stats if s.column_name == "text")
    assert text.num_records == n  # counts still cover every row
    assert 13 <= text.output_tokens_mean <= 17  # 10 or 20 tokens, half each: the sample mean is close to 15
