from __future__ import annotations

import json

import pydantic
import pytest

from data_designer.errors import InvalidConfigError
from data_designer.generators.parsing import (
    ResponseParseError,
    compile_schema,
    extract_json,
    parse_structured,
    schema_from_output_format,
    structured_instructions,
)

PERSON = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "age": {"type": "integer"},
        "address": {
            "type": "object",
            "properties": {"city": {"type": "string"}, "zip": {"type": "string"}},
            "required": ["city"],
        },
        "tags": {"type": "array", "items": {"type": "object", "properties": {"label": {"type": "string"}}}},
    },
    "required": ["name", "age"],
}


def fenced(payload: str, tag: str = "json") -> str:
    return f"Sure, here it is:\n```{tag}\n{payload}\n```\nLet me know if you need more."


# ------------------------------------------------------------------ extraction
def test_json_fenced_block():
    assert parse_structured(fenced('{"name": "Ann", "age": 3}'), PERSON) == {"name": "Ann", "age": 3}


def test_untagged_fenced_block():
    assert parse_structured(fenced('{"name": "Ann", "age": 3}', tag=""), PERSON)["name"] == "Ann"


def test_last_json_block_wins():
    content = fenced('{"name": "Draft", "age": 1}') + "\nCorrected:\n" + fenced('{"name": "Final", "age": 2}')
    assert parse_structured(content, PERSON) == {"name": "Final", "age": 2}


def test_non_json_tagged_block_is_skipped_for_json_block():
    content = fenced('{"name": "A", "age": 1}') + "\n```python\nprint({'x': 1})\n```"
    assert parse_structured(content, PERSON)["name"] == "A"


def test_bare_json_without_fence():
    assert parse_structured('{"name": "Bo", "age": 5}', PERSON) == {"name": "Bo", "age": 5}


def test_json_embedded_in_prose_without_fence():
    content = 'The record is {"name": "Bo", "age": 5} as requested.'
    assert parse_structured(content, PERSON) == {"name": "Bo", "age": 5}


def test_largest_span_wins_over_braces_in_prose():
    content = 'I replaced {name} with a value: {"name": "Cy", "age": 7, "address": {"city": "Oslo"}}'
    assert parse_structured(content, PERSON)["address"] == {"city": "Oslo"}


def test_inline_triple_backtick_json():
    assert parse_structured('```json {"name": "Di", "age": 9}```', PERSON) == {"name": "Di", "age": 9}


def test_array_schema_prefers_array_span():
    schema = {"type": "array", "items": {"type": "integer"}}
    assert parse_structured("Numbers {see below}: [1, 2, 3]", schema) == [1, 2, 3]


# ------------------------------------------------------------------ lenient repair
def test_truncated_json_is_repaired():
    content = '```json\n{"name": "Ann", "age": 30, "address": {"city": "Par'
    assert parse_structured(content, PERSON) == {"name": "Ann", "age": 30, "address": {"city": "Par"}}


def test_truncated_outer_object_is_not_replaced_by_inner_object():
    content = 'Result: {"name": "Ann", "age": 4, "address": {"city": "Rome"}, "tags": [{"label": "x"'
    result = parse_structured(content, PERSON)
    assert result["name"] == "Ann" and result["tags"] == [{"label": "x"}]


@pytest.mark.parametrize(
    "payload",
    [
        '{"name": "Ann", "age": 3,}',
        "{'name': 'Ann', 'age': 3}",
        '{name: "Ann", age: 3}',
        '{"name": "Ann", // the name\n "age": 3}',
        '{"name": "Ann" "age": 3}',
    ],
)
def test_common_json_mistakes_are_repaired(payload):
    assert parse_structured(fenced(payload), PERSON) == {"name": "Ann", "age": 3}


def test_prose_after_json_inside_block():
    assert parse_structured(fenced('{"name": "A", "age": 1}\nThis is the record.'), PERSON) == {"name": "A", "age": 1}


@pytest.mark.parametrize("content", ["", "No JSON here, sorry.", None, "```json\n\n```", "42"])
def test_no_json_is_parse_error(content):
    with pytest.raises(ResponseParseError) as info:
        parse_structured(content, PERSON, column_name="person")
    assert info.value.failure_kind == "parse_error"
    assert "```json" in info.value.correction_prompt
    assert "person" in str(info.value)


# ------------------------------------------------------------------ pruning
def test_extra_keys_pruned_at_every_depth():
    payload = {
        "name": "A",
        "age": 1,
        "notes": "extra",
        "address": {"city": "X", "country": "extra"},
        "tags": [{"label": "t", "color": "extra"}, {"label": "u"}],
    }
    assert parse_structured(fenced(json.dumps(payload)), PERSON) == {
        "name": "A",
        "age": 1,
        "address": {"city": "X"},
        "tags": [{"label": "t"}, {"label": "u"}],
    }


def test_pruning_follows_refs_and_defs():
    schema = {
        "type": "object",
        "properties": {"items": {"type": "array", "items": {"$ref": "#/$defs/Item"}}, "owner": {"$ref": "#/$defs/P"}},
        "$defs": {
            "Item": {"type": "object", "properties": {"sku": {"type": "string"}}, "required": ["sku"]},
            "P": {"type": "object", "properties": {"id": {"type": "integer"}}},
        },
    }
    payload = {"items": [{"sku": "a", "price": 3}], "owner": {"id": 1, "secret": True}, "x": 0}
    assert parse_structured(json.dumps(payload), schema) == {"items": [{"sku": "a"}], "owner": {"id": 1}}


def test_pruning_follows_draft7_definitions_and_recursive_refs():
    schema = {
        "$ref": "#/definitions/Node",
        "definitions": {
            "Node": {
                "type": "object",
                "properties": {"value": {"type": "integer"}, "children": {"type": "array", "items": {"$ref": "#"}}},
            }
        },
    }
    payload = {"value": 1, "junk": 1, "children": [{"value": 2, "junk": 2, "children": [{"value": 3, "junk": 3}]}]}
    assert parse_structured(json.dumps(payload), schema) == {
        "value": 1,
        "children": [{"value": 2, "children": [{"value": 3}]}],
    }


def test_pruning_through_optional_anyof_and_allof():
    schema = {
        "type": "object",
        "properties": {"maybe": {"anyOf": [{"$ref": "#/$defs/A"}, {"type": "null"}]}},
        "allOf": [{"properties": {"from_all_of": {"type": "integer"}}}],
        "$defs": {"A": {"type": "object", "properties": {"a": {"type": "integer"}}}},
    }
    payload = {"maybe": {"a": 1, "b": 2}, "from_all_of": 5, "gone": 0}
    assert parse_structured(json.dumps(payload), schema) == {"maybe": {"a": 1}, "from_all_of": 5}
    assert parse_structured('{"maybe": null}', schema) == {"maybe": None}


def test_pruning_picks_union_branch_by_discriminator():
    schema = {
        "type": "object",
        "properties": {
            "pet": {
                "oneOf": [
                    {"type": "object", "properties": {"kind": {"const": "cat"}, "lives": {"type": "integer"}}},
                    {"type": "object", "properties": {"kind": {"const": "dog"}, "breed": {"type": "string"}}},
                ]
            }
        },
    }
    payload = {"pet": {"kind": "dog", "breed": "lab", "lives": 9, "extra": 1}}
    assert parse_structured(json.dumps(payload), schema) == {"pet": {"kind": "dog", "breed": "lab"}}


def test_additional_properties_true_or_schema_keeps_unknown_keys():
    schema = {
        "type": "object",
        "properties": {
            "open": {"type": "object", "properties": {"a": {}}, "additionalProperties": True},
            "map": {"type": "object", "additionalProperties": {"type": "object", "properties": {"v": {}}}},
            "free": {"type": "object"},
        },
    }
    payload = {"open": {"a": 1, "b": 2}, "map": {"k1": {"v": 1, "w": 2}}, "free": {"anything": [1]}}
    assert parse_structured(json.dumps(payload), schema) == {
        "open": {"a": 1, "b": 2},
        "map": {"k1": {"v": 1}},
        "free": {"anything": [1]},
    }


def test_pattern_properties_are_kept():
    schema = {"type": "object", "properties": {"id": {}}, "patternProperties": {"^x_": {"type": "integer"}}}
    assert parse_structured('{"id": 1, "x_a": 2, "y": 3}', schema) == {"id": 1, "x_a": 2}


def test_prefix_items_tuple_pruning():
    schema = {
        "type": "array",
        "prefixItems": [{"type": "object", "properties": {"a": {}}}],
        "items": {"type": "object", "properties": {"b": {}}},
    }
    assert parse_structured('[{"a": 1, "z": 0}, {"b": 2, "z": 0}]', schema) == [{"a": 1}, {"b": 2}]


# ------------------------------------------------------------------ validation
def test_wrong_type_is_schema_validation_error_with_path():
    with pytest.raises(ResponseParseError) as info:
        parse_structured(fenced('{"name": "A", "age": "old"}'), PERSON, column_name="person")
    error = info.value
    assert error.failure_kind == "schema_validation"
    assert "$.age" in error.correction_prompt and "integer" in error.correction_prompt
    assert "person" in str(error)


def test_missing_required_is_schema_validation_error():
    with pytest.raises(ResponseParseError) as info:
        parse_structured(fenced('{"name": "A", "address": {"zip": "1"}}'), PERSON)
    assert info.value.failure_kind == "schema_validation"
    assert "'age' is a required property" in info.value.correction_prompt
    assert "'city' is a required property" in info.value.correction_prompt


def test_nested_ref_type_error_path():
    schema = {
        "type": "object",
        "properties": {"items": {"type": "array", "items": {"$ref": "#/$defs/I"}}},
        "$defs": {"I": {"type": "object", "properties": {"n": {"type": "integer"}}}},
    }
    with pytest.raises(ResponseParseError) as info:
        parse_structured('{"items": [{"n": 1}, {"n": "two"}]}', schema)
    assert "$.items[1].n" in info.value.correction_prompt


def test_draft7_tuple_items_schema_without_dollar_schema_is_accepted():
    schema = {"type": "array", "items": [{"type": "integer"}, {"type": "string"}]}
    assert parse_structured('[1, "a"]', schema) == [1, "a"]
    with pytest.raises(ResponseParseError):
        parse_structured('["a", 1]', schema)


def test_invalid_schema_is_config_error():
    with pytest.raises(InvalidConfigError, match="output_format"):
        parse_structured("{}", {"type": "no-such-type"})


# ------------------------------------------------------------------ compilation cache
def test_compiled_schema_is_cached_by_content():
    a = {"type": "object", "properties": {"x": {"type": "integer"}}}
    b = {"properties": {"x": {"type": "integer"}}, "type": "object"}
    assert compile_schema(a) is compile_schema(b)
    assert compile_schema(compile_schema(a)) is compile_schema(a)


def test_compiled_schema_is_isolated_from_later_mutation():
    schema = {"type": "object", "properties": {"x": {"type": "integer"}}}
    compiled = compile_schema(schema)
    schema["properties"]["x"]["type"] = "string"
    assert compiled.parse('{"x": 1}') == {"x": 1}


def test_compiled_schema_parse_matches_function():
    compiled = compile_schema(PERSON)
    content = fenced('{"name": "A", "age": 1, "zzz": 0}')
    assert compiled.parse(content) == parse_structured(content, PERSON) == {"name": "A", "age": 1}


# ------------------------------------------------------------------ instructions and schema sources
def test_structured_instructions_embed_pretty_schema_between_tag_lines():
    text = structured_instructions(PERSON)
    assert "```json" in text
    lines = text.splitlines()
    start, end = lines.index("<response_schema>"), lines.index("</response_schema>")
    assert json.loads("\n".join(lines[start + 1 : end])) == PERSON
    assert "\n  " in "\n".join(lines[start + 1 : end])  # pretty printed
    assert "JSON object" in text


def test_structured_instructions_for_array_schema():
    assert "JSON array" in structured_instructions({"type": "array", "items": {}})


class Address(pydantic.BaseModel):
    city: str


class Customer(pydantic.BaseModel):
    name: str
    address: Address | None = None


def test_schema_from_pydantic_model_parses_with_refs():
    schema = schema_from_output_format(Customer)
    assert "$defs" in schema
    content = fenced('{"name": "A", "address": {"city": "B", "zip": 1}, "extra": 2}')
    assert parse_structured(content, schema) == {"name": "A", "address": {"city": "B"}}


def test_schema_from_dict_and_json_string():
    assert schema_from_output_format({"type": "object"}) == {"type": "object"}
    assert schema_from_output_format('{"type": "object"}') == {"type": "object"}


@pytest.mark.parametrize("bad", [42, "not json", Address(city="x"), "[1]"])
def test_schema_from_output_format_rejects_other_values(bad):
    with pytest.raises(InvalidConfigError):
        schema_from_output_format(bad)


def test_extract_json_returns_none_without_json():
    assert extract_json("nothing") is None
    assert extract_json('{"a": [1, 2]}') == {"a": [1, 2]}


def test_validation_messages_are_truncated_for_huge_values():
    schema = {"type": "object", "properties": {"x": {"type": "integer"}}}
    with pytest.raises(ResponseParseError) as info:
        parse_structured(json.dumps({"x": "y" * 5000}), schema)
    assert len(info.value.correction_prompt) < 1000
    assert "$.x" in info.value.correction_prompt
