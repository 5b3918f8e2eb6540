"""Unreadable input is refused with ERR_INPUTS before review sees it, whatever its shape."""

from __future__ import annotations

import pytest

from deeprun.contracts.errors import ErrorCode, InputError
from deeprun.logic.documents import MAX_DEPTH, MAX_DOCUMENT_BYTES, parse_document

BAD_INPUTS = {
    "too large": b" " * (MAX_DOCUMENT_BYTES + 1),
    "binary": b"\x89PNG\r\n\x1a\n\x00\x00",
    "not utf-8": b'{"a": "\xff"}',
    "not json": b"{spec_version: 1.0}",
    "empty": b"  \n",
    "NaN": b'{"a": NaN}',
    "a repeated key": b'{"a": 1, "a": 2}',
    "deep nesting": b"[" * 100_000 + b"]" * 100_000,
    "just over the depth limit": b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1),
    "an endless number": b"1" * 5000,
}


@pytest.mark.parametrize("data", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_unreadable_input_is_an_inputs_error(data: bytes) -> None:
    with pytest.raises(InputError) as caught:
        parse_document(data)
    assert caught.value.code is ErrorCode.INPUTS


def test_json_at_the_limits_is_read() -> None:
    nested = b"[" * MAX_DEPTH + b"]" * MAX_DEPTH
    assert parse_document(nested) is not None
    assert parse_document(b'\xef\xbb\xbf{"bom": true}') == {"bom": True}
    assert parse_document(b" " * (MAX_DOCUMENT_BYTES - 2) + b"{}") == {}
