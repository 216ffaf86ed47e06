"""Library version lookup that does not import the heavy engine."""

from __future__ import annotations

__all__ = ["get_library_version"]


def get_library_version() -> str:
    from data_designer import __version__

    return __version__
