"""The compile benchmark measures every stage for every size, with an injected clock."""

from __future__ import annotations

import itertools

from deeprun.services import bench_compile
from tests.doubles import PassThroughFormatter


def test_each_stage_is_timed_for_each_size() -> None:
    ticks = itertools.count()
    formatter = PassThroughFormatter()
    results = bench_compile.run(formatter, lambda: next(ticks) / 1000, repeat=3)
    assert [r.entities for r in results] == list(bench_compile.SIZES)
    assert formatter.calls == 3 * len(bench_compile.SIZES)
    for result in results:
        assert (result.review_ms, result.plan_ms, result.format_ms, result.seal_ms) == (1, 1, 1, 1)
        assert result.total_ms == 4
        assert result.files > 50
    assert results[-1].files > results[0].files
