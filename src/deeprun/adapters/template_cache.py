"""Compiled templates kept between processes: Jinja's bytecode cache in deeprun's cache folder.

Jinja turns the template set into Python code in every new process, a fifth of a second of each
`deeprun compile`. With this cache that happens once per machine: each template's code is stored
under its name, keyed by the checksum of its source and by Jinja's and Python's versions, so an
edited template is compiled anew and the rendered text is the same byte for byte. A cache that
cannot be read or written is no error: the templates are compiled as without it.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import jinja2
from jinja2.bccache import Bucket


class TemplateCache(jinja2.FileSystemBytecodeCache):
    def __init__(self, folder: Path) -> None:
        super().__init__(str(folder))

    def load_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def keep_compiled(environment: jinja2.Environment, folder: Path) -> None:
    """Gives ``environment`` the cache in ``folder`` (made if missing), unless it has one."""
    if environment.bytecode_cache is not None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    environment.bytecode_cache = TemplateCache(folder)
