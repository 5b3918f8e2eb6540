"""What ``bench perf`` derives from its measurements: how compile time grows with a spec, how
the generated API compares with the hand-written references, and which targets are missed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

ENTITY_SIZES: Final = (1, 10, 50, 200)
GROWTH_SIZES: Final = (10, 200)  # time per entity at the second over the first
COMPILE_TARGET_ENTITIES: Final = 50
COMPILE_TARGET_MS: Final = 1000.0  # end to end, issue 8
RATIO_TARGET: Final = 0.70  # generated over the FastAPI reference, on every route (issue 8)


def per_entity_growth(
    times_ms: Mapping[int, float], sizes: tuple[int, int] = GROWTH_SIZES
) -> float | None:
    """Time per entity at the large size over time per entity at the small one: 1.0 is linear,
    below 1 means fixed costs are being spread, above 1 means worse than linear. None when a
    size was not measured or took no time."""
    small, large = sizes
    if small not in times_ms or large not in times_ms or times_ms[small] <= 0:
        return None
    return round((times_ms[large] / large) / (times_ms[small] / small), 3)


def ratio(value: float, reference: float) -> float | None:
    """``value`` as a share of ``reference``; None when the reference measured nothing."""
    return round(value / reference, 3) if reference > 0 else None


def route_ratios(
    rates: Mapping[str, Mapping[str, float]], subject: str, references: Sequence[str]
) -> dict[str, dict[str, float | None]]:
    """Per route, the subject's rate over each reference's (``rates[app][route]``)."""
    routes = rates.get(subject, {})
    return {
        route: {
            reference: ratio(rate, rates.get(reference, {}).get(route, 0.0))
            for reference in references
        }
        for route, rate in routes.items()
    }


def missed_targets(
    ratios: Mapping[str, Mapping[str, float | None]],
    reference: str,
    target: float = RATIO_TARGET,
) -> tuple[str, ...]:
    """The routes whose ratio to ``reference`` is under ``target`` or unknown."""
    return tuple(
        route
        for route, shares in ratios.items()
        if (share := shares.get(reference)) is None or share < target
    )


def cpu_per_request(before: float | None, after: float | None, requests: int) -> float | None:
    """Milliseconds of server processor time per request between two readings; None when a
    reading is missing or nothing was served."""
    if before is None or after is None or requests <= 0:
        return None
    return round((after - before) * 1000 / requests, 3)


def per_cpu_second(cpu_ms: float | None) -> float:
    """Requests one second of processor time serves at ``cpu_ms`` each; 0 when unknown."""
    return round(1000 / cpu_ms, 1) if cpu_ms else 0.0


def median(values: Sequence[float]) -> float:
    """The middle value (the mean of the two middle ones for an even count); 0 for none."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2
