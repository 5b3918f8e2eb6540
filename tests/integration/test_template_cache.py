"""Compiled templates kept on disk between processes: reused while the source is the same,
compiled anew when it changes, and never an error when the folder cannot be used."""

from __future__ import annotations

from pathlib import Path

import jinja2

from deeprun.adapters.template_cache import TemplateCache, keep_compiled


def environment(templates: dict[str, str]) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.DictLoader(templates), autoescape=False)


def test_a_second_environment_reuses_the_code_the_first_compiled(tmp_path: Path) -> None:
    first = environment({"model.py.jinja": "class {{ name }}: pass"})
    keep_compiled(first, tmp_path / "templates")
    assert first.get_template("model.py.jinja").render(name="Item") == "class Item: pass"
    [stored] = (tmp_path / "templates").iterdir()
    inode = stored.stat().st_ino

    second = environment({"model.py.jinja": "class {{ name }}: pass"})
    keep_compiled(second, tmp_path / "templates")
    assert second.get_template("model.py.jinja").render(name="Item") == "class Item: pass"
    assert stored.stat().st_ino == inode  # read, not compiled and stored again


def test_an_edited_template_is_compiled_anew(tmp_path: Path) -> None:
    before = environment({"a.jinja": "old {{ x }}"})
    keep_compiled(before, tmp_path)
    assert before.get_template("a.jinja").render(x=1) == "old 1"
    after = environment({"a.jinja": "new {{ x }}"})
    keep_compiled(after, tmp_path)
    assert after.get_template("a.jinja").render(x=1) == "new 1"


def test_a_folder_that_cannot_be_made_leaves_the_environment_without_cache(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    env = environment({"a.jinja": "{{ x }}"})
    keep_compiled(env, blocker / "templates")
    assert env.bytecode_cache is None
    assert env.get_template("a.jinja").render(x=2) == "2"


def test_a_cache_that_cannot_be_written_is_no_error(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    env = environment({"a.jinja": "{{ x }}"})
    keep_compiled(env, folder)
    folder.rmdir()  # gone before the first template is stored
    assert env.get_template("a.jinja").render(x=3) == "3"


def test_an_environment_keeps_the_cache_it_already_has(tmp_path: Path) -> None:
    env = environment({})
    mine = TemplateCache(tmp_path)
    env.bytecode_cache = mine
    keep_compiled(env, tmp_path / "other")
    assert env.bytecode_cache is mine
    assert not (tmp_path / "other").exists()
