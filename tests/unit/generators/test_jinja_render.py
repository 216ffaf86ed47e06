import enum

import numpy as np
import pytest

from data_designer.errors import (
    ExpressionTemplateRenderError,
    InvalidConfigError,
    PromptTemplateRenderError,
    UserJinjaTemplateSyntaxError,
)
from data_designer.generators.jinja_render import (
    compile_condition,
    compile_json_template,
    compile_template,
    decode_value,
    normalize_engine,
    prepare_row,
)
from data_designer.generators.jinja_sandbox import ALLOWED_FILTERS, MAX_OUTPUT_CHARS, jsonpath_filter


def render(template, row=None, engine="secure", **kwargs):
    return compile_template(template, engine=engine, **kwargs).render(row or {})


# ---------------------------------------------------------------- filters
@pytest.mark.parametrize(
    ("template", "row", "expected"),
    [
        ("{{ x | abs }}", {"x": -3}, "3"),
        ("{{ s | capitalize }}", {"s": "hello"}, "Hello"),
        ("{{ s | escape }}", {"s": "<a>"}, "&lt;a&gt;"),
        ("{{ s | forceescape }}", {"s": "&"}, "&amp;"),
        ("{{ xs | first }}-{{ xs | last }}", {"xs": [1, 2, 3]}, "1-3"),
        ("{{ s | float }}", {"s": "2.5"}, "2.5"),
        ("{{ s | int + 1 }}", {"s": "41"}, "42"),
        ("{% for k, v in d | items %}{{ k }}={{ v }};{% endfor %}", {"d": {"a": 1}}, "a=1;"),
        ("{{ xs | length }}", {"xs": [1, 2]}, "2"),
        ("{{ (s | list)[0] }}", {"s": "ab"}, "a"),
        ("{{ s | lower }}{{ s | upper }}", {"s": "Ab"}, "abAB"),
        ("{{ xs | max }}{{ xs | min }}", {"xs": [3, 1, 2]}, "31"),
        ("{{ s | replace('a', 'o') }}", {"s": "banana"}, "bonono"),
        ("{{ s | reverse }}", {"s": "abc"}, "cba"),
        ("{{ x | round(1) }}", {"x": 2.345}, "2.3"),
        ("{{ (xs | sort)[0] }}", {"xs": [3, 1]}, "1"),
        ("{{ x | string }}", {"x": 5}, "5"),
        ("{{ s | title }}", {"s": "a b"}, "A B"),
        ("[{{ s | trim }}]", {"s": "  x "}, "[x]"),
        ("{{ s | truncate(5, true, '', 0) }}", {"s": "abcdefgh"}, "abcde"),
        ("{{ (xs | unique | list) | length }}", {"xs": [1, 1, 2]}, "2"),
        ("{{ s | urlencode }}", {"s": "a b"}, "a%20b"),
        ("{{ d | jsonpath('$.a.b[1]') }}", {"d": {"a": {"b": [5, 6]}}}, "6"),
    ],
)
def test_secure_engine_allows_listed_filters(template, row, expected):
    assert render(template, row) == expected


def test_secure_random_filter_picks_from_the_sequence():
    assert render("{{ xs | random }}", {"xs": ["only"]}) == "only"


@pytest.mark.parametrize("name", ["join", "default", "tojson", "map", "attr", "format", "safe", "batch", "sum"])
def test_secure_engine_rejects_unlisted_filters_naming_the_filter(name):
    with pytest.raises(UserJinjaTemplateSyntaxError, match=rf"column 'c'.*filter '{name}'"):
        compile_template(f"{{{{ x | {name} }}}}", where="column 'c'")


def test_secure_engine_rejects_unlisted_filter_in_filter_block():
    with pytest.raises(UserJinjaTemplateSyntaxError, match="filter 'wordcount'"):
        compile_template("{% filter wordcount %}a b{% endfilter %}")


def test_native_engine_has_the_standard_filters():
    assert render("{{ xs | join(',') }}|{{ y | default('d') }}", {"xs": ["a", "b"]}, engine="native") == "a,b|d"


def test_allowed_filter_set_matches_the_spec():
    assert len(ALLOWED_FILTERS) == 27 and "jsonpath" in ALLOWED_FILTERS and "join" not in ALLOWED_FILTERS


# ---------------------------------------------------------------- forbidden constructs
@pytest.mark.parametrize(
    ("template", "construct"),
    [
        ("{% import 'x.j2' as x %}", "import"),
        ("{% from 'x.j2' import y %}", "import"),
        ("{% macro m() %}hi{% endmacro %}", "macro"),
        ("{% call range(1) %}x{% endcall %}", "call"),
        ("{% set a = 1 %}{{ a }}", "set"),
        ("{% set a %}block{% endset %}", "set"),
        ("{% with a = 1 %}{{ a }}{% endwith %}", "with"),
        ("{% extends 'base.j2' %}", "extends"),
        ("{% block b %}x{% endblock %}", "block"),
        ("{% include 'other.j2' %}", "include"),
        ("{% for x in xs recursive %}{{ loop(x) }}{% endfor %}", "recursive for"),
        ("{% for x in xs %}{% for y in x %}{{ y }}{% endfor %}{% endfor %}", "nested for"),
        ("{% for x in xs %}{% if x %}{% for y in x %}{% endfor %}{% endif %}{% endfor %}", "nested for"),
        ("{% for x in xs %}{% else %}{% for y in ys %}{% endfor %}{% endfor %}", "nested for"),
    ],
)
def test_secure_engine_forbids_construct_naming_it_and_where(template, construct):
    with pytest.raises(UserJinjaTemplateSyntaxError) as info:
        compile_template(template, where="column 'answer' prompt")
    message = str(info.value)
    assert "column 'answer' prompt" in message
    assert f"forbidden construct {construct}" in message


def test_secure_engine_allows_sequential_loops_and_conditionals():
    template = "{% for x in xs %}{{ x }}{% endfor %}-{% for y in xs %}{% if y > 1 %}{{ y }}{% endif %}{% endfor %}"
    assert render(template, {"xs": [1, 2]}) == "12-2"


def test_native_engine_allows_set_and_nested_loops():
    template = "{% set t = 0 %}{% for x in xs %}{% for y in x %}{{ y }}{% endfor %}{% endfor %}"
    assert render(template, {"xs": [[1, 2], [3]]}, engine="native") == "123"


def test_policy_violation_reports_line_number():
    with pytest.raises(UserJinjaTemplateSyntaxError, match=r"\(line 3\)"):
        compile_template("a\nb\n{% set x = 1 %}")


# ---------------------------------------------------------------- size limits
def test_secure_engine_limits_ast_node_count():
    # Adjacent outputs share one Output node: N variables -> N + 1 nodes.
    compile_template("{{ a }}" * 599)
    with pytest.raises(UserJinjaTemplateSyntaxError, match="more than 600 syntax nodes"):
        compile_template("{{ a }}" * 600)
    compile_template("{{ a }}" * 600, engine="native")


def test_secure_engine_limits_ast_depth():
    # Output > 8 filters > Name = depth 10; one more filter is too deep.
    compile_template("{{ a" + " | lower" * 8 + " }}")
    with pytest.raises(UserJinjaTemplateSyntaxError, match="deeper than 10"):
        compile_template("{{ a" + " | lower" * 9 + " }}")
    compile_template("{{ a" + " | lower" * 9 + " }}", engine="native")


def test_secure_engine_caps_rendered_output():
    chunk = "x" * 1000
    limit = MAX_OUTPUT_CHARS // 1000
    ok = compile_template(f"{{% for i in range({limit}) %}}{{{{ s }}}}{{% endfor %}}")
    assert len(ok.render({"s": chunk})) == MAX_OUTPUT_CHARS
    too_long = compile_template(f"{{% for i in range({limit + 1}) %}}{{{{ s }}}}{{% endfor %}}", where="col 'big'")
    with pytest.raises(PromptTemplateRenderError, match=r"col 'big'.*longer than 512000"):
        too_long.render({"s": chunk})


def test_native_engine_does_not_cap_output():
    template = compile_template("{% for i in range(600) %}{{ s }}{% endfor %}", engine="native")
    assert len(template.render({"s": "x" * 1000})) == 600_000


@pytest.mark.parametrize(
    "template",
    ["{{ s * 1000000 }}", "{{ 1000000 * xs }}", "{{ 2 ** 100000 }}", "{{ '%s!' % s }}", "{{ '{}'.format(s) }}"],
)
def test_secure_engine_refuses_oversized_or_formatting_operations(template):
    with pytest.raises(PromptTemplateRenderError, match="sandbox refused"):
        render(template, {"s": "ab", "xs": [1]})


def test_secure_engine_still_allows_small_arithmetic_and_repetition():
    assert render("{{ s * 3 }} {{ 2 ** 10 }} {{ 7 % 3 }}", {"s": "ab"}) == "ababab 1024 1"


@pytest.mark.parametrize("engine", ["secure", "native"])
def test_both_engines_block_private_attributes_and_mutation(engine):
    with pytest.raises(PromptTemplateRenderError):
        render("{{ s.__class__.__mro__ }}", {"s": "x"}, engine=engine)
    with pytest.raises(PromptTemplateRenderError):
        render("{{ xs.append(1) }}", {"xs": [1]}, engine=engine)


# ---------------------------------------------------------------- rows, nested values, undefined
def test_json_string_columns_allow_nested_access():
    row = {"obj": '{"user": {"name": "Ada", "tags": ["x", "y"]}}', "items": "[10, 20]"}
    assert render("{{ obj.user.name }} {{ obj.user.tags[1] }} {{ items[0] }}", row) == "Ada y 10"


def test_dict_and_list_values_work_directly_and_render_as_json():
    row = {"obj": {"a": [1, 2]}, "xs": ["é"]}
    assert render("{{ obj.a[1] }}|{{ obj }}|{{ xs }}", row) == '2|{"a": [1, 2]}|["é"]'


def test_non_json_text_starting_with_bracket_stays_text():
    assert render("{{ s }}", {"s": "[citation needed"}) == "[citation needed"
    assert render("{{ s }}", {"s": "  {not json}"}) == "  {not json}"


def test_scalar_json_text_is_not_decoded():
    assert decode_value('"quoted"') == '"quoted"'
    assert decode_value("42") == "42"


def test_numpy_arrays_become_lists():
    assert render("{{ xs[1] }} {{ xs }}", {"xs": np.array([1, 2])}) == "2 [1, 2]"


def test_prepare_row_keeps_only_requested_names_and_decodes_them():
    row = {"a": '{"k": 1}', "b": "[1,", "unused": '{"big": 1}'}
    assert prepare_row(row, ["a", "b", "missing"]) == {"a": {"k": 1}, "b": "[1,"}


def test_render_reads_only_referenced_columns():
    class ExplodingValue:
        def __str__(self):
            raise AssertionError("unreferenced column was touched")

    assert render("{{ a }}", {"a": 1, "other": ExplodingValue()}) == "1"


def test_undefined_variable_raises_render_error_with_the_name():
    template = compile_template("Hi {{ missing_col }}", where="column 'greeting' prompt")
    with pytest.raises(PromptTemplateRenderError, match=r"column 'greeting' prompt.*'missing_col' is undefined"):
        template.render({"other": 1})


def test_undefined_nested_field_raises_render_error():
    with pytest.raises(PromptTemplateRenderError, match="no attribute 'nope'"):
        render("{{ obj.nope }}", {"obj": {"a": 1}})


def test_unused_branch_may_reference_absent_columns():
    assert render("{% if x is defined %}{{ x }}{% else %}none{% endif %}", {}) == "none"


def test_non_strict_mode_renders_undefined_as_empty():
    assert render("[{{ missing }}]", {}, strict=False) == "[]"


def test_render_error_class_is_configurable():
    template = compile_template("{{ nope }}", render_error=ExpressionTemplateRenderError)
    with pytest.raises(ExpressionTemplateRenderError):
        template.render({})


def test_runtime_type_errors_are_wrapped():
    with pytest.raises(PromptTemplateRenderError, match="TypeError"):
        render("{{ a + b }}", {"a": "x", "b": 1})


# ---------------------------------------------------------------- compilation details
def test_syntax_error_reports_where_and_line():
    with pytest.raises(UserJinjaTemplateSyntaxError, match=r"invalid Jinja syntax in my field \(line 2\)"):
        compile_template("first line\n{{ unclosed ", where="my field")


def test_references_are_the_root_variables():
    template = compile_template("{% for x in xs %}{{ x.a }}{% endfor %}{{ b | upper }}")
    assert template.references == frozenset({"xs", "b"})


def test_compiled_templates_are_cached_by_text_and_engine():
    a = compile_template("{{ cached_1 }}", where="one")
    b = compile_template("{{ cached_1 }}", where="two")
    c = compile_template("{{ cached_1 }}", engine="native")
    assert a._template is b._template
    assert a._template is not c._template
    assert (a.where, b.where) == ("one", "two")


def test_engine_accepts_enum_members_and_rejects_unknown_names():
    class Engine(enum.Enum):
        NATIVE = "native"

    assert normalize_engine(Engine.NATIVE) == "native"
    assert normalize_engine("SECURE") == "secure"
    with pytest.raises(InvalidConfigError, match="unknown Jinja rendering engine"):
        compile_template("{{ a }}", engine="fast")


def test_non_string_template_is_rejected():
    with pytest.raises(UserJinjaTemplateSyntaxError, match="must be a string"):
        compile_template(42)  # type: ignore[arg-type]


# ---------------------------------------------------------------- jsonpath
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("$.a.b[0]", 1),
        ("$.a.b[-1]", 3),
        ("$['a']['c']", "v"),
        ('$["a"].c', "v"),
        ("a.c", "v"),
        ("$.a.b[*]", [1, 2, 3]),
        ("$.rows[*].id", [7, 8]),
        ("$.a.missing", None),
        ("$.a.b[9]", None),
        ("$", {"a": {"b": [1, 2, 3], "c": "v"}, "rows": [{"id": 7}, {"id": 8}]}),
    ],
)
def test_jsonpath_filter_paths(path, expected):
    data = {"a": {"b": [1, 2, 3], "c": "v"}, "rows": [{"id": 7}, {"id": 8}]}
    assert jsonpath_filter(data, path) == expected


def test_jsonpath_filter_parses_json_text():
    assert jsonpath_filter('{"a": [4, 5]}', "$.a[1]") == 5


def test_jsonpath_invalid_path_fails_the_render():
    with pytest.raises(PromptTemplateRenderError, match="unsupported jsonpath"):
        render("{{ d | jsonpath('$..a') }}", {"d": {"a": 1}})


# ---------------------------------------------------------------- conditions
@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ x > 2 }}", True),
        ("{{ x < 2 }}", False),
        ("{{ '' }}", False),
        ("{{ 'false' }}", False),
        ("{{ 'FALSE' }}", False),
        ("{{ 0 }}", False),
        ("{{ none }}", False),
        ("  {{ 'None' }} ", False),
        ("{{ 'no' }}", True),
        ("{{ 'yes' }}", True),
        ("{{ x }}", True),
    ],
)
def test_condition_truthiness_of_rendered_text(template, expected):
    assert compile_condition(template, where="skip.when").evaluate({"x": 3}) is expected


def test_condition_undefined_variable_names_where():
    condition = compile_condition("{{ flag }}", where="column 'c' skip.when")
    assert condition.references == frozenset({"flag"})
    with pytest.raises(PromptTemplateRenderError, match=r"column 'c' skip.when.*'flag' is undefined"):
        condition.evaluate({})


def test_condition_reads_json_columns():
    assert compile_condition("{{ obj.ok }}", where="skip.when").evaluate({"obj": '{"ok": false}'}) is False


# ---------------------------------------------------------------- JSON templates
def test_json_template_renders_leaves_and_keeps_structured_values():
    template = compile_json_template(
        {
            "question": "Q: {{ q }}",
            "meta": {"obj": "{{ obj }}", "list": "{{ xs }}", "count": "{{ n }}", "fixed": 3, "none": None},
            "pairs": ["{{ q | upper }}", "literal", True],
        },
        where="processor 'chat'",
    )
    row = {"q": 'say "hi"', "obj": '{"a": 1}', "xs": [1, "two"], "n": 5, "unused": object()}
    assert template(row) == {
        "question": 'Q: say "hi"',
        "meta": {"obj": {"a": 1}, "list": [1, "two"], "count": "5", "fixed": 3, "none": None},
        "pairs": ['SAY "HI"', "literal", True],
    }
    assert template.references == frozenset({"q", "obj", "xs", "n"})


def test_json_template_top_level_list_and_fresh_output_each_call():
    template = compile_json_template([{"k": "{{ a }}"}])
    first = template({"a": 1})
    first[0]["k"] = "mutated"
    assert template({"a": 1}) == [{"k": "1"}]


def test_json_template_leaf_errors_name_the_path():
    with pytest.raises(UserJinjaTemplateSyntaxError, match=r"processor 'p' at \$\.a\[1\]"):
        compile_json_template({"a": ["ok", "{% set x = 1 %}"]}, where="processor 'p'")
    template = compile_json_template({"a": {"b": "{{ missing }}"}}, where="processor 'p'")
    with pytest.raises(PromptTemplateRenderError, match=r"processor 'p' at \$\.a\.b"):
        template({})


def test_json_template_rejects_non_json_values():
    with pytest.raises(InvalidConfigError, match=r"\$\.a.*set"):
        compile_json_template({"a": {1, 2}})
    with pytest.raises(InvalidConfigError, match="JSON object or array"):
        compile_json_template("{{ a }}")  # type: ignore[arg-type]
