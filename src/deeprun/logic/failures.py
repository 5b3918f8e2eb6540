"""Tool output parsed into typed failures (file, line, code, message).

One parser per tool, shared by the gates and, later, the correction loop, which feeds on the
same records. Each failure's ``code`` is the gate that found it; the tool's own code, when it
has one, is ``tool_code``. Paths are made relative to the project root.
"""

from __future__ import annotations

import json
import re

from deeprun.contracts.gates import Failure

_MYPY = re.compile(
    r"^(?P<file>[^:\n]+\.pyi?):(?P<line>\d+)(?::\d+)?: error: "
    r"(?P<msg>.*?)(?:  \[(?P<code>[\w-]+)\])?$"
)
_PYTEST = re.compile(r"^(?P<kind>FAILED|ERROR) (?P<node>\S+?)(?: - (?P<msg>.*))?$")
_PYTEST_LOCATION = re.compile(r"^(?P<file>\S+\.py):(?P<line>\d+): (?P<error>\w+)")
_FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)')
_IMPORT_CHAIN = re.compile(r"^-?\s*(?P<importer>[\w.]+) -> (?P<imported>[\w.]+) \(l\.(?P<line>\d+)")
_LIMIT = 20  # failures kept per gate: enough to act on, small enough to read


def relative(path: str, root: str) -> str:
    prefix = root.rstrip("/") + "/"
    return path.removeprefix(prefix) if path.startswith(prefix) else path


def ruff_failures(json_output: str, root: str) -> list[Failure]:
    try:
        items = json.loads(json_output or "[]")
    except json.JSONDecodeError:
        return [Failure("ruff", json_output.strip()[-500:] or "ruff printed no report")]
    return [
        Failure(
            "ruff",
            str(item.get("message", "")),
            relative(str(item.get("filename", "")), root),
            (item.get("location") or {}).get("row"),
            tool_code=item.get("code") or None,
        )
        for item in items[:_LIMIT]
    ]


def format_failures(output: str, root: str) -> list[Failure]:
    """``ruff format --check`` names each file it would change."""
    return [
        Failure(
            "ruff",
            "not formatted (run ruff format)",
            relative(line.split(":", 1)[1].strip(), root),
            tool_code="format",
        )
        for line in output.splitlines()
        if line.startswith("Would reformat:")
    ][:_LIMIT]


def mypy_failures(output: str, root: str) -> list[Failure]:
    found = []
    for line in output.splitlines():
        match = _MYPY.match(line.strip())
        if match:
            found.append(
                Failure(
                    "mypy",
                    match["msg"],
                    relative(match["file"], root),
                    int(match["line"]),
                    tool_code=match["code"],
                )
            )
    return found[:_LIMIT]


def pytest_failures(output: str, root: str) -> list[Failure]:
    """The short summary (``-rfE``) names each failed test; its file and line come from the
    last ``path:line: Error`` location pytest printed for it."""
    locations = {
        match["file"]: int(match["line"])
        for match in map(_PYTEST_LOCATION.match, output.splitlines())
        if match
    }
    found = []
    for line in output.splitlines():
        match = _PYTEST.match(line)
        if match is None:
            continue
        file = relative(match["node"].split("::", 1)[0], root)
        found.append(
            Failure(
                "tests",
                f"{match['node']}: {match['msg'] or match['kind'].lower()}",
                file,
                locations.get(file),
                tool_code=match["kind"].lower(),
            )
        )
    return found[:_LIMIT]


def import_failures(output: str, root: str) -> list[Failure]:
    """lint-imports lists each illegal import as ``importer -> imported (l.N)``."""
    found = []
    for line in output.splitlines():
        match = _IMPORT_CHAIN.match(line.strip())
        if match:
            module = match["importer"].replace(".", "/") + ".py"
            found.append(
                Failure(
                    "imports",
                    f"{match['importer']} imports {match['imported']}",
                    relative(module, root),
                    int(match["line"]),
                )
            )
    return found[:_LIMIT]


def traceback_failure(code: str, output: str, root: str, fallback: str) -> Failure:
    """The last line of a traceback as the message, at the deepest frame inside the project."""
    frames = [
        (match["file"], int(match["line"]))
        for match in map(_FRAME.match, output.splitlines())
        if match and match["file"].startswith(root.rstrip("/") + "/")
    ]
    lines = [line.strip() for line in output.strip().splitlines() if line.strip()]
    message = lines[-1][:500] if lines else fallback
    if not frames:
        return Failure(code, message)
    file, line = frames[-1]
    return Failure(code, message, relative(file, root), line)


_COUNT = re.compile(r"(\d+) (passed|failed|errors?|skipped|xfailed|xpassed)")


def pytest_counts(output: str) -> dict[str, int]:
    """The final ``N passed, M failed`` line as numbers (``error`` and ``errors`` are one)."""
    lines = [line for line in output.splitlines() if " in " in line and _COUNT.search(line)]
    if not lines:
        return {}
    return {
        kind.rstrip("s") if kind.startswith("error") else kind: int(n)
        for n, kind in _COUNT.findall(lines[-1])
    }
