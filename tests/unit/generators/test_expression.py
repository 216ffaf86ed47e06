from dataclasses import dataclass

import pytest

from data_designer.errors import ExpressionTemplateRenderError, UserJinjaTemplateSyntaxError
from data_designer.generators.base import FullColumnGenerator, GeneratorContext
from data_designer.generators.expression import ExpressionColumnGenerator, cast_expression_value


@dataclass
class ExprConfig:
    name: str
    expr: str
    dtype: str = "str"


def make(expr, dtype="str", engine="secure", name="out"):
    return ExpressionColumnGenerator(ExprConfig(name, expr, dtype), GeneratorContext(jinja_engine=engine))


@pytest.mark.parametrize(
    ("dtype", "text", "expected"),
    [
        ("int", "3", 3),
        ("int", " 3 ", 3),
        ("int", "-7", -7),
        ("int", "3.0", 3),
        ("int", "1e3", 1000),
        ("float", "2.5", 2.5),
        ("float", "3", 3.0),
        ("float", "-1e-3", -0.001),
        ("bool", "true", True),
        ("bool", "True", True),
        ("bool", "YES", True),
        ("bool", "1", True),
        ("bool", "false", False),
        ("bool", "No", False),
        ("bool", "0", False),
        ("str", "  hello  ", "hello"),
        ("str", "0", "0"),
    ],
)
def test_cast_expression_value_accepts(dtype, text, expected):
    value = cast_expression_value(text, dtype)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(
    ("dtype", "text", "reason"),
    [
        ("int", "3.5", "not a whole number"),
        ("int", "three", "not an integer"),
        ("int", "nan", "not a whole number"),
        ("float", "abc", "not a number"),
        ("bool", "maybe", "not a boolean"),
        ("bool", "2", "not a boolean"),
        ("str", "   ", "empty"),
        ("int", "", "empty"),
    ],
)
def test_cast_expression_value_rejects(dtype, text, reason):
    with pytest.raises(ValueError, match=reason):
        cast_expression_value(text, dtype)


def test_generator_is_a_full_column_generator():
    generator = make("{{ a }}")
    assert isinstance(generator, FullColumnGenerator) and generator.strategy == "full_column"
    assert generator.output_columns == ["out"]
    assert generator.references == frozenset({"a"})


def test_generate_renders_and_casts_every_row():
    result = make("{{ a + b }}", dtype="int").generate({"a": [1, 2, 3], "b": [10, 20, 30]}, 3)
    assert result.values == {"out": [11, 22, 33]}
    assert result.failed_rows == {}


def test_generate_reads_nested_json_columns():
    columns = {"person": ['{"age": 30, "tags": ["a"]}', {"age": 41, "tags": ["b"]}]}
    result = make("{{ person.age >= 40 }}", dtype="bool").generate(columns, 2)
    assert result.values == {"out": [False, True]}
    tags = make("{{ person.tags[0] | upper }}").generate(columns, 2)
    assert tags.values == {"out": ["A", "B"]}


def test_failed_rows_are_reported_not_raised():
    columns = {"x": ["4", "four", "", "5.0"]}
    result = make("{{ x }}", dtype="int").generate(columns, 4)
    assert result.values == {"out": [4, None, None, 5]}
    assert set(result.failed_rows) == {1, 2}
    assert "cannot cast to int" in result.failed_rows[1] and "'out'" in result.failed_rows[1]
    assert "empty" in result.failed_rows[2]


def test_render_failure_on_one_row_is_a_failed_row():
    columns = {"obj": [{"k": 1}, {"other": 2}]}
    result = make("{{ obj.k }}", dtype="int").generate(columns, 2)
    assert result.values == {"out": [1, None]}
    assert "no attribute 'k'" in result.failed_rows[1]


def test_all_rows_failing_raises_naming_column_reason_and_fix():
    with pytest.raises(ExpressionTemplateRenderError) as info:
        make("{{ x }}", dtype="float", name="score").generate({"x": ["a", "b"]}, 2)
    message = str(info.value)
    assert "'score'" in message and "all 2 rows" in message
    assert "'a' is not a number" in message
    assert "Fix the expression" in message


def test_missing_upstream_column_fails_every_row_with_its_name():
    with pytest.raises(ExpressionTemplateRenderError, match="'ghost' is undefined"):
        make("{{ ghost }}").generate({"real": [1]}, 1)


def test_zero_rows_is_not_an_error():
    result = make("{{ a }}").generate({"a": []}, 0)
    assert result.values == {"out": []} and result.failed_rows == {}


def test_only_referenced_columns_are_put_into_each_row():
    generator = make("{{ a }}")
    seen = []
    real_render = generator._template.render

    class Spy:
        references = generator._template.references

        def render(self, row):
            seen.append(dict(row))
            return real_render(row)

    generator._template = Spy()
    generator.generate({"a": [1, 2], "unrelated": ["x", "y"]}, 2)
    assert seen == [{"a": 1}, {"a": 2}]


def test_secure_engine_is_the_default_and_native_is_selectable():
    with pytest.raises(UserJinjaTemplateSyntaxError, match="filter 'join'"):
        make("{{ xs | join('-') }}")
    native = make("{{ xs | join('-') }}", engine="native")
    assert native.generate({"xs": [["a", "b"]]}, 1).values == {"out": ["a-b"]}


def test_context_engine_may_be_an_enum_like_value():
    class EngineValue:
        value = "native"

    generator = ExpressionColumnGenerator(
        ExprConfig("out", "{% set y = 2 %}{{ y }}", "int"), GeneratorContext(jinja_engine=EngineValue())
    )
    assert generator.generate({}, 1).values == {"out": [2]}


def test_unsupported_dtype_is_rejected_at_construction():
    with pytest.raises(ExpressionTemplateRenderError, match="unsupported dtype"):
        make("{{ a }}", dtype="datetime")


def test_works_with_the_real_pydantic_config():
    from data_designer.config.column_configs import ExpressionColumnConfig

    config = ExpressionColumnConfig(name="double", expr="{{ n * 2 }}", dtype="int")
    generator = ExpressionColumnGenerator(config, GeneratorContext())
    assert generator.generate({"n": [1, 2]}, 2).values == {"double": [2, 4]}
