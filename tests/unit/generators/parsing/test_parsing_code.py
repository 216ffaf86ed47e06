from __future__ import annotations

import enum

import pytest

from data_designer.generators.parsing import ResponseParseError, code_instructions, normalize_code_lang, parse_code


class FakeCodeLang(str, enum.Enum):
    SQL_POSTGRES = "sql:postgres"
    PYTHON = "python"


def test_takes_fenced_block_and_strips():
    assert parse_code("Here you go:\n```python\n\nprint('hi')\n\n```\nEnjoy!", "python") == "print('hi')"


def test_last_block_wins():
    content = "```python\nfirst()\n```\nImproved:\n```python\nsecond()\n```"
    assert parse_code(content, "python") == "second()"


def test_untagged_block_is_accepted():
    assert parse_code("```\nSELECT 1;\n```", "sql:sqlite") == "SELECT 1;"


@pytest.mark.parametrize(
    ("tag", "lang"),
    [
        ("py", "python"),
        ("python3", "python"),
        ("js", "javascript"),
        ("ts", "typescript"),
        ("sh", "bash"),
        ("shell", "bash"),
        ("c++", "cpp"),
        ("c#", "csharp"),
        ("cs", "csharp"),
        ("golang", "go"),
        ("rs", "rust"),
        ("kt", "kotlin"),
        ("rb", "ruby"),
        ("postgresql", "sql:postgres"),
        ("postgres", "sql:postgres"),
        ("mysql", "sql:postgres"),
        ("sql", "sql:tsql"),
        ("SQL", "sql:bigquery"),
        ("text", "java"),
    ],
)
def test_aliases_and_generic_tags_match(tag, lang):
    assert parse_code(f"```{tag}\ncode here\n```", lang) == "code here"


@pytest.mark.parametrize(("tag", "lang"), [("javascript", "python"), ("python", "sql:postgres"), ("c", "cpp")])
def test_wrong_language_tag_is_error(tag, lang):
    with pytest.raises(ResponseParseError) as info:
        parse_code(f"```{tag}\nx = 1\n```", lang, column_name="snippet")
    assert info.value.failure_kind == "parse_error"
    assert tag in info.value.correction_prompt
    assert "snippet" in str(info.value)


def test_last_block_with_wrong_tag_fails_even_if_earlier_block_matches():
    with pytest.raises(ResponseParseError):
        parse_code("```python\nx = 1\n```\nRun it:\n```bash\npython x.py\n```", "python")


def test_prose_without_fence_is_error_with_correction_mentioning_tag():
    with pytest.raises(ResponseParseError) as info:
        parse_code("I am sorry, I cannot write that code for you.", "python")
    assert "```python" in info.value.correction_prompt


def test_bare_code_without_fence_or_prose_is_accepted():
    code = "def add(a, b):\n    return a + b\n"
    assert parse_code(code, "python") == code.strip()


def test_bare_sql_is_accepted():
    assert parse_code("SELECT name, COUNT(*) FROM users GROUP BY name;", "sql:ansi").startswith("SELECT name")


def test_bare_code_with_prose_intro_is_rejected():
    with pytest.raises(ResponseParseError):
        parse_code("Here is the code you asked for:\nprint(1)", "python")


def test_inline_triple_backticks_only_is_rejected():
    with pytest.raises(ResponseParseError):
        parse_code("```python print(1)```", "python")


def test_empty_block_is_error():
    with pytest.raises(ResponseParseError):
        parse_code("```python\n\n```", "python")


@pytest.mark.parametrize("content", ["", "  ", None])
def test_empty_response_is_error(content):
    with pytest.raises(ResponseParseError):
        parse_code(content, "python")


def test_nested_fences_inside_longer_fence():
    content = '````python\ndoc = """\n```\nnot a fence end\n```\n"""\n````'
    assert parse_code(content, "python").startswith('doc = """')


def test_enum_code_lang_accepted():
    assert parse_code("```sql\nSELECT 1\n```", FakeCodeLang.SQL_POSTGRES) == "SELECT 1"
    assert "```python" in code_instructions(FakeCodeLang.PYTHON)


@pytest.mark.parametrize(
    ("lang", "tag"),
    [("python", "```python"), ("sql:postgres", "```sql"), ("sql:tsql", "```sql"), ("cpp", "```cpp"), ("go", "```go")],
)
def test_code_instructions_contain_literal_fence_tag(lang, tag):
    text = code_instructions(lang)
    assert tag in text
    assert "exactly one" in text


def test_code_instructions_name_sql_dialect_but_not_in_tag():
    text = code_instructions("sql:postgres")
    assert "PostgreSQL" in text
    assert "```sql:" not in text and "```postgres" not in text


@pytest.mark.parametrize(
    ("value", "family"), [("sql:mysql", "sql"), ("PY", "python"), ("c++", "cpp"), ("elixir", "elixir")]
)
def test_normalize_code_lang(value, family):
    assert normalize_code_lang(value) == family
