"""The load driver for real: wrk against a tiny server on loopback, for a second, bounded.
Without wrk the tests skip, unless DEEPRUN_REQUIRE_WRK=1 (CI, after .ci/base-image) demands it."""

from __future__ import annotations

import json
import os
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from deeprun.adapters.sandbox import ProcessSandbox
from deeprun.adapters.wrk import WrkLoad
from deeprun.contracts.errors import GateError
from deeprun.ports.bench import LoadShape, Shot

TOKEN = "Bearer test-token"
SHAPE = LoadShape(seconds=1, connections=2, threads=1)


class Recorder(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.bodies: list[bytes] = []
        self.content_types: set[str] = set()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    """200 with the token, 401 without; POST echoes its body's length with 201."""

    protocol_version = "HTTP/1.1"
    server: Recorder

    def do_GET(self) -> None:
        self._answer(200 if self.headers.get("Authorization") == TOKEN else 401, {"ok": True})

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.server.bodies.append(body)
        self.server.content_types.add(self.headers.get("Content-Type", ""))
        self._answer(201, {"length": len(body)})

    def _answer(self, status: int, payload: object) -> None:
        data = json.dumps(payload).encode()
        head = (
            f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(data)}\r\n\r\n"
        )
        self.wfile.write(head.encode() + data)  # one write: no delayed-ACK stall per request

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def wrk() -> WrkLoad:
    if shutil.which("wrk") is None:
        if os.environ.get("DEEPRUN_REQUIRE_WRK") == "1":
            pytest.fail("DEEPRUN_REQUIRE_WRK=1 but wrk is not installed")
        pytest.skip("wrk is not installed (apt-get install wrk)")
    return WrkLoad()


@pytest.fixture
def server() -> Iterator[Recorder]:
    recorder = Recorder()
    thread = threading.Thread(target=recorder.serve_forever, daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        recorder.shutdown()
        recorder.server_close()
        thread.join(timeout=5)


def test_the_version_names_wrk(wrk: WrkLoad) -> None:
    assert wrk.version().startswith("wrk ")


def test_a_second_of_authorized_gets_is_counted_clean(wrk: WrkLoad, server: Recorder) -> None:
    found = wrk.drive(Shot("GET", f"{server.base}/items/1", {"Authorization": TOKEN}), SHAPE)
    assert found.requests > 10
    assert found.clean
    assert 0.9 < found.seconds < 2
    assert 0 < found.p50_ms <= found.p99_ms <= found.max_ms


def test_posts_carry_the_body_and_headers_given(wrk: WrkLoad, server: Recorder) -> None:
    body = json.dumps({"name": "bench item", "price": 42})
    headers = {"Authorization": TOKEN, "Content-Type": "application/json"}
    found = wrk.drive(Shot("POST", f"{server.base}/items", headers, body), SHAPE)
    assert found.clean
    assert found.requests > 10
    assert len(server.bodies) >= 10  # and those in flight when the run ended, which wrk drops
    assert set(server.bodies) == {body.encode()}
    assert server.content_types == {"application/json"}


def test_answers_outside_2xx_are_counted_apart(wrk: WrkLoad, server: Recorder) -> None:
    found = wrk.drive(Shot("GET", f"{server.base}/items/1", {}), SHAPE)
    assert found.requests > 0
    assert found.non_2xx == found.requests
    assert not found.clean


def test_a_server_that_is_not_listening_is_a_gate_error(wrk: WrkLoad, server: Recorder) -> None:
    base = server.base
    server.shutdown()
    server.server_close()
    with pytest.raises(GateError, match="Connection refused"):
        wrk.drive(Shot("GET", f"{base}/items/1", {}), SHAPE)


def test_only_loopback_is_ever_loaded(wrk: WrkLoad) -> None:
    with pytest.raises(ValueError, match="loopback"):
        wrk.drive(Shot("GET", "http://192.0.2.1/items", {}), SHAPE)


def test_without_wrk_the_error_names_the_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(GateError, match="apt-get install wrk"):
        WrkLoad().version()


def test_a_started_server_reports_its_memory_and_processor_time(tmp_path: Path) -> None:
    sandbox = ProcessSandbox(tmp_path / "home", memory_bytes=1024**3)
    script = (
        "import pathlib, time; x = bytearray(32 * 1024**2); sum(range(3_000_000)); "
        "pathlib.Path('ready').touch(); time.sleep(60)"
    )
    service = sandbox.start([sys.executable, "-c", script], cwd=tmp_path, env={})
    try:
        deadline = time.monotonic() + 30
        while not (tmp_path / "ready").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        memory, cpu = service.memory(), service.cpu_seconds()
        assert memory is not None
        assert memory.peak_kib >= memory.rss_kib > 32 * 1024
        assert cpu is not None
        assert cpu > 0
    finally:
        service.stop()
    assert service.memory() is None
    assert service.cpu_seconds() is None
