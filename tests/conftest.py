"""Hypothesis settings shared by the property tests (deterministic, bounded)."""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "deeprun",
    derandomize=True,
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("deeprun")
