"""Dropping keys the schema does not declare, at every depth, before validation.

Models like to add a helpful ``"notes"`` key or echo the schema's ``"title"``. That is not worth a retry, so an object
whose schema lists ``properties`` keeps only those keys (plus keys matching ``patternProperties``). The walk follows
local ``$ref`` pointers (``#/$defs/...``, ``#/definitions/...``), merges ``allOf`` (and ``then``/``else``/
``dependentSchemas``, so conditionally declared keys survive), picks the best-fitting ``anyOf``/``oneOf`` branch for
each value (a matching ``const`` discriminator first, then the most declared keys), and descends into ``items``,
``prefixItems`` and draft-7 tuple ``items``.

Deliberate exceptions: an object schema with ``additionalProperties: true`` or a schema-valued
``additionalProperties`` keeps its undeclared keys (the latter are pruned against that schema), and an object schema
that declares nothing at all (``{"type": "object"}``) is a free-form mapping and is left alone.

Per-schema facts are memoised by ``id`` of the subschema; the pruner owns a private copy of the schema, so ids
stay valid and nobody can mutate it underneath.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

__all__ = ["SchemaPruner"]

_MAX_REF_HOPS = 32
_MAX_DEPTH = 200


@dataclass
class _ObjectView:
    properties: dict[str, Any] = field(default_factory=dict)
    patterns: list[tuple[re.Pattern[str], Any]] = field(default_factory=list)
    additional: Any = None  # None: not said; False: forbidden; True: allowed; dict: allowed with that schema
    alternatives: list[Any] = field(default_factory=list)
    consts: dict[str, Any] = field(default_factory=dict)

    @property
    def declares_anything(self) -> bool:
        return bool(self.properties or self.patterns) or self.additional is False


class SchemaPruner:
    """Removes undeclared object keys from a parsed JSON value according to one (root) schema."""

    def __init__(self, root: dict[str, Any]) -> None:
        self._root = root
        self._views: dict[int, _ObjectView] = {}
        self._arrays: dict[int, tuple[list[Any], Any]] = {}

    def prune(self, value: Any) -> Any:
        return self._prune(value, self._root, 0)

    # ------------------------------------------------------------------ schema navigation
    def _resolve(self, schema: Any) -> Any:
        hops = 0
        while isinstance(schema, dict) and isinstance(schema.get("$ref"), str) and hops < _MAX_REF_HOPS:
            target = self._pointer(schema["$ref"])
            if target is None:
                return schema
            schema = target
            hops += 1
        return schema

    def _pointer(self, ref: str) -> Any:
        if not ref.startswith("#"):
            return None  # remote references are not followed; such objects are left unpruned
        node: Any = self._root
        for raw in ref[1:].lstrip("/").split("/") if ref not in ("#", "#/") else []:
            part = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return None
        return node

    def _object_view(self, schema: dict[str, Any]) -> _ObjectView:
        key = id(schema)
        view = self._views.get(key)
        if view is None:
            view = _ObjectView()
            self._views[key] = view  # registered first: recursive allOf cannot loop
            self._merge_into(view, schema, set())
        return view

    def _merge_into(self, view: _ObjectView, schema: Any, seen: set[int]) -> None:
        schema = self._resolve(schema)
        if not isinstance(schema, dict) or id(schema) in seen:
            return
        seen.add(id(schema))
        for name, sub in (schema.get("properties") or {}).items():
            view.properties.setdefault(name, sub)
            resolved = self._resolve(sub)
            if isinstance(resolved, dict) and "const" in resolved:
                view.consts.setdefault(name, resolved["const"])
        for pattern, sub in (schema.get("patternProperties") or {}).items():
            try:
                view.patterns.append((re.compile(pattern), sub))
            except re.error:
                view.additional = True  # cannot evaluate the pattern: keep unknown keys rather than guess
        additional = schema.get("additionalProperties")
        if additional is True or isinstance(additional, dict):
            view.additional = additional if not isinstance(view.additional, dict) else view.additional
        elif additional is False and view.additional is None:
            view.additional = False
        for sub in schema.get("allOf") or []:
            self._merge_into(view, sub, seen)
        for keyword in ("then", "else"):
            if keyword in schema:
                self._merge_into(view, schema[keyword], seen)
        for sub in (schema.get("dependentSchemas") or {}).values():
            self._merge_into(view, sub, seen)
        for keyword in ("anyOf", "oneOf"):
            view.alternatives.extend(schema.get(keyword) or [])

    def _array_view(self, schema: dict[str, Any]) -> tuple[list[Any], Any]:
        key = id(schema)
        cached = self._arrays.get(key)
        if cached is None:
            cached = self._find_array_view(schema, set())
            self._arrays[key] = cached
        return cached

    def _find_array_view(self, schema: Any, seen: set[int]) -> tuple[list[Any], Any]:
        schema = self._resolve(schema)
        if not isinstance(schema, dict) or id(schema) in seen:
            return [], None
        seen.add(id(schema))
        items = schema.get("items")
        prefix = schema.get("prefixItems")
        if isinstance(items, list):  # draft 7 tuple form
            return items, schema.get("additionalItems") if isinstance(schema.get("additionalItems"), dict) else None
        if isinstance(prefix, list) or isinstance(items, dict):
            return list(prefix or []), items if isinstance(items, dict) else None
        for keyword in ("allOf", "anyOf", "oneOf"):
            for sub in schema.get(keyword) or []:
                found = self._find_array_view(sub, seen)
                if found[0] or found[1] is not None:
                    return found
        return [], None

    # ------------------------------------------------------------------ pruning
    def _choose(self, alternatives: list[Any], value: dict[str, Any]) -> _ObjectView | None:
        best: _ObjectView | None = None
        best_score = -(10**9)
        for alternative in alternatives:
            resolved = self._resolve(alternative)
            if not isinstance(resolved, dict):
                continue
            view = self._object_view(resolved)
            if not view.declares_anything and not view.alternatives:
                continue
            score = sum(1 for name in value if name in view.properties)
            for name, const in view.consts.items():
                if name in value:
                    score += 1000 if value[name] == const else -1000
            if score > best_score:
                best, best_score = view, score
        return best

    def _prune(self, value: Any, schema: Any, depth: int) -> Any:
        if depth > _MAX_DEPTH:
            return value
        schema = self._resolve(schema)
        if not isinstance(schema, dict):
            return value
        if isinstance(value, dict):
            return self._prune_object(value, self._object_view(schema), depth)
        if isinstance(value, list):
            prefix, items = self._array_view(schema)
            if not prefix and items is None:
                return value
            pruned = []
            for index, item in enumerate(value):
                sub = prefix[index] if index < len(prefix) else items
                pruned.append(self._prune(item, sub, depth + 1) if sub is not None else item)
            return pruned
        return value

    def _prune_object(self, value: dict[str, Any], view: _ObjectView, depth: int) -> dict[str, Any]:
        if depth > _MAX_DEPTH:
            return value
        if view.alternatives:
            chosen = self._choose(view.alternatives, value)
            if chosen is not None:
                merged = _ObjectView(
                    properties={**chosen.properties, **view.properties},
                    patterns=view.patterns + chosen.patterns,
                    additional=view.additional if view.additional is not None else chosen.additional,
                    alternatives=chosen.alternatives,
                )
                if view.additional is False and chosen.additional not in (None, False):
                    merged.additional = chosen.additional
                view = merged
                if view.alternatives:
                    return self._prune_object(value, view, depth + 1)
        if not view.declares_anything and view.additional is None:
            return value  # free-form mapping
        result: dict[str, Any] = {}
        for name, item in value.items():
            sub = view.properties.get(name)
            if sub is None:
                sub = next((s for pattern, s in view.patterns if pattern.search(name)), None)
            if sub is not None:
                result[name] = self._prune(item, sub, depth + 1)
            elif view.additional is True:
                result[name] = item
            elif isinstance(view.additional, dict):
                result[name] = self._prune(item, view.additional, depth + 1)
            # else: undeclared key, dropped
        return result
