"""Default logging for the ``data_designer`` logger tree: one stream handler, INFO, plain messages."""

from __future__ import annotations

import logging
import sys

__all__ = ["configure_logging"]

_MARK = "_data_designer_handler"


def configure_logging(level: int = logging.INFO) -> None:
    root = logging.getLogger("data_designer")
    if any(getattr(h, _MARK, False) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("[%(asctime)s] [%(levelname)s] %(message)s", datefmt="%H:%M:%S"))
    setattr(handler, _MARK, True)
    root.addHandler(handler)
    root.setLevel(level)
    root.propagate = False
