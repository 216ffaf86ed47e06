"""MCP tool providers and tool configs (declarative only; tool execution is not supported yet)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from data_designer.config.base import ConfigBase

__all__ = ["LocalStdioMCPProvider", "MCPProvider", "MCPProviderT", "ToolConfig"]


class MCPProvider(ConfigBase):
    name: str
    endpoint: str
    api_key: str | None = None
    provider_type: Literal["sse", "streamable_http"] = "sse"


class LocalStdioMCPProvider(ConfigBase):
    name: str
    command: str
    args: list[str] = Field(default_factory=list)
    env: dict[str, str] = Field(default_factory=dict)
    provider_type: Literal["stdio"] = "stdio"


MCPProviderT = Annotated[MCPProvider | LocalStdioMCPProvider, Field(discriminator="provider_type")]


class ToolConfig(ConfigBase):
    tool_alias: str
    providers: list[str]
    allow_tools: list[str] | None = None
    max_tool_call_turns: int = Field(default=5, ge=1)
    timeout_sec: float | None = None
