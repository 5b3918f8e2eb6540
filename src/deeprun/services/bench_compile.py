"""Benchmark: compile time by stage (review, plan, format, seal) as a spec grows.

Each case runs ``repeat`` times in one process; figures are medians in milliseconds. The format
stage is the external ruff run, so it is reported apart from the pure stages.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass

from deeprun import __version__
from deeprun.logic.compiler import TEMPLATE_VERSION, plan
from deeprun.logic.manifest import seal
from deeprun.ports.compiling import Formatter
from deeprun.services.specs import normalize

Clock = Callable[[], float]
SIZES = (1, 10, 50)


@dataclass(frozen=True, slots=True)
class CompileTiming:
    name: str
    entities: int
    files: int
    review_ms: float
    plan_ms: float
    format_ms: float
    seal_ms: float

    @property
    def total_ms(self) -> float:
        return round(self.review_ms + self.plan_ms + self.format_ms + self.seal_ms, 2)

    def to_dict(self) -> dict[str, object]:
        return {**asdict(self), "total_ms": self.total_ms}


def run(
    formatter: Formatter,
    clock: Clock,
    repeat: int,
    extra: dict[str, bytes] | None = None,
    sizes: Sequence[int] = SIZES,
) -> list[CompileTiming]:
    cases = {f"{n} entities": sized_spec(n) for n in sizes} | (extra or {})
    return [_measure(name, data, formatter, clock, repeat) for name, data in cases.items()]


def sized_spec(entities: int) -> bytes:
    """A valid spec of ``entities`` alike entities with seven fields each, auth on."""
    fields = [
        {"name": "id", "type": "uuid", "primary_key": True},
        {"name": "title", "type": "string", "unique": True},
        {"name": "body", "type": "text", "nullable": True},
        {"name": "rank", "type": "integer"},
        {"name": "score", "type": "float"},
        {"name": "published", "type": "boolean"},
        {"name": "due_at", "type": "datetime", "nullable": True},
    ]
    document = {
        "spec_version": "1.0",
        "project_name": "bench",
        "description": "",
        "database": {"type": "postgres", "version": "17"},
        "auth": {"enabled": True},
        "entities": [{"name": f"Item{i}", "fields": fields} for i in range(entities)],
    }
    return json.dumps(document).encode()


def _measure(
    name: str, data: bytes, formatter: Formatter, clock: Clock, repeat: int
) -> CompileTiming:
    samples: dict[str, list[float]] = {"review": [], "plan": [], "format": [], "seal": []}
    files = entities = 0
    for _ in range(repeat):
        started = clock()
        canonical = normalize(data).canonical or {}
        reviewed = clock()
        tree = plan(canonical)
        planned = clock()
        formatted_tree = formatter.format(tree)
        formatted = clock()
        sealed = seal(
            formatted_tree,
            canonical,
            generator_version=__version__,
            template_version=TEMPLATE_VERSION,
        )
        done = clock()
        for stage, begin, end in (
            ("review", started, reviewed),
            ("plan", reviewed, planned),
            ("format", planned, formatted),
            ("seal", formatted, done),
        ):
            samples[stage].append((end - begin) * 1000)
        files, entities = len(sealed.tree), len(canonical["entities"])
    medians = {stage: round(statistics.median(values), 2) for stage, values in samples.items()}
    return CompileTiming(
        name,
        entities,
        files,
        medians["review"],
        medians["plan"],
        medians["format"],
        medians["seal"],
    )
