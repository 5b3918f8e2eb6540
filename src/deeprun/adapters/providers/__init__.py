"""The LLM vendors behind the LanguageModel port, opened by name from an environment mapping.

``environ`` is the only source of keys and base URLs: each is handed to the SDK explicitly, so no
SDK falls back on ``os.environ`` for them (the OpenAI SDK still reads ``OPENAI_ORG_ID`` and
``OPENAI_PROJECT_ID`` from the process, which no constructor argument can stop). A vendor's
module imports its SDK, an optional extra, so it is imported only when that vendor is opened.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import httpx

from deeprun.contracts.errors import ProviderConfigError
from deeprun.contracts.planning import PROVIDERS
from deeprun.ports.language_model import LanguageModel

DEFAULT_MODELS = {
    "openai": "gpt-4.1-mini",
    "anthropic": "claude-sonnet-4-6",
    "gemini": "gemini-2.5-flash",
}
MAX_MODEL_NAME = 200
LOCAL_SERVER_KEY = "no-key"  # local OpenAI-compatible servers ignore it; the SDK wants one

Factory = Callable[[str, str, str | None, float], LanguageModel]
"""A vendor's model class: (model, api_key, base_url, timeout) -> the model."""


def _openai() -> Factory:
    from deeprun.adapters.providers.openai_model import OpenAIModel  # noqa: PLC0415 - extra

    return OpenAIModel


def _anthropic() -> Factory:
    from deeprun.adapters.providers.anthropic_model import AnthropicModel  # noqa: PLC0415 - extra

    return AnthropicModel


def _gemini() -> Factory:
    from deeprun.adapters.providers.gemini_model import GeminiModel  # noqa: PLC0415 - extra

    return GeminiModel


@dataclass(frozen=True)
class _Vendor:
    key_variables: tuple[str, ...]  # the first one set wins
    base_url_variable: str
    sdk: str  # the top-level package its extra installs
    load: Callable[[], Factory]
    keyless_with_base_url: bool = False


VENDORS = {
    "openai": _Vendor(("OPENAI_API_KEY",), "OPENAI_BASE_URL", "openai", _openai, True),
    "anthropic": _Vendor(("ANTHROPIC_API_KEY",), "ANTHROPIC_BASE_URL", "anthropic", _anthropic),
    "gemini": _Vendor(
        ("GEMINI_API_KEY", "GOOGLE_API_KEY"), "GOOGLE_GEMINI_BASE_URL", "google", _gemini
    ),
}


def open_model(
    provider: str, model: str | None, environ: Mapping[str, str], *, timeout: float = 120.0
) -> LanguageModel:
    """The ``provider``'s ``model`` (its default when None); ProviderConfigError when the name is
    unknown, the key missing or the SDK not installed."""
    vendor = VENDORS.get(provider)
    if vendor is None:
        known = ", ".join(PROVIDERS)
        raise ProviderConfigError(f"unknown provider {provider!r}: the known ones are {known}")
    base_url = _base_url(vendor, environ)
    api_key = _api_key(vendor, environ, base_url)
    name = (model or "").strip() or DEFAULT_MODELS[provider]
    if not name.isprintable() or len(name) > MAX_MODEL_NAME:
        raise ProviderConfigError(f"{name[:MAX_MODEL_NAME]!r} is not a model name")
    return _load(provider, vendor)(name, api_key, base_url, timeout)


def _base_url(vendor: _Vendor, environ: Mapping[str, str]) -> str | None:
    """The vendor's base URL from ``environ``: an absolute http(s) URL, or None."""
    url = environ.get(vendor.base_url_variable, "").strip()
    if not url:
        return None
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError) as error:
        raise ProviderConfigError(f"{vendor.base_url_variable} is not a URL: {error}") from error
    if parsed.scheme not in {"http", "https"} or not parsed.host:
        raise ProviderConfigError(f"{vendor.base_url_variable} must be an http(s) URL with a host")
    return url


def _api_key(vendor: _Vendor, environ: Mapping[str, str], base_url: str | None) -> str:
    for name in vendor.key_variables:
        if key := environ.get(name, "").strip():
            return key
    if vendor.keyless_with_base_url and base_url:
        return LOCAL_SERVER_KEY
    missing = " or ".join(vendor.key_variables)
    if vendor.keyless_with_base_url:
        missing += f" (or {vendor.base_url_variable}, for a local server)"
    raise ProviderConfigError(f"{missing} is not set")


def _load(provider: str, vendor: _Vendor) -> Factory:
    try:
        return vendor.load()
    except ImportError as error:
        if (error.name or "").partition(".")[0] != vendor.sdk:
            raise  # our own bug, not a missing extra
        raise ProviderConfigError(
            f"the {provider} SDK is not installed: install deeprun[{provider}]"
        ) from error
