"""The input benchmark runs every case and each ends the way review must end it."""

from __future__ import annotations

import itertools

from deeprun.services import bench_inputs


def test_every_case_is_refused_or_accepted_as_expected() -> None:
    ticks = itertools.count()
    results = {r.name: r for r in bench_inputs.run(lambda: float(next(ticks)), repeat=1)}
    assert results["valid, 200 entities"].outcome == "valid"
    assert results["290,000 entities under 5 MB"].outcome == "ERR_SPEC_INVALID (SPEC_LIMIT)"
    for name in ("300,000 full entities (over 5 MB)", "over 5 MB", "binary", "deeply nested"):
        assert results[name].outcome == "ERR_INPUTS"
    assert all(r.median_ms == 1000.0 for r in results.values())
