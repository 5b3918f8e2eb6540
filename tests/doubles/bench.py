"""Fakes of the ports only ``bench perf`` uses: a launcher whose commands take scripted time."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from deeprun.ports.bench import Memory
from deeprun.ports.gates import CommandResult
from tests.doubles.gates import FakeService


class IdleServer(FakeService):
    """A server that also reports its memory and CPU while it runs."""

    def memory(self) -> Memory | None:
        return Memory(rss_kib=1024, peak_kib=2048) if self.alive else None

    def cpu_seconds(self) -> float | None:
        return 0.0 if self.alive else None


@dataclass
class TimedLauncher:
    """Every command succeeds after ``seconds(argv)`` seconds; ``ran`` records each argv."""

    seconds: Callable[[Sequence[str]], float]
    ran: list[tuple[str, ...]] = field(default_factory=list)

    def run(
        self, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], timeout: float
    ) -> CommandResult:
        self.ran.append(tuple(argv))
        return CommandResult(tuple(argv), 0, "{}", "", self.seconds(argv))

    def start(self, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str]) -> IdleServer:
        return IdleServer()
