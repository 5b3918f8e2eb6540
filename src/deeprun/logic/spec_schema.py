"""The JSON Schema of each Spec IR version, generated from the models (never written by hand)."""

from __future__ import annotations

from typing import Any

from deeprun.contracts.spec_ir import SPEC_MODELS

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def spec_json_schema(version: str) -> dict[str, Any]:
    schema = SPEC_MODELS[version].model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": DIALECT,
        "$id": f"urn:deeprun:spec-ir:{version}",
        **schema,
        "title": f"deeprun Spec IR {version}",
    }
