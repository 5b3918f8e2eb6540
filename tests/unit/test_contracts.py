"""Contracts that must not drift: the committed JSON Schemas, the envelope, the error codes."""

from __future__ import annotations

import pytest

from deeprun.contracts.envelope import Envelope, ErrorInfo
from deeprun.contracts.errors import DeeprunError, ErrorCode
from deeprun.contracts.spec_ir import SPEC_VERSIONS
from deeprun.logic.canonical_json import pretty_json
from deeprun.logic.spec_schema import spec_json_schema
from tests.specs import ROOT


@pytest.mark.parametrize("version", SPEC_VERSIONS)
def test_the_committed_schema_matches_the_models(version: str) -> None:
    committed = (ROOT / "schemas" / f"spec-{version}.schema.json").read_text()
    assert committed == pretty_json(spec_json_schema(version)), (
        f"run: deeprun spec schema --version {version} > schemas/spec-{version}.schema.json"
    )


def test_the_1_1_schema_is_a_superset_of_1_0() -> None:
    old, new = spec_json_schema("1.0"), spec_json_schema("1.1")
    assert set(old["properties"]) <= set(new["properties"])
    assert old["additionalProperties"] is False


def test_an_envelope_carries_status_id_and_error() -> None:
    ok = Envelope("spec.validate", "id-1", {"problems": []})
    assert ok.to_json() == {
        "status": "success",
        "execution_id": "id-1",
        "command": "spec.validate",
        "problems": [],
    }
    failed = Envelope("x", "id-2", error=ErrorInfo(ErrorCode.INPUTS, "bad"))
    assert failed.to_json()["error"] == {"code": "ERR_INPUTS", "message": "bad"}
    assert failed.status == "error"


def test_a_payload_cannot_overwrite_the_envelope_keys() -> None:
    with pytest.raises(ValueError, match="status"):
        Envelope("x", "id", {"status": "success"})


def test_error_codes_are_unique_and_every_error_class_has_one() -> None:
    values = [code.value for code in ErrorCode]
    assert len(values) == len(set(values))
    assert all(v.startswith("ERR_") for v in values)

    def subclasses(cls: type[DeeprunError]) -> list[type[DeeprunError]]:
        return [s for c in cls.__subclasses__() for s in (c, *subclasses(c))]

    assert all(isinstance(cls.code, ErrorCode) for cls in subclasses(DeeprunError))
