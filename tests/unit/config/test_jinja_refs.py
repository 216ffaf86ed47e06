import pytest

from data_designer.config.jinja_refs import extract_template_references, validate_template_syntax
from data_designer.errors import UserJinjaTemplateSyntaxError


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ a.b }}", {"a"}),
        ("{{ a['b'][0].c }}", {"a"}),
        ("{{ name | upper }} and {{ other | truncate(n) }}", {"name", "other", "n"}),
        ("{% if flag %}{{ y }}{% else %}{{ z }}{% endif %}", {"flag", "y", "z"}),
        ("{% for x in items %}{{ x.name }} {{ loop.index }}{% endfor %}", {"items"}),
        ("{% set local = 1 %}{{ local }} {{ col }}", {"col"}),
        ("{{ a + b * c }}", {"a", "b", "c"}),
        ("{{ x is defined }}", {"x"}),
        ("plain text without variables", set()),
        ("", set()),
    ],
)
def test_extract_template_references_reports_root_variables(template, expected):
    assert extract_template_references(template) == expected


def test_extract_template_references_ignores_jinja_globals():
    assert extract_template_references("{% for i in range(n) %}{{ i }}{% endfor %}{{ dict(a=1) }}") == {"n"}


def test_extract_template_references_returns_a_fresh_mutable_set():
    first = extract_template_references("{{ a }}")
    first.add("mutated")
    assert extract_template_references("{{ a }}") == {"a"}


def test_extract_template_references_rejects_bad_syntax_with_line_and_where():
    with pytest.raises(UserJinjaTemplateSyntaxError, match=r"my prompt \(line 2\)"):
        extract_template_references("ok\n{{ a + }}", where="my prompt")


def test_validate_template_syntax_accepts_valid_templates():
    validate_template_syntax("{% if a %}{{ a }}{% endif %}")


def test_validate_template_syntax_names_where_and_line():
    with pytest.raises(UserJinjaTemplateSyntaxError, match=r"column 'x' expr \(line 3\)"):
        validate_template_syntax("a\nb\n{% if %}", where="column 'x' expr")


def test_extract_template_references_does_not_evaluate_constant_arithmetic():
    # Compiling for analysis must not constant-fold a huge power (it would hang or fail on str conversion).
    assert extract_template_references("{{ 2 ** 100000 }}{{ 'a' * 10 ** 12 }}{{ n }}") == {"n"}


def test_extract_template_references_knows_the_jsonpath_filter():
    assert extract_template_references("{{ doc | jsonpath('$.a') }}") == {"doc"}
