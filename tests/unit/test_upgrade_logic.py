"""Regeneration, pure parts: each file's outcome, the merge, the history, the revision steps."""

from __future__ import annotations

import pytest

from deeprun.contracts.errors import OutputExistsError
from deeprun.logic.compiler import written_once
from deeprun.logic.compiler.revision import initial, revision
from deeprun.logic.compiler.schema import EMPTY, Column, Constraint, Schema, Table
from deeprun.logic.manifest import file_hash
from deeprun.logic.merging import merge
from deeprun.logic.migration_history import history
from deeprun.logic.upgrade import reconcile

BASE = b"a\nb\nc\nd\ne\n"


def outcome(
    *, recorded: bytes | None, base: bytes | None, new: bytes | None, mine: bytes | None,
    path: str = "app/x.py",
) -> tuple[dict[str, list[str]], dict[str, bytes], list[str], dict[str, str]]:  # fmt: skip
    upgrade = reconcile(
        {path: file_hash(recorded)} if recorded is not None else {},
        {path: base} if base is not None else {},
        {path: new} if new is not None else {},
        {path: mine} if mine is not None else {},
        written_once,
    )
    found = {k: v for k, v in upgrade.outcomes.items() if v}
    return found, upgrade.writes, upgrade.removals, upgrade.owned


def test_an_untouched_file_is_replaced() -> None:
    found, writes, _, owned = outcome(recorded=BASE, base=BASE, new=b"new\n", mine=BASE)
    assert found == {"replaced": ["app/x.py"]} and writes == {"app/x.py": b"new\n"}
    assert owned == {"app/x.py": file_hash(b"new\n")}


def test_an_unchanged_generation_writes_nothing() -> None:
    assert outcome(recorded=BASE, base=BASE, new=BASE, mine=BASE)[:3] == ({}, {}, [])


def test_an_edit_merges_with_a_change_elsewhere() -> None:
    mine, new = b"A\nb\nc\nd\ne\n", b"a\nb\nc\nd\nE\n"
    found, writes, _, owned = outcome(recorded=BASE, base=BASE, new=new, mine=mine)
    assert found == {"merged": ["app/x.py"]}
    assert writes == {"app/x.py": b"A\nb\nc\nd\nE\n"}
    assert owned == {"app/x.py": file_hash(new)}, "the manifest records what deeprun generated"


def test_an_edit_that_meets_a_change_conflicts_and_keeps_both() -> None:
    found, writes, _, _ = outcome(
        recorded=BASE, base=BASE, new=b"a\nB2\nc\nd\ne\n", mine=b"a\nB1\nc\nd\ne\n"
    )
    assert found == {"conflicted": ["app/x.py"]}
    assert writes["app/x.py"] == (b"a\n<<<<<<< yours\nB1\n=======\nB2\n>>>>>>> deeprun\nc\nd\ne\n")


def test_an_edit_is_kept_when_the_generation_did_not_change() -> None:
    found, writes, _, _ = outcome(recorded=BASE, base=BASE, new=BASE, mine=b"mine\n")
    assert found == {"kept": ["app/x.py"]} and writes == {}


def test_a_base_that_no_longer_matches_the_manifest_conflicts_whole() -> None:
    found, writes, _, _ = outcome(recorded=BASE, base=b"other\n", new=b"new\n", mine=b"mine\n")
    assert found == {"conflicted": ["app/x.py"]}
    assert writes["app/x.py"] == b"<<<<<<< yours\nmine\n=======\nnew\n>>>>>>> deeprun\n"


def test_a_file_no_longer_generated_is_removed_only_when_untouched() -> None:
    assert outcome(recorded=BASE, base=BASE, new=None, mine=BASE)[:3] == (
        {"removed": ["app/x.py"]},
        {},
        ["app/x.py"],
    )
    found, writes, removals, owned = outcome(recorded=BASE, base=BASE, new=None, mine=b"mine\n")
    assert (found, writes, removals, owned) == ({"orphaned": ["app/x.py"]}, {}, [], {})


def test_new_and_deleted_files_are_written() -> None:
    assert outcome(recorded=None, base=None, new=b"n\n", mine=None)[0] == {"added": ["app/x.py"]}
    assert outcome(recorded=BASE, base=BASE, new=b"n\n", mine=None)[0] == {"added": ["app/x.py"]}


def test_a_user_file_where_deeprun_now_generates_one_conflicts() -> None:
    found, writes, _, _ = outcome(recorded=None, base=None, new=b"ours\n", mine=b"theirs\n")
    assert found == {"conflicted": ["app/x.py"]} and b"theirs" in writes["app/x.py"]


@pytest.mark.parametrize(
    "path", ["app/modules/post/hooks.py", "migrations/versions/0001_initial.py"]
)
def test_written_once_files_are_never_rewritten(path: str) -> None:
    found, writes, _, owned = outcome(
        recorded=BASE, base=BASE, new=b"new\n", mine=b"mine\n", path=path
    )
    assert found == {"kept": [path]} and writes == {} and owned == {path: file_hash(BASE)}
    assert outcome(recorded=BASE, base=BASE, new=b"new\n", mine=BASE, path=path)[:2] == ({}, {})
    found, writes, _, _ = outcome(recorded=None, base=None, new=b"new\n", mine=None, path=path)
    assert found == {"added": [path]} and writes == {path: b"new\n"}


def test_written_once_covers_hooks_and_revisions_only() -> None:
    assert written_once("app/modules/a/hooks.py")
    assert written_once("migrations/versions/0007_x.py")
    assert not written_once("app/modules/a/service.py")
    assert not written_once("migrations/env.py")


def test_merge_without_a_newline_at_the_end() -> None:
    assert merge(b"a\nb", b"A\nb", b"a\nb") == (b"A\nb", True)


def test_history_finds_the_head_and_the_next_number() -> None:
    files = {
        "migrations/versions/0001_initial.py": b'revision: str = "0001"\ndown_revision = None\n',
        "migrations/versions/ff_mine.py": b"revision = 'ff'\ndown_revision: str = '0001'\n",
    }
    found = history(files)
    assert (found.head, found.next_number) == ("ff", "0002")
    assert history({}).head is None and history({}).next_number == "0001"


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"a.py": b'revision = "0002"\ndown_revision = "0001"\n',
          "b.py": b'revision = "0003"\ndown_revision = "0001"\n',
          "c.py": b'revision = "0001"\ndown_revision = None\n'}, "2 heads"),
        ({"a.py": b'revision = "0001"\n', "b.py": b'revision = "0001"\n'}, "both revision"),
    ],
)  # fmt: skip
def test_history_refuses_what_it_cannot_build_on(files: dict[str, bytes], message: str) -> None:
    with pytest.raises(OutputExistsError, match=message):
        history(files)


def test_a_merge_revision_joins_two_heads() -> None:
    files = {
        "a.py": b'revision = "0001"\ndown_revision = None\n',
        "b.py": b'revision = "b"\ndown_revision = "0001"\n',
        "c.py": b'revision = "c"\ndown_revision = "0001"\n',
        "m.py": b'revision = "m"\ndown_revision = ("b", "c")\n',
    }
    assert history(files).head == "m"


def _table(*columns: Column, name: str = "items") -> Table:
    key = Constraint(f"pk_{name}", "primary", ("id",), "pk")
    return Table(
        name, ("id",), (Column("id", "sa.Uuid()", "uuid", "uuid", False), *columns), (key,)
    )


def _schema(*columns: Column) -> Schema:
    return Schema((_table(*columns),))


TITLE = Column("title", "sa.String(length=50)", "varchar(50)", "string", False, fill="''")


def test_equal_schemas_need_no_revision() -> None:
    assert revision(_schema(TITLE), _schema(TITLE), "0002", "0001") is None


def test_the_initial_revision_creates_and_drops_everything() -> None:
    view = initial(_schema(TITLE))
    assert view.upgrade[0].startswith('op.create_table(\n    "items"')
    assert view.downgrade == ('op.drop_table("items")',)
    assert view.path == "migrations/versions/0001_initial.py"


def test_a_widened_column_is_cast_and_not_flagged() -> None:
    wide = Column("title", "sa.String(length=90)", "varchar(90)", "string", False, fill="''")
    view = revision(_schema(TITLE), _schema(wide), "0002", "0001")
    assert view is not None and view.destructive == ()
    assert "postgresql_using='\"title\"::varchar(90)'" in view.upgrade[0]
    assert 'left("title"::text, 50)' in view.downgrade[0], "going back narrows"


@pytest.mark.parametrize(
    ("after", "flag"),
    [
        (Column("title", "sa.String(length=9)", "varchar(9)", "string", False), "cut or refused"),
        (Column("title", "sa.BigInteger()", "bigint", "integer", False, fill="0"), "no cast"),
        (None, "its values are lost"),
    ],
)
def test_changes_that_lose_data_are_flagged_destructive(after: Column | None, flag: str) -> None:
    view = revision(_schema(TITLE), _schema(*(c for c in (after,) if c)), "0002", "0001")
    assert view is not None
    assert [flag in str(change) for change in view.destructive] == [True]


def test_a_required_column_gets_a_value_for_existing_rows() -> None:
    view = revision(_schema(), _schema(TITLE), "0002", "0001")
    assert view is not None
    assert "server_default=sa.text(\"''\")" in view.upgrade[0]
    assert "server_default=None" in view.upgrade[1], "the default was only for existing rows"


def test_a_required_key_with_no_value_is_added_with_a_warning() -> None:
    key = Column("owner_id", "sa.Uuid()", "uuid", "uuid", False)
    view = revision(_schema(), _schema(key), "0002", "0001")
    assert view is not None
    assert "nullable=True" in view.upgrade[0] and "nullable=False" in view.upgrade[1]
    assert [c.warning for c in view.warnings] == ["fails if the table has rows: no value"]


def test_a_new_key_kind_rebuilds_the_table() -> None:
    before = _schema(TITLE)
    integer_key = Column("id", "sa.BigInteger()", "bigint", "integer", False, identity=True)
    after = Schema((Table("items", ("id",), (integer_key, TITLE), before.tables[0].constraints),))
    view = revision(before, after, "0002", "0001")
    assert view is not None
    assert view.upgrade[0] == 'op.drop_table("items")' and "create_table" in view.upgrade[1]
    assert "rebuilt" in str(view.destructive[0])


def test_an_empty_schema_is_the_start_of_everything() -> None:
    assert revision(EMPTY, EMPTY, "0001", None) is None
