"""What every vendor adapter shares: the names it reports and the failures it raises."""

from __future__ import annotations

from typing import ClassVar

from deeprun.adapters.providers.failures import Failures


class VendorModel:
    """A subclass names its vendor in ``PROVIDER`` and builds its SDK client after this."""

    PROVIDER: ClassVar[str]

    def __init__(self, model: str, api_key: str) -> None:
        self._model = model
        self._fail = Failures(self.PROVIDER, api_key)

    @property
    def provider(self) -> str:
        return self.PROVIDER

    @property
    def model(self) -> str:
        return self._model
