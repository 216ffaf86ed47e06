"""Agent session logs -> one normalised row per trace.

Every supported format is turned into the same row shape (:data:`ROLLOUT_COLUMNS`) so downstream prompts can treat
Claude Code and Codex traces alike. Messages are ChatML-style dicts: ``role`` (system/user/assistant/tool) and
``content`` (text), plus ``tool_calls`` (OpenAI function format) on assistant turns, ``tool_call_id`` on tool turns
and ``reasoning_content`` when the log kept the model's reasoning.

Real logs are appended to while agents run, so a line that is not a JSON object (e.g. a half-written last line) is
skipped and counted in ``source_meta["skipped_lines"]`` instead of failing the whole dataset. A file holding no
conversation (e.g. summary-only files) yields no row.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from data_designer.config.seed_source import AgentRolloutFormat, AgentRolloutSeedSource
from data_designer.errors import SeedReaderError
from data_designer.generators.seed_readers.base import ColumnsSeedTable, SeedSourceReader, SeedTable
from data_designer.generators.seed_readers.filesystem import list_matching_files, resolve_root

__all__ = [
    "ROLLOUT_COLUMNS",
    "ROLLOUT_NORMALIZERS",
    "AgentRolloutSeedReader",
    "normalize_claude_code_session",
    "normalize_codex_session",
]

ROLLOUT_COLUMNS = [
    "trace_id",
    "source_kind",
    "source_path",
    "root_session_id",
    "agent_id",
    "is_sidechain",
    "cwd",
    "project_path",
    "git_branch",
    "started_at",
    "ended_at",
    "messages",
    "source_meta",
    "message_count",
    "tool_call_count",
    "final_assistant_message",
]

Message = dict[str, Any]


def _read_jsonl_objects(path: Path) -> tuple[list[dict[str, Any]], int]:
    """The JSON objects of a JSONL file, plus how many non-blank lines were not JSON objects."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise SeedReaderError(f"could not read agent rollout file {str(path)!r}: {exc}; check it is readable") from exc
    objects: list[dict[str, Any]] = []
    skipped = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError:
            skipped += 1
            continue
        if isinstance(value, dict):
            objects.append(value)
        else:
            skipped += 1
    return objects, skipped


def _tool_call(call_id: Any, name: Any, arguments: Any) -> dict[str, Any]:
    if not isinstance(arguments, str):
        arguments = json.dumps(arguments, ensure_ascii=False, sort_keys=True)
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}


def _text_of(content: Any) -> str:
    """Plain text of a string or a list of content blocks (text-bearing blocks only, joined by newlines)."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [_text_of(block) for block in content]
        return "\n".join(part for part in parts if part)
    if isinstance(content, dict):
        for key in ("text", "content", "output"):
            if key in content:
                return _text_of(content[key])
    return ""


def _summarise(
    messages: list[Message], *, timestamps: Iterable[Any], **fields: Any
) -> dict[str, Any]:  # fields: the format-specific columns
    stamps = sorted(stamp for stamp in timestamps if isinstance(stamp, str) and stamp)
    final = next(
        (m["content"] for m in reversed(messages) if m["role"] == "assistant" and m["content"].strip()),
        None,
    )
    row = {
        **fields,
        "started_at": fields.get("started_at") or (stamps[0] if stamps else None),
        "ended_at": stamps[-1] if stamps else None,
        "messages": messages,
        "message_count": len(messages),
        "tool_call_count": sum(len(m.get("tool_calls", [])) for m in messages),
        "final_assistant_message": final,
    }
    return {column: row.get(column) for column in ROLLOUT_COLUMNS}


def _first(values: Iterable[Any]) -> Any:
    return next((value for value in values if value not in (None, "")), None)


# ---------------------------------------------------------------- Claude Code
def _claude_user_messages(content: Any) -> list[Message]:
    if not isinstance(content, list):
        text = _text_of(content)
        return [{"role": "user", "content": text}] if text else []
    messages: list[Message] = []
    texts: list[str] = []
    for block in content:
        if isinstance(block, dict) and block.get("type") == "tool_result":
            messages.append(
                {"role": "tool", "content": _text_of(block.get("content")), "tool_call_id": block.get("tool_use_id")}
            )
        elif text := _text_of(block):
            texts.append(text)
    if texts:
        messages.append({"role": "user", "content": "\n".join(texts)})
    return messages


def _claude_assistant_parts(content: Any) -> tuple[str, list[dict[str, Any]], str]:
    if not isinstance(content, list):
        return _text_of(content), [], ""
    texts, reasoning, calls = [], [], []
    for block in content:
        kind = block.get("type") if isinstance(block, dict) else None
        if kind == "tool_use":
            calls.append(_tool_call(block.get("id"), block.get("name"), block.get("input", {})))
        elif kind == "thinking":
            reasoning.append(str(block.get("thinking", "")))
        elif kind in ("text", None):
            texts.append(_text_of(block))
    return "\n".join(t for t in texts if t), calls, "\n".join(r for r in reasoning if r)


def _append_assistant(messages: list[Message], text: str, calls: list[dict[str, Any]], reasoning: str) -> None:
    message: Message = {"role": "assistant", "content": text}
    if calls:
        message["tool_calls"] = calls
    if reasoning:
        message["reasoning_content"] = reasoning
    messages.append(message)


def normalize_claude_code_session(path: Path) -> list[dict[str, Any]]:
    """One Claude Code session file (``<project>/<sessionId>.jsonl`` or a sub-agent file) -> at most one row."""
    records, skipped = _read_jsonl_objects(path)
    turns = [r for r in records if r.get("type") in ("user", "assistant") and isinstance(r.get("message"), dict)]
    messages: list[Message] = []
    last_assistant_id: Any = None
    for record in turns:
        if record.get("isMeta"):
            continue  # harness-injected notices, not part of the conversation
        message = record["message"]
        if record["type"] == "user":
            messages.extend(_claude_user_messages(message.get("content")))
            last_assistant_id = None
            continue
        text, calls, reasoning = _claude_assistant_parts(message.get("content"))
        message_id = message.get("id")
        if message_id is not None and message_id == last_assistant_id and messages[-1]["role"] == "assistant":
            # Claude Code writes one line per content block of the same API message: merge them back.
            previous = messages.pop()
            text = "\n".join(t for t in (previous["content"], text) if t)
            calls = [*previous.get("tool_calls", []), *calls]
            reasoning = "\n".join(r for r in (previous.get("reasoning_content", ""), reasoning) if r)
        _append_assistant(messages, text, calls, reasoning)
        last_assistant_id = message_id
    if not messages:
        return []
    session_id = _first(r.get("sessionId") for r in turns) or path.stem
    agent_id = _first(r.get("agentId") for r in turns)
    is_sidechain = bool(turns[0].get("isSidechain", False))
    cwd = _first(r.get("cwd") for r in turns)
    source_meta = {
        "format": AgentRolloutFormat.CLAUDE_CODE.value,
        "version": _first(r.get("version") for r in turns),
        "models": sorted({m for r in turns if isinstance(m := r["message"].get("model"), str)}),
        "line_count": len(records) + skipped,
        "skipped_lines": skipped,
    }
    return [
        _summarise(
            messages,
            timestamps=(r.get("timestamp") for r in turns),
            trace_id=f"{session_id}:{agent_id}" if agent_id and is_sidechain else session_id,
            source_kind=AgentRolloutFormat.CLAUDE_CODE.value,
            source_path=str(path),
            root_session_id=session_id,
            agent_id=agent_id,
            is_sidechain=is_sidechain,
            cwd=cwd,
            project_path=cwd,
            git_branch=_first(r.get("gitBranch") for r in turns),
            source_meta=source_meta,
        )
    ]


# ---------------------------------------------------------------- Codex
_CODEX_ITEM_TYPES = {
    "message",
    "reasoning",
    "function_call",
    "function_call_output",
    "custom_tool_call",
    "custom_tool_call_output",
    "local_shell_call",
}
_CODEX_ROLES = {"developer": "system", "system": "system", "user": "user", "assistant": "assistant"}


def _codex_items(records: list[dict[str, Any]]) -> tuple[dict[str, Any], list[str], list[dict[str, Any]], list[Any]]:
    """Split a Codex rollout into (session meta, models, response items, timestamps); handles both log layouts.

    Current layout: ``{"timestamp", "type": "session_meta"|"turn_context"|"response_item"|"event_msg", "payload"}``.
    Early layout: a bare meta object first, then bare response items. ``event_msg`` lines duplicate response items
    and are ignored.
    """
    meta: dict[str, Any] = {}
    models: list[str] = []
    items: list[dict[str, Any]] = []
    timestamps: list[Any] = []
    for record in records:
        kind, payload = record.get("type"), record.get("payload")
        if kind == "session_meta" and isinstance(payload, dict):
            meta.update(payload)
        elif kind == "turn_context" and isinstance(payload, dict):
            if isinstance(model := payload.get("model"), str) and model not in models:
                models.append(model)
            meta.setdefault("cwd", payload.get("cwd"))
        elif kind == "response_item" and isinstance(payload, dict):
            items.append(payload)
            timestamps.append(record.get("timestamp"))
        elif kind in _CODEX_ITEM_TYPES and payload is None:
            items.append(record)
            timestamps.append(record.get("timestamp"))
        elif kind is None and "id" in record and not items:
            meta.update(record)
    return meta, models, items, timestamps


def normalize_codex_session(path: Path) -> list[dict[str, Any]]:
    """One Codex rollout file (``~/.codex/sessions/YYYY/MM/DD/rollout-*.jsonl``) -> at most one row."""
    records, skipped = _read_jsonl_objects(path)
    meta, models, items, timestamps = _codex_items(records)
    messages: list[Message] = []
    pending_reasoning = ""
    for item in items:
        kind = item.get("type")
        if kind == "reasoning":
            pending_reasoning = "\n".join(t for t in (pending_reasoning, _text_of(item.get("summary"))) if t)
        elif kind == "message" and item.get("role") in _CODEX_ROLES:
            role = _CODEX_ROLES[item["role"]]
            messages.append({"role": role, "content": _text_of(item.get("content"))})
            if role == "assistant" and pending_reasoning:
                messages[-1]["reasoning_content"], pending_reasoning = pending_reasoning, ""
        elif kind in ("function_call", "custom_tool_call", "local_shell_call"):
            arguments = item.get("arguments", item.get("input", item.get("action", {})))
            call = _tool_call(item.get("call_id", item.get("id")), item.get("name", kind), arguments)
            if not messages or messages[-1]["role"] != "assistant":
                _append_assistant(messages, "", [], pending_reasoning)
                pending_reasoning = ""
            messages[-1].setdefault("tool_calls", []).append(call)
        elif kind in ("function_call_output", "custom_tool_call_output"):
            messages.append(
                {"role": "tool", "content": _text_of(item.get("output")), "tool_call_id": item.get("call_id")}
            )
    if not messages:
        return []
    git = meta.get("git") if isinstance(meta.get("git"), dict) else {}
    trace_id = meta.get("id") or path.stem
    source_meta = {
        "format": AgentRolloutFormat.CODEX.value,
        "cli_version": meta.get("cli_version"),
        "originator": meta.get("originator"),
        "model_provider": meta.get("model_provider"),
        "models": models,
        "git_commit": git.get("commit_hash"),
        "repository_url": git.get("repository_url"),
        "line_count": len(records) + skipped,
        "skipped_lines": skipped,
    }
    return [
        _summarise(
            messages,
            timestamps=[meta.get("timestamp"), *timestamps],
            trace_id=trace_id,
            source_kind=AgentRolloutFormat.CODEX.value,
            source_path=str(path),
            root_session_id=trace_id,
            agent_id=None,
            is_sidechain=False,
            cwd=meta.get("cwd"),
            project_path=meta.get("cwd"),
            git_branch=git.get("branch"),
            started_at=meta.get("timestamp"),
            source_meta=source_meta,
        )
    ]


ROLLOUT_NORMALIZERS: dict[str, Callable[[Path], list[dict[str, Any]]]] = {
    AgentRolloutFormat.CLAUDE_CODE.value: normalize_claude_code_session,
    AgentRolloutFormat.CODEX.value: normalize_codex_session,
}


class AgentRolloutSeedReader(SeedSourceReader):
    seed_type = "agent_rollout"
    source: AgentRolloutSeedSource

    def _normalizer(self) -> Callable[[Path], list[dict[str, Any]]]:
        fmt = AgentRolloutFormat(self.source.format).value
        normalizer = ROLLOUT_NORMALIZERS.get(fmt)
        if normalizer is None:
            raise SeedReaderError(
                f"AgentRolloutSeedSource.format {fmt!r} is not supported yet; supported formats: "
                f"{', '.join(sorted(ROLLOUT_NORMALIZERS))}. Convert the traces to JSONL and use LocalFileSeedSource"
            )
        return normalizer

    def _load(self) -> SeedTable:
        normalizer = self._normalizer()
        root = resolve_root(self.source.path, field="AgentRolloutSeedSource.path")
        files = list_matching_files(root, self.source.file_pattern, recursive=self.source.recursive)
        if not files:
            raise SeedReaderError(
                f"AgentRolloutSeedSource.path {self.source.path!r}: no file matches file_pattern "
                f"{self.source.file_pattern!r}; check the path, file_pattern and recursive"
            )
        rows = [row for path in files for row in normalizer(path)]
        if not rows:
            raise SeedReaderError(
                f"AgentRolloutSeedSource.path {self.source.path!r}: {len(files)} file(s) matched but none holds a "
                f"{self.source.format} conversation; check that format matches the files"
            )
        return ColumnsSeedTable({column: [row[column] for row in rows] for column in ROLLOUT_COLUMNS})

    def column_names(self) -> list[str]:
        self._normalizer()
        return list(ROLLOUT_COLUMNS)
