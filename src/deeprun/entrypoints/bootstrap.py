"""The composition root: the one place that picks real adapters. Tests pass fakes instead."""

from __future__ import annotations

from dataclasses import dataclass

from deeprun.adapters.ruff_formatter import RuffFormatter
from deeprun.adapters.tree_writer import FilesystemTreeWriter
from deeprun.ports.compiling import Formatter, TreeWriter


@dataclass(frozen=True, slots=True)
class Adapters:
    formatter: Formatter
    writer: TreeWriter


def bootstrap(formatter: Formatter | None = None, writer: TreeWriter | None = None) -> Adapters:
    return Adapters(formatter or RuffFormatter(), writer or FilesystemTreeWriter())
