"""Structured logs: one JSON object per line on stderr, never on stdout."""

from __future__ import annotations

import logging
import sys

import structlog


def configure_logging(level: int) -> None:
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True, key="ts"),
            # Frames without their locals: a local may hold an API key or a user's secret.
            structlog.processors.ExceptionRenderer(
                structlog.tracebacks.ExceptionDictTransformer(show_locals=False)
            ),
            structlog.processors.JSONRenderer(sort_keys=True),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )


def level_for(json_output: bool, name: str | None) -> int:
    """INFO for machine callers, WARNING for people, unless DEEPRUN_LOG_LEVEL says otherwise."""
    if name:
        return logging.getLevelNamesMapping().get(name.upper(), logging.INFO)
    return logging.INFO if json_output else logging.WARNING
