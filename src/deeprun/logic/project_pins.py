"""What a generated project pins: its runtime dependencies and its ``dev`` group."""

from __future__ import annotations

import tomllib


def project_requirements(pyproject: str) -> tuple[str, ...]:
    """Raises ValueError when pyproject.toml cannot be read as a project with pins."""
    try:
        data = tomllib.loads(pyproject)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"pyproject.toml does not parse: {exc}") from exc
    runtime = (data.get("project") or {}).get("dependencies")
    dev = (data.get("dependency-groups") or {}).get("dev", [])
    if not isinstance(runtime, list) or not isinstance(dev, list):
        raise ValueError("pyproject.toml lists no [project] dependencies or dev group")
    pins = [*runtime, *dev]
    if not all(isinstance(pin, str) for pin in pins):
        raise ValueError("pyproject.toml has a dependency that is not a string")
    return tuple(sorted(set(pins)))
