"""The conversation with a model: the system text, the re-ask, and reading an answer.

The system text carries the whole JSON Schema of the newest spec version and the review rules
the schema cannot express, so a model sees the same contract review enforces. A re-ask repeats
nothing but the problems: the conversation already holds the schema and the previous answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from typing import Any, Final

from deeprun.contracts.planning import Message, ModelCapabilities, ModelRequest
from deeprun.contracts.problems import Problem
from deeprun.contracts.spec_ir import SPEC_VERSIONS
from deeprun.logic.canonical_json import pretty_json
from deeprun.logic.planning.capabilities import temperature_for
from deeprun.logic.spec_schema import spec_json_schema

SPEC_VERSION: Final = SPEC_VERSIONS[-1]
SCHEMA_NAME: Final = "backend_spec"
MAX_PROMPT_CHARS: Final = 20_000

RULES: Final = f"""\
Rules the schema cannot express (review rejects a spec that breaks them):
- spec_version is "{SPEC_VERSION}"; database is {{"type": "postgres", "version": "16"}}.
- project_name, field, relation and role names are snake_case identifiers; entity names are
  PascalCase singular nouns; none may be a Python keyword or a PostgreSQL reserved word
  (order, user, group, select, table, limit, offset ...), nor q, sort, limit or offset.
- Every entity has exactly one primary key field: {{"name": "id", "type": "uuid",
  "primary_key": true}} (or type integer). Field names are unique within an entity.
- Field types: string integer float boolean datetime uuid text date decimal enum json.
  Money is decimal; long prose is text; an enum lists 1..100 unique snake_case values.
  min_length/max_length/pattern/format only on string (format: email or url);
  minimum/maximum only on integer, float, decimal; a default must be a literal of the type.
- A relation {{"name", "kind": many_to_one|one_to_one|many_to_many, "target"}} adds the column
  <name>_id, which must not also be a field. Its target is an entity of the spec. A one-to-many
  is the many_to_one on the other side. on_delete set_null needs nullable: true. A cycle of
  non-nullable relations is rejected. back_populates names the reverse collection.
- With auth enabled an account model exists already (email, password, role): declare an entity
  named User only to add fields to it; never declare password or role fields.
  owned: true (rows belong to their creator) needs auth enabled. Roles contain "admin".
- Permissions map create/read/update/delete to roles, "authenticated", "owner" (owned entities,
  not create) or "public". Do not declare created_at, updated_at, deleted_at or owner_id: use
  timestamps, soft_delete and owned instead.
- list.searchable holds string or text fields; filterable, sortable and unique_together and
  indexes hold names of the entity's fields or relations.
- Design only what the description asks for; choose clear names a developer would choose."""

INSTRUCTIONS: Final = f"""\
You turn a description of a backend into a deeprun Spec IR document.
Answer with the JSON document only: no explanation, no comments, no markdown fences.
The document must validate against this JSON Schema (spec version {SPEC_VERSION}):

{{schema}}
{RULES}"""


@cache
def system_text() -> str:
    """The same text for every request; the schema is rendered once per process."""
    return INSTRUCTIONS.replace("{schema}", pretty_json(spec_json_schema(SPEC_VERSION)))


def first_request(prompt: str, caps: ModelCapabilities) -> ModelRequest:
    return _request((Message("user", _describe(prompt)),), caps)


def reask(previous: ModelRequest, answer: str, problems: Sequence[Problem]) -> ModelRequest:
    """The conversation so far, the rejected answer, and what review found wrong with it."""
    listed = "\n".join(f"- {p.code.value} at {p.path or '/'}: {p.message}" for p in problems)
    correction = (
        "That document was rejected. Problems:\n"
        f"{listed}\n"
        "Answer again with the whole corrected JSON document only."
    )
    messages = (*previous.messages, Message("assistant", answer), Message("user", correction))
    return replace(previous, messages=messages)


def strip_fence(answer: str) -> str:
    """The JSON inside one wrapping markdown fence, which models add despite being told not to."""
    text = answer.strip()
    if not (text.startswith("```") and text.endswith("```") and len(text) >= 6):
        return text
    body = text[3:-3]
    first_line, _, rest = body.partition("\n")
    return (rest if first_line.strip().isalpha() or not first_line.strip() else body).strip()


def _describe(prompt: str) -> str:
    return f"Description of the backend:\n\n{prompt.strip()}"


def _request(messages: tuple[Message, ...], caps: ModelCapabilities) -> ModelRequest:
    schema: dict[str, Any] | None = (
        spec_json_schema(SPEC_VERSION) if caps.structured_output else None
    )
    return ModelRequest(
        system_text(),
        messages,
        schema,
        SCHEMA_NAME,
        temperature_for(caps),
        caps.max_output_tokens,
    )
