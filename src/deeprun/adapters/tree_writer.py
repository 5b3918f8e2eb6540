"""Writes a generated tree to a folder (and a zip) atomically, or updates one in place.

A new tree is written into a hidden staging folder beside the output, then renamed into place,
so a failed compile leaves the output exactly as it was. An upgrade touches only the files it
changes (each replaced by a rename, so none is ever half written) and leaves everything else in
the folder alone: the user's files, ``.git``, ``.venv``. What may be replaced is the compile
service's decision, made from what ``listing`` and ``read`` return.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from deeprun.contracts.errors import InputError, OutputError, OutputExistsError

ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
FILE_MODE = 0o644


class FilesystemTreeWriter:
    def listing(self, output: Path) -> list[str] | None:
        return _listing(output.absolute())

    def read(self, output: Path, path: str) -> bytes:
        """A file's bytes; a symlink reads as its target, so it never matches a generated file."""
        target = output.absolute() / path
        try:
            if target.is_symlink():
                return b"symlink:" + os.fsencode(target.readlink())
            return target.read_bytes()
        except OSError as exc:
            raise OutputError(f"cannot read {target}: {exc.strerror or exc}") from exc

    def write(self, tree: Mapping[str, bytes], output: Path, zip_path: Path | None) -> None:
        for path in tree:
            _check_relative(path)
        output = output.absolute()
        if zip_path is not None and zip_path.absolute().is_relative_to(output):
            raise InputError("the zip must be written outside the output folder")
        try:
            output.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.", dir=output.parent))
        except OSError as exc:
            raise OutputError(f"cannot write beside {output}: {exc.strerror}") from exc
        try:
            _write_files(staging, tree)
            if zip_path is not None:
                _write_zip(zip_path.absolute(), tree)
            _swap(staging, output)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise OutputError(f"cannot write {output}: {exc.strerror or exc}") from exc

    def update(self, output: Path, writes: Mapping[str, bytes], removals: Sequence[str]) -> None:
        output = output.absolute()
        root = output.resolve()
        for path in [*writes, *removals]:
            _check_relative(path)
            if not (output / path).parent.resolve().is_relative_to(root):
                raise OutputError(f"refusing to write {path}: a linked folder leads outside")
        try:
            for path, data in sorted(writes.items()):
                _replace_file(output / path, data)
                _forget_bytecode(output / path)
            for path in sorted(removals):
                (output / path).unlink(missing_ok=True)
                _forget_bytecode(output / path)
                _prune_empty(output, (output / path).parent)
        except OSError as exc:
            raise OutputError(f"cannot update {output}: {exc.strerror or exc}") from exc

    def write_zip(self, tree: Mapping[str, bytes], zip_path: Path) -> None:
        try:
            _write_zip(zip_path.absolute(), tree)
        except OSError as exc:
            raise OutputError(f"cannot write {zip_path}: {exc.strerror or exc}") from exc


def _replace_file(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        Path(temporary).chmod(FILE_MODE)
        Path(temporary).replace(target)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        raise


def _forget_bytecode(source: Path) -> None:
    """Removes the module's cached bytecode. Python trusts a .pyc whose recorded source mtime
    (whole seconds) and size match, so a file replaced within the second it was imported, by
    one of the same length (``length=100`` to ``length=250``), would otherwise run stale."""
    if source.suffix == ".py":
        for cached in (source.parent / "__pycache__").glob(f"{source.stem}.*.pyc"):
            cached.unlink(missing_ok=True)


def _prune_empty(root: Path, folder: Path) -> None:
    """Removes folders a removal left empty, up to (not including) the output."""
    while folder != root and folder.is_relative_to(root) and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _check_relative(path: str) -> None:
    """A generated path stays inside the output: relative, no '..', no empty parts."""
    if "\\" in path or any(part in ("", ".", "..") for part in path.split("/")):
        raise OutputError(f"refusing to write the path {path!r} outside the output folder")


def _listing(output: Path) -> list[str] | None:
    if not output.exists() and not output.is_symlink():
        return None
    if output.is_symlink() or not output.is_dir():
        raise OutputExistsError(f"{output} exists and is not a folder")
    try:
        return sorted(
            p.relative_to(output).as_posix()
            for p in output.rglob("*")
            if p.is_symlink() or not p.is_dir()
        )
    except OSError as exc:
        raise OutputError(f"cannot read {output}: {exc.strerror or exc}") from exc


def _write_files(root: Path, tree: Mapping[str, bytes]) -> None:
    for path, data in sorted(tree.items()):
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        target.chmod(FILE_MODE)


def _write_zip(zip_path: Path, tree: Mapping[str, bytes]) -> None:
    """Same tree, same zip bytes: fixed timestamps and modes, sorted entries."""
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{zip_path.name}.", dir=zip_path.parent)
    os.close(handle)
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path, data in sorted(tree.items()):
                info = zipfile.ZipInfo(path, date_time=ZIP_TIMESTAMP)
                info.external_attr = FILE_MODE << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data)
        Path(temporary).replace(zip_path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        raise


def _swap(staging: Path, output: Path) -> None:
    if not output.exists():
        staging.rename(output)
        return
    retired = staging.with_name(staging.name + ".old")
    output.rename(retired)
    try:
        staging.rename(output)
    except OSError:
        retired.rename(output)
        raise
    shutil.rmtree(retired, ignore_errors=True)
