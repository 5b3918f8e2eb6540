"""Benchmark: how fast, and in how much memory, review accepts good specs and refuses bad input.

Each case is built in memory, then read and reviewed ``repeat`` times; the figures are the median
time and the peak of Python allocations (tracemalloc) over one run, input bytes excluded.
"""

from __future__ import annotations

import json
import statistics
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass

from deeprun.contracts.errors import DeeprunError
from deeprun.logic.documents import MAX_DOCUMENT_BYTES
from deeprun.services.specs import validate

Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class CaseResult:
    name: str
    input_bytes: int
    outcome: str
    median_ms: float
    peak_kib: int

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def run(clock: Clock, repeat: int = 5) -> list[CaseResult]:
    return [_measure(name, data, clock, repeat) for name, data in _cases()]


def _entity(name: str) -> dict[str, object]:
    return {
        "name": name,
        "fields": [
            {"name": "id", "type": "uuid", "primary_key": True},
            {"name": "title", "type": "string"},
        ],
    }


def _spec(entities: list[dict[str, object]]) -> bytes:
    document = {
        "spec_version": "1.1",
        "project_name": "bench",
        "description": "",
        "database": {"type": "postgres", "version": "17"},
        "auth": {"enabled": True},
        "entities": entities,
    }
    return json.dumps(document, separators=(",", ":")).encode()


def _cases() -> Iterator[tuple[str, bytes]]:
    yield "valid, 200 entities", _spec([_entity(f"Entity{n}") for n in range(200)])
    yield "300,000 full entities (over 5 MB)", _spec([_entity("E")] * 300_000)
    yield "290,000 entities under 5 MB", _spec([{"name": "E"}] * 290_000)
    yield "over 5 MB", b" " * (MAX_DOCUMENT_BYTES + 1)
    yield "binary", bytes(range(256)) * 4096
    yield "deeply nested", b"[" * 2_000_000 + b"]" * 2_000_000
    yield "wide and deep", b'{"a":' * 60 + b'"x"' + b"}" * 60


def _measure(name: str, data: bytes, clock: Clock, repeat: int) -> CaseResult:
    timings = []
    for _ in range(repeat):
        start = clock()
        outcome = _review(data)
        timings.append((clock() - start) * 1000)
    tracemalloc.start()
    _review(data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return CaseResult(name, len(data), outcome, round(statistics.median(timings), 2), peak // 1024)


def _review(data: bytes) -> str:
    try:
        result = validate(data)
    except DeeprunError as exc:
        return exc.code.value
    if result.problems:
        return f"ERR_SPEC_INVALID ({result.problems[0].code.value})"
    return "valid"
