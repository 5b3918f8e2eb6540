"""The ``HttpClient`` port over httpx: one request at a time to a loopback URL, no proxies from
the environment, no redirects. A transport failure becomes a GateError."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from deeprun.adapters.http_probe import loopback
from deeprun.contracts.errors import GateError
from deeprun.ports.bench import Reply


class LoopbackHttp:
    def __init__(self, timeout: float = 30.0) -> None:
        self._timeout = timeout  # registration hashes a password: slow by design

    def send(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        json: object = None,
    ) -> Reply:
        with httpx.Client(timeout=self._timeout, follow_redirects=False, trust_env=False) as http:
            try:
                response = http.request(method, loopback(url), headers=headers, json=json)
            except httpx.HTTPError as exc:
                raise GateError(f"{method} {url} got no answer: {exc}") from exc
        try:
            body: object = response.json()
        except ValueError:
            body = None
        return Reply(response.status_code, body)
