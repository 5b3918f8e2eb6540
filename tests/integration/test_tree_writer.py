"""The file-system writer: all or nothing, never outside the folder, same zip bytes every time."""

from __future__ import annotations

import py_compile
import zipfile
from pathlib import Path

import pytest

from deeprun.adapters.ruff_formatter import RuffFormatter
from deeprun.adapters.tree_writer import FilesystemTreeWriter
from deeprun.contracts.errors import InputError, OutputError, OutputExistsError

TREE = {"app/main.py": b"x = 1\n", "README.md": b"# hi\n"}


def test_it_writes_files_and_a_zip(tmp_path: Path) -> None:
    FilesystemTreeWriter().write(TREE, tmp_path / "out", tmp_path / "out.zip")
    assert (tmp_path / "out" / "app" / "main.py").read_bytes() == b"x = 1\n"
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        assert sorted(archive.namelist()) == sorted(TREE)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "out.zip"]


def test_the_zip_has_the_same_bytes_every_time(tmp_path: Path) -> None:
    writer = FilesystemTreeWriter()
    writer.write(TREE, tmp_path / "a", tmp_path / "a.zip")
    writer.write(dict(reversed(TREE.items())), tmp_path / "b", tmp_path / "b.zip")
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


@pytest.mark.parametrize("path", ["../escape.py", "/etc/passwd", "a/../../b", "a//b", "a\\b", ""])
def test_a_path_outside_the_folder_is_refused(tmp_path: Path, path: str) -> None:
    with pytest.raises(OutputError, match="outside the output folder"):
        FilesystemTreeWriter().write({path: b"x"}, tmp_path / "out", None)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    clash = {"a": b"file", "a/b": b"a file under a file"}
    with pytest.raises(OutputError):
        FilesystemTreeWriter().write(clash, tmp_path / "out", None)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_keeps_the_previous_project(tmp_path: Path) -> None:
    writer = FilesystemTreeWriter()
    writer.write(TREE, tmp_path / "out", None)
    with pytest.raises(OutputError):
        writer.write({"a": b"file", "a/b": b"x"}, tmp_path / "out", None)
    assert (tmp_path / "out" / "app" / "main.py").read_bytes() == b"x = 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_the_zip_may_not_go_inside_the_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        FilesystemTreeWriter().write(TREE, tmp_path / "out", tmp_path / "out" / "p.zip")


def test_listing_sees_files_and_refuses_a_file_as_the_folder(tmp_path: Path) -> None:
    writer = FilesystemTreeWriter()
    assert writer.listing(tmp_path / "missing") is None
    writer.write(TREE, tmp_path / "out", None)
    assert writer.listing(tmp_path / "out") == ["README.md", "app/main.py"]
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputExistsError):
        writer.listing(tmp_path / "file")


def test_the_formatter_formats_python_and_sorts_imports() -> None:
    tree = {
        "pyproject.toml": b"[tool.ruff]\nline-length = 100\n",
        "m.py": b"import sys\nimport os\nx=os.sep+sys.platform\n",
        "n.txt": b"x=1",
    }
    formatted = RuffFormatter().format(tree)
    assert formatted["m.py"] == b"import os\nimport sys\n\nx = os.sep + sys.platform\n"
    assert formatted["n.txt"] == b"x=1"


def test_an_update_changes_only_the_files_it_names(tmp_path: Path) -> None:
    writer = FilesystemTreeWriter()
    out = tmp_path / "out"
    writer.write({**TREE, "app/old/gone.py": b"old\n"}, out, None)
    (out / ".venv").mkdir()
    (out / ".venv" / "keep").write_text("mine")
    writer.update(out, {"app/main.py": b"x = 2\n", "app/new/added.py": b"y\n"}, ["app/old/gone.py"])
    assert (out / "app/main.py").read_bytes() == b"x = 2\n"
    assert (out / "app/new/added.py").read_bytes() == b"y\n"
    assert not (out / "app/old").exists(), "a folder left empty by a removal goes too"
    assert (out / ".venv" / "keep").read_text() == "mine"
    assert sorted(p.name for p in out.rglob(".*.py*")) == [], "no temporary file is left"


def test_an_update_never_writes_through_a_linked_folder(tmp_path: Path) -> None:
    writer = FilesystemTreeWriter()
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    writer.write(TREE, out, None)
    elsewhere.mkdir()
    (out / "linked").symlink_to(elsewhere)
    with pytest.raises(OutputError, match="outside"):
        writer.update(out, {"linked/x.py": b"x\n"}, [])
    assert list(elsewhere.iterdir()) == []
    with pytest.raises(OutputError, match="outside the output"):
        writer.update(out, {"../x.py": b"x\n"}, [])


def test_an_update_drops_the_bytecode_of_what_it_replaces(tmp_path: Path) -> None:
    writer = FilesystemTreeWriter()
    out = tmp_path / "out"
    writer.write({"app/main.py": b"x = 100\n", "app/other.py": b"y = 1\n"}, out, None)
    for name in ("main", "other"):
        py_compile.compile(str(out / "app" / f"{name}.py"), doraise=True)
    writer.update(out, {"app/main.py": b"x = 250\n"}, [])
    assert [p.name.split(".")[0] for p in (out / "app/__pycache__").iterdir()] == ["other"]
