from __future__ import annotations

import pytest

from data_designer.generators.parsing.fences import FencedBlock, find_fenced_blocks, has_fence_line


def test_no_fences_returns_empty_list():
    assert find_fenced_blocks("just some text with `inline` code") == []


def test_tagged_block_lang_is_lowercased_first_word():
    blocks = find_fenced_blocks("intro\n```Python title='x.py'\nprint(1)\n```\noutro")
    assert blocks == [FencedBlock("python", "print(1)\n")]


def test_untagged_block_has_empty_lang():
    assert find_fenced_blocks("```\nx = 1\n```") == [FencedBlock("", "x = 1\n")]


def test_multiple_blocks_in_document_order():
    text = "```json\n{}\n```\nthen\n```python\npass\n```\n"
    assert [b.lang for b in find_fenced_blocks(text)] == ["json", "python"]


def test_longer_fence_contains_shorter_fences():
    text = "````markdown\nExample:\n```python\nprint(1)\n```\n````\n"
    blocks = find_fenced_blocks(text)
    assert len(blocks) == 1
    assert blocks[0].lang == "markdown"
    assert "```python\nprint(1)\n```" in blocks[0].body


def test_fence_with_info_string_does_not_close_block():
    text = "```python\nx = '''\n```sql\n'''\n```\n"
    blocks = find_fenced_blocks(text)
    assert len(blocks) == 1 and "```sql" in blocks[0].body


def test_tilde_fence_is_not_closed_by_backticks():
    text = "~~~bash\necho ```\n```\nls\n~~~\n"
    blocks = find_fenced_blocks(text)
    assert blocks == [FencedBlock("bash", "echo ```\n```\nls\n")]


def test_unclosed_block_runs_to_end_and_is_marked():
    blocks = find_fenced_blocks('```json\n{"a": 1,')
    assert blocks == [FencedBlock("json", '{"a": 1,', closed=False)]


def test_blank_unclosed_block_is_ignored():
    assert find_fenced_blocks("```python\nx=1\n```\n```\n") == [FencedBlock("python", "x=1\n")]


def test_single_line_triple_backticks_are_inline_code_not_fences():
    assert find_fenced_blocks('Here: ```json {"a": 1}``` done') == []


def test_indented_block_is_dedented():
    text = "1. Step one:\n   ```python\n   def f():\n       return 1\n   ```\n"
    assert find_fenced_blocks(text)[0].body == "def f():\n    return 1\n"


def test_crlf_line_endings():
    assert find_fenced_blocks("```sql\r\nSELECT 1;\r\n```\r\n") == [FencedBlock("sql", "SELECT 1;\n")]


@pytest.mark.parametrize(
    ("info", "lang"),
    [("{.python}", "python"), ("language-js", "js"), ("  ts  ", "ts"), ("C++", "c++"), ("JSON", "json")],
)
def test_info_string_normalisation(info, lang):
    assert find_fenced_blocks(f"```{info}\nx\n```")[0].lang == lang


def test_has_fence_line():
    assert has_fence_line("a\n```\n")
    assert not has_fence_line("a ``` b")
