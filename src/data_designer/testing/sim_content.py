"""Deterministic answer content for the simulated endpoint.

Everything here is a pure function of its inputs and a ``random.Random`` the caller seeds from (endpoint seed,
request body), so the same request always gets the same answer and nothing touches I/O or a clock.

Schemas are compiled once per schema *text* (``compile_schema_text`` is cached) into a tree of small closures; a
request then only walks closures, which keeps structured answers cheap enough for thousands of requests per second.
Supported JSON-schema keywords: type (incl. lists), enum, const, anyOf/oneOf (first non-null branch), allOf (merged),
$ref into the same document ($defs/definitions/JSON pointer), properties/required, additionalProperties,
minProperties, items/prefixItems, minItems/maxItems/uniqueItems, minimum/maximum (+ exclusive forms), multipleOf,
minLength/maxLength and format date, date-time, time, email, uuid, uri, hostname, ipv4. ``pattern`` is not honoured.
"""

from __future__ import annotations

import functools
import hashlib
import math
import random
import re
import struct
import uuid
import zlib
from collections.abc import Callable
from string import Template
from typing import Any

import orjson

Generator = Callable[[random.Random, int], Any]

_SOFT_DEPTH = 6  # past this depth only required properties and minItems are produced (ends recursive schemas)
_HARD_DEPTH = 40
_WORDS = (
    "alpha amber anchor atlas beacon birch cedar cobalt comet coral delta ember falcon fern glacier granite harbor "
    "indigo iris jade juniper kestrel lagoon lumen maple meadow nebula nimbus oak onyx orbit pebble quartz raven "
    "river saffron sierra slate summit tidal topaz tundra umber valley vector willow zephyr"
).split()
_STOPWORDS = frozenset(
    "that this with from your what which when where there their about would should could into than then them these "
    "those have will been were they must only also such each more most other some very just like make please answer "
    "return respond following given write using based include provide tell about describe explain short brief".split()
)
_TOPIC_RE = re.compile(r"[A-Za-z][A-Za-z-]{3,}")
_FENCE_LANG_RE = re.compile(r"```([A-Za-z][\w+#.-]*)")
_SCHEMA_OPEN, _SCHEMA_CLOSE = "<response_schema>", "</response_schema>"


def derive_seed(seed: int, *parts: bytes | str) -> int:
    """A 64-bit seed from the endpoint seed and request parts; stable across processes (unlike ``hash``)."""
    h = hashlib.blake2b(seed.to_bytes(8, "little", signed=True), digest_size=8)
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
    return int.from_bytes(h.digest(), "little")


# ----------------------------------------------------------------------------------------------- JSON schema
def extract_schema_text(prompt: str) -> str | None:
    """Text of the LAST ``<response_schema>`` block (earlier mentions are usually instructions, not the schema)."""
    start = prompt.rfind(_SCHEMA_OPEN)
    if start < 0:
        return None
    start += len(_SCHEMA_OPEN)
    end = prompt.find(_SCHEMA_CLOSE, start)
    return prompt[start:] if end < 0 else prompt[start:end]


@functools.lru_cache(maxsize=512)
def compile_schema_text(text: str) -> Generator | None:
    """Parse a schema block (bare JSON or fenced) and compile it; ``None`` when it is not a JSON-schema object."""
    body = text.strip()
    if body.startswith("```"):
        body = body.split("\n", 1)[1] if "\n" in body else ""
        body = body.rsplit("```", 1)[0]
    try:
        schema = orjson.loads(body)
    except orjson.JSONDecodeError:
        first, last = body.find("{"), body.rfind("}")
        try:
            schema = orjson.loads(body[first : last + 1]) if 0 <= first < last else None
        except orjson.JSONDecodeError:
            schema = None
    if not isinstance(schema, dict):
        return None
    return _SchemaCompiler(schema).compile(schema)


def generate_instance(schema: dict[str, Any], rng: random.Random) -> Any:
    """One instance valid for ``schema`` (uncached; the server path goes through ``compile_schema_text``)."""
    return _SchemaCompiler(schema).compile(schema)(rng, 0)


class _SchemaCompiler:
    """Compiles one schema document; ``$ref`` targets are compiled lazily so recursive schemas terminate."""

    def __init__(self, root: dict[str, Any]) -> None:
        self._root = root
        self._refs: dict[str, Generator] = {}

    def compile(self, schema: Any) -> Generator:
        if schema is False:
            return _gen_null
        if not isinstance(schema, dict) or not schema:
            return _gen_any
        if "$ref" in schema:
            return self._compile_ref(schema["$ref"])
        if "const" in schema:
            const = schema["const"]
            return lambda rng, depth: const
        if "enum" in schema and schema["enum"]:
            choices = list(schema["enum"])
            return lambda rng, depth: rng.choice(choices)
        if "allOf" in schema:
            merged = {k: v for k, v in schema.items() if k != "allOf"}
            for branch in schema["allOf"]:
                merged = _merge(merged, self._resolve(branch))
            return self.compile(merged)
        for key in ("anyOf", "oneOf"):
            if key in schema and schema[key]:
                branches = [self._resolve(b) for b in schema[key]]
                chosen = next((b for b in branches if b.get("type") != "null"), branches[0])
                return self.compile(_merge({k: v for k, v in schema.items() if k != key}, chosen))
        kind = _schema_type(schema)
        if kind == "object":
            return self._compile_object(schema)
        if kind == "array":
            return self._compile_array(schema)
        if kind == "integer" or kind == "number":
            return _compile_number(schema, integer=kind == "integer")
        if kind == "boolean":
            return lambda rng, depth: rng.random() < 0.5
        if kind == "null":
            return _gen_null
        return _compile_string(schema)

    def _resolve(self, schema: Any) -> dict[str, Any]:
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 32:
            schema, seen = self._lookup(schema["$ref"]), seen + 1
        return schema if isinstance(schema, dict) else {}

    def _lookup(self, ref: str) -> Any:
        if not ref.startswith("#"):
            return {}
        node: Any = self._root
        for token in ref[1:].lstrip("/").split("/") if ref not in ("#", "#/") else ():
            token = token.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
                node = node[int(token)]
            else:
                return {}
        return node

    def _compile_ref(self, ref: str) -> Generator:
        if ref not in self._refs:
            self._refs[ref] = _gen_null  # placeholder while compiling; the closure below reads the final entry
            self._refs[ref] = self.compile(self._lookup(ref))
        refs = self._refs
        return lambda rng, depth: _gen_null(rng, depth) if depth > _HARD_DEPTH else refs[ref](rng, depth)

    def _compile_object(self, schema: dict[str, Any]) -> Generator:
        properties = schema.get("properties") or {}
        required = set(schema.get("required") or ())
        props = [(name, name in required, self.compile(sub)) for name, sub in properties.items()]
        extra_schema = schema.get("additionalProperties", True)
        extra_gen = self.compile(extra_schema) if isinstance(extra_schema, dict) else _gen_any
        extra_required = [name for name in sorted(required) if name not in properties]
        min_props = int(schema.get("minProperties", 0))

        def gen(rng: random.Random, depth: int) -> dict[str, Any]:
            shallow = depth >= _SOFT_DEPTH
            out = {name: g(rng, depth + 1) for name, req, g in props if req or not shallow}
            for name in extra_required:
                out[name] = extra_gen(rng, depth + 1)
            i = 0
            while len(out) < min_props and extra_schema is not False:
                out.setdefault(f"extra_{i}", extra_gen(rng, depth + 1))
                i += 1
            return out

        return gen

    def _compile_array(self, schema: dict[str, Any]) -> Generator:
        items = schema.get("items")
        prefix = schema.get("prefixItems") or (items if isinstance(items, list) else [])
        prefix_gens = [self.compile(s) for s in prefix]
        extra = schema.get("additionalItems")
        rest_schema = items if isinstance(items, dict) else extra if isinstance(extra, dict) else {}
        rest_gen = self.compile(rest_schema)
        closed = items is False or (isinstance(items, list) and extra is False)
        min_items = int(schema.get("minItems", 0))
        max_items = schema.get("maxItems")
        cap = min(len(prefix_gens) if closed else math.inf, math.inf if max_items is None else int(max_items))
        lo = min(max(min_items, 1), cap) if cap >= 1 else 0
        hi = int(min(cap, max(lo, 3)))
        unique = bool(schema.get("uniqueItems"))

        def gen(rng: random.Random, depth: int) -> list[Any]:
            count = min_items if depth >= _SOFT_DEPTH else rng.randint(lo, hi)
            out: list[Any] = []
            seen: set[bytes] = set()
            attempts = 0
            while len(out) < count and attempts < count * 8 + 8:
                attempts += 1
                idx = len(out)
                value = prefix_gens[idx](rng, depth + 1) if idx < len(prefix_gens) else rest_gen(rng, depth + 1)
                if unique:
                    key = orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
                    if key in seen:
                        continue
                    seen.add(key)
                out.append(value)
            return out

        return gen


def _schema_type(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if isinstance(kind, str):
        return kind
    if "properties" in schema or "required" in schema or "additionalProperties" in schema:
        return "object"
    if "items" in schema or "prefixItems" in schema:
        return "array"
    if "minimum" in schema or "maximum" in schema or "multipleOf" in schema:
        return "number"
    return "string"


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = {**base, **extra}
    if "properties" in base and "properties" in extra:
        merged["properties"] = {**base["properties"], **extra["properties"]}
    if "required" in base and "required" in extra:
        merged["required"] = list(dict.fromkeys([*base["required"], *extra["required"]]))
    return merged


def _gen_null(rng: random.Random, depth: int) -> None:
    return None


def _gen_any(rng: random.Random, depth: int) -> str:
    return f"{rng.choice(_WORDS)} {rng.choice(_WORDS)}"


def _compile_number(schema: dict[str, Any], *, integer: bool) -> Generator:
    lo, hi = schema.get("minimum"), schema.get("maximum")
    ex_lo, ex_hi = schema.get("exclusiveMinimum"), schema.get("exclusiveMaximum")
    if ex_lo is True:  # draft 4 boolean form
        ex_lo, lo = lo, None
    if ex_hi is True:
        ex_hi, hi = hi, None
    ex_lo = None if isinstance(ex_lo, bool) else ex_lo
    ex_hi = None if isinstance(ex_hi, bool) else ex_hi
    low = max((v for v in (lo, ex_lo) if v is not None), default=None)
    high = min((v for v in (hi, ex_hi) if v is not None), default=None)
    if low is None:
        low = 0 if high is None or high >= 0 else high - 100
    if high is None:
        high = low + 100
    step = schema.get("multipleOf")
    if integer or step:
        unit = step or 1
        k_lo, k_hi = math.ceil(low / unit), math.floor(high / unit)
        if ex_lo is not None and k_lo * unit <= ex_lo:
            k_lo += 1
        if ex_hi is not None and k_hi * unit >= ex_hi:
            k_hi -= 1
        k_hi = max(k_lo, k_hi)
        if integer and isinstance(unit, int):
            return lambda rng, depth: rng.randint(k_lo, k_hi) * unit
        return lambda rng, depth: round(rng.randint(k_lo, k_hi) * unit, 10)

    def gen(rng: random.Random, depth: int) -> float:
        raw = rng.uniform(low, high)
        for value in (round(raw, 2), raw, (low + high) / 2):
            if (low <= value <= high) and (ex_lo is None or value > ex_lo) and (ex_hi is None or value < ex_hi):
                return value
        return raw

    return gen


def _format_value(fmt: str, rng: random.Random) -> str | None:
    if fmt == "date" or fmt == "date-time":
        day = f"{rng.randint(2000, 2025):04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        return day if fmt == "date" else f"{day}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00Z"
    if fmt == "time":
        return f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z"
    if fmt == "email":
        return f"{rng.choice(_WORDS)}.{rng.choice(_WORDS)}{rng.randint(1, 99)}@example.com"
    if fmt == "uuid":
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))
    if fmt in ("uri", "url", "iri"):
        return f"https://example.com/{rng.choice(_WORDS)}/{rng.randint(1, 9999)}"
    if fmt == "hostname":
        return f"{rng.choice(_WORDS)}.example.com"
    if fmt == "ipv4":
        return f"192.0.2.{rng.randint(1, 254)}"
    return None


def _compile_string(schema: dict[str, Any]) -> Generator:
    fmt = schema.get("format")
    min_len = int(schema.get("minLength", 0))
    max_len = schema.get("maxLength")

    def gen(rng: random.Random, depth: int) -> str:
        text = _format_value(fmt, rng) if fmt else None
        if text is None:
            text = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(2, 5)))
            while len(text) < min_len:
                text = f"{text} {rng.choice(_WORDS)}"
        if max_len is not None and len(text) > max_len:
            text = text[:max_len]
            if len(text.rstrip()) >= min_len:
                text = text.rstrip()
        return text

    return gen


# ------------------------------------------------------------------------------------------------------ code
def extract_code_language(prompt: str) -> str | None:
    """Language tag of the LAST ```<lang> in the prompt (the requested output fence), else ``None``."""
    matches = _FENCE_LANG_RE.findall(prompt)
    return matches[-1] if matches else None


_LANG_ALIASES = {
    "py": "python", "python3": "python", "js": "javascript", "node": "javascript", "jsx": "javascript",
    "ts": "typescript", "tsx": "typescript", "sh": "bash", "shell": "bash", "zsh": "bash", "console": "bash",
    "golang": "go", "rs": "rust", "c++": "cpp", "cxx": "cpp", "cc": "cpp", "cs": "csharp", "c#": "csharp",
    "kt": "kotlin", "rb": "ruby", "yml": "yaml", "postgresql": "sql", "postgres": "sql", "mysql": "sql",
    "sqlite": "sql", "tsql": "sql", "plsql": "sql", "ansi": "sql",
}  # fmt: skip
_CODE_TEMPLATES: dict[str, str] = {
    "python": 'def ${fn}(items: list[dict]) -> dict[str, float]:\n    """Sum ${noun} amounts per ${key}."""\n'
    "    totals: dict[str, float] = {}\n    for item in items:\n"
    '        key = str(item.get("${key}", "unknown"))\n'
    '        totals[key] = totals.get(key, 0.0) + float(item.get("amount", 0))\n    return totals\n\n\n'
    'if __name__ == "__main__":\n    print(${fn}([{"${key}": "a", "amount": ${n}}]))',
    "sql": "SELECT ${key}, COUNT(*) AS ${noun}_count, SUM(amount) AS total_amount\nFROM ${noun}s\n"
    "WHERE amount > ${n}\nGROUP BY ${key}\nORDER BY total_amount DESC\nLIMIT 10;",
    "javascript": "function ${fnCamel}(items) {\n  const totals = {};\n  for (const item of items) {\n"
    "    const key = String(item.${key} ?? 'unknown');\n    totals[key] = (totals[key] || 0) + Number(item.amount || 0);\n"
    "  }\n  return totals;\n}\n\nconsole.log(${fnCamel}([{ ${key}: 'a', amount: ${n} }]));",
    "typescript": "export function ${fnCamel}(items: Array<{ ${key}: string; amount: number }>): Record<string, number> {\n"
    "  const totals: Record<string, number> = {};\n  for (const item of items) {\n"
    "    totals[item.${key}] = (totals[item.${key}] ?? 0) + item.amount;\n  }\n  return totals;\n}",
    "bash": '#!/usr/bin/env bash\nset -euo pipefail\n\n# Count ${noun} lines per ${key}.\ninput="$${1:-${noun}s.csv}"\n'
    'cut -d, -f1 "$$input" | sort | uniq -c | sort -rn | head -n ${n}',
    "java": "import java.util.*;\n\npublic class ${Noun}Totals {\n"
    "    public static Map<String, Double> ${fnCamel}(List<Map<String, Object>> items) {\n"
    "        Map<String, Double> totals = new HashMap<>();\n        for (Map<String, Object> item : items) {\n"
    '            String key = String.valueOf(item.getOrDefault("${key}", "unknown"));\n'
    '            totals.merge(key, ((Number) item.getOrDefault("amount", 0)).doubleValue(), Double::sum);\n'
    "        }\n        return totals;\n    }\n}",
    "go": 'package main\n\nimport "fmt"\n\ntype ${Noun} struct {\n\t${Key}  string\n\tAmount float64\n}\n\n'
    "func ${FnCamel}(items []${Noun}) map[string]float64 {\n\ttotals := make(map[string]float64)\n"
    "\tfor _, item := range items {\n\t\ttotals[item.${Key}] += item.Amount\n\t}\n\treturn totals\n}\n\n"
    'func main() {\n\tfmt.Println(${FnCamel}([]${Noun}{{${Key}: "a", Amount: ${n}}}))\n}',
    "rust": "use std::collections::HashMap;\n\nstruct ${Noun} {\n    ${key}: String,\n    amount: f64,\n}\n\n"
    "fn ${fn}(items: &[${Noun}]) -> HashMap<String, f64> {\n    let mut totals = HashMap::new();\n"
    "    for item in items {\n        *totals.entry(item.${key}.clone()).or_insert(0.0) += item.amount;\n    }\n"
    "    totals\n}\n\nfn main() {\n"
    '    let items = vec![${Noun} { ${key}: "a".to_string(), amount: ${n}.0 }];\n    println!("{:?}", ${fn}(&items));\n}',
    "c": "#include <stdio.h>\n\ndouble ${fn}(const double *amounts, int count) {\n    double total = 0.0;\n"
    "    for (int i = 0; i < count; i++) {\n        total += amounts[i];\n    }\n    return total;\n}\n\n"
    'int main(void) {\n    double amounts[] = {${n}.0, 2.5};\n    printf("%f\\n", ${fn}(amounts, 2));\n    return 0;\n}',
    "cpp": "#include <iostream>\n#include <vector>\n\ndouble ${fn}(const std::vector<double>& amounts) {\n"
    "    double total = 0.0;\n    for (double a : amounts) total += a;\n    return total;\n}\n\n"
    "int main() {\n    std::cout << ${fn}({${n}.0, 2.5}) << std::endl;\n    return 0;\n}",
    "csharp": "using System.Collections.Generic;\nusing System.Linq;\n\npublic static class ${Noun}Totals\n{\n"
    "    public static Dictionary<string, double> ${FnCamel}(IEnumerable<(string Key, double Amount)> items) =>\n"
    "        items.GroupBy(i => i.Key).ToDictionary(g => g.Key, g => g.Sum(i => i.Amount));\n}",
    "ruby": "def ${fn}(items)\n  items.each_with_object(Hash.new(0.0)) do |item, totals|\n"
    "    totals[item.fetch(:${key}, 'unknown')] += item.fetch(:amount, 0)\n  end\nend\n\n"
    "puts ${fn}([{ ${key}: 'a', amount: ${n} }])",
    "php": "<?php\n\nfunction ${fn}(array $$items): array {\n    $$totals = [];\n    foreach ($$items as $$item) {\n"
    "        $$key = $$item['${key}'] ?? 'unknown';\n        $$totals[$$key] = ($$totals[$$key] ?? 0) + $$item['amount'];\n"
    "    }\n    return $$totals;\n}",
    "kotlin": "fun ${fnCamel}(items: List<Pair<String, Double>>): Map<String, Double> =\n"
    "    items.groupBy({ it.first }, { it.second }).mapValues { (_, v) -> v.sum() }\n\n"
    'fun main() {\n    println(${fnCamel}(listOf("a" to ${n}.0)))\n}',
    "swift": "func ${fnCamel}(_ items: [(String, Double)]) -> [String: Double] {\n    var totals: [String: Double] = [:]\n"
    "    for (key, amount) in items {\n        totals[key, default: 0] += amount\n    }\n    return totals\n}",
    "r": "${fn} <- function(df) {\n  aggregate(amount ~ ${key}, data = df, FUN = sum)\n}\n\n"
    'print(${fn}(data.frame(${key} = c("a", "b"), amount = c(${n}, 2))))',
    "html": '<!DOCTYPE html>\n<html lang="en">\n<head>\n  <meta charset="utf-8">\n  <title>${Noun} totals</title>\n'
    '</head>\n<body>\n  <h1>${Noun} totals</h1>\n  <ul id="${noun}-list">\n    <li>${key}: ${n}</li>\n  </ul>\n'
    "</body>\n</html>",
    "css": ".${noun}-card {\n  display: flex;\n  gap: ${n}px;\n  padding: 1rem;\n  border-radius: 8px;\n}",
    "yaml": "${noun}:\n  ${key}: a\n  amount: ${n}\n  tags:\n    - ${word}",
    "json": '{\n  "${noun}": {\n    "${key}": "a",\n    "amount": ${n},\n    "tags": ["${word}"]\n  }\n}',
}
_GENERIC_CODE = (
    "# ${Noun} totals per ${key}\ntotal = 0\nfor item in ${noun}s:\n    total = total + item.amount\nprint(total)"
)
_NOUNS = ("order", "invoice", "customer", "sensor", "ticket", "payment", "shipment", "session")
_KEYS = ("region", "category", "status", "owner", "channel", "segment")


def make_code_snippet(language: str, rng: random.Random) -> str:
    """Plausible, syntactically valid code in ``language`` (python is compilable, sql runs on sqlite)."""
    template = _CODE_TEMPLATES.get(_LANG_ALIASES.get(language.lower(), language.lower()), _GENERIC_CODE)
    noun, key, word = rng.choice(_NOUNS), rng.choice(_KEYS), rng.choice(_WORDS)
    fn = f"total_{noun}_by_{key}"
    fn_camel = "".join(p.capitalize() if i else p for i, p in enumerate(fn.split("_")))
    return Template(template).substitute(
        fn=fn, fnCamel=fn_camel, FnCamel=fn_camel[0].upper() + fn_camel[1:], noun=noun, Noun=noun.capitalize(),
        key=key, Key=key.capitalize(), word=word, n=rng.randint(2, 99),
    )  # fmt: skip


# ------------------------------------------------------------------------------------------------ plain text
_SENTENCES = (
    "Over time, {a} shapes how {b} develops.",
    "In practice, {a} and {b} are closely related.",
    "A careful look at {c} reveals a clear pattern.",
    "Most questions about {a} come down to a simple rule.",
    "When in doubt, check {b} first.",
    "Under normal conditions, {c} stays stable.",
)


def make_plain_text(prompt: str, rng: random.Random) -> str:
    """A few sentences about words taken from the prompt, so answers differ per prompt but stay reproducible."""
    topics = list(dict.fromkeys(w.lower() for w in _TOPIC_RE.findall(prompt[:4000]) if w.lower() not in _STOPWORDS))
    while len(topics) < 3:
        topics.append(rng.choice(_WORDS))
    a, b, c = rng.sample(topics, 3)
    picks = rng.sample(_SENTENCES, rng.randint(2, 4))
    return " ".join(s.format(a=a, b=b, c=c) for s in picks)


# ------------------------------------------------------------------------------------------------ chat answer
def render_chat_answer(prompt: str, rng: random.Random, *, malformed: bool = False) -> str:
    """Answer a chat prompt: fenced JSON for a schema, one fenced code block for a language, else plain text.

    ``malformed`` breaks the answer the way real models do: truncated JSON, code without a fence, empty text.
    """
    schema_text = extract_schema_text(prompt)
    if schema_text is not None:
        gen = compile_schema_text(schema_text)
        data = orjson.dumps(gen(rng, 0) if gen is not None else {}, option=orjson.OPT_INDENT_2).decode()
        return f"```json\n{_truncate_json(data)}" if malformed else f"```json\n{data}\n```"
    language = extract_code_language(prompt)
    if language is not None:
        code = make_code_snippet(language, rng)
        return code if malformed else f"```{language}\n{code}\n```"
    return "" if malformed else make_plain_text(prompt, rng)


def render_structured_output(schema: dict[str, Any], rng: random.Random, *, malformed: bool = False) -> str:
    """Raw JSON (no fence) for OpenAI ``response_format: json_schema`` requests."""
    gen = compile_schema_text(orjson.dumps(schema).decode())
    data = orjson.dumps(gen(rng, 0) if gen is not None else {}).decode()
    return _truncate_json(data) if malformed else data


def _truncate_json(data: str) -> str:
    """Cut JSON mid-way and leave a string open, so no prefix happens to be valid JSON (e.g. ``4`` of ``42``)."""
    return data[: max(1, len(data) // 2)] + ', "'


# ------------------------------------------------------------------------------------------ embeddings, images
def make_embedding(text: str, dim: int, seed: int) -> list[float]:
    """A unit vector determined by (seed, text): same text, same vector, whatever else is in the batch."""
    rng = random.Random(derive_seed(seed, "embedding", text))
    vec = [rng.gauss(0.0, 1.0) for _ in range(dim)]
    norm = math.sqrt(sum(v * v for v in vec)) or 1.0
    return [v / norm for v in vec]


def make_png(seed: int, size: int = 4) -> bytes:
    """A tiny valid RGB PNG of one colour chosen by ``seed``."""
    rgb = seed.to_bytes(8, "little")[:3]
    raw = b"".join(b"\x00" + rgb * size for _ in range(size))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
