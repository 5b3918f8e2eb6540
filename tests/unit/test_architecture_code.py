"""Code rules over real generated projects: clean ones pass, realistic edits fail, and a bad
pattern that only sits in a comment or a string changes nothing."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from deeprun.adapters.ruff_formatter import RuffFormatter
from deeprun.contracts.gates import Failure
from deeprun.logic.architecture.code import code_rules
from deeprun.services.compiling import build
from tests.specs import EXAMPLES

Edit = tuple[str, str]  # (old, new), applied once
EXTRA = "app/common/extra.py"
SECRET_KEY_SHAPE = "sk-" + "a1B2c3D4e5F6g7H8i9J0k1L2"
ARGON2_IMPORTS = (
    "from argon2 import PasswordHasher\nfrom argon2.exceptions import InvalidHashError, "
    "VerificationError\n"
)
RATE_LIMIT_LINE = (
    "    app.add_middleware(LoginRateLimitMiddleware, limit=settings.login_rate_limit)\n"
)
LENGTH_CHECK = (
    "        if len(secret) < MIN_SECRET_LENGTH:\n"
    '            raise ValueError(f"JWT_SECRET must be at least {MIN_SECRET_LENGTH} characters")\n'
)


def python_files(example: str) -> dict[str, str]:
    tree = build((EXAMPLES / f"{example}.json").read_bytes(), RuffFormatter()).tree
    return {path: data.decode() for path, data in tree.items() if path.endswith(".py")}


@pytest.fixture(scope="module")
def shop() -> dict[str, str]:
    return python_files("shop-1.0")


def edited(files: Mapping[str, str], path: str, *edits: Edit) -> dict[str, str]:
    text = files.get(path, "")
    for old, new in edits:
        assert old in text, f"{old!r} is not in {path}"
        text = text.replace(old, new, 1)
    return {**files, path: text}


def line_of(text: str, marker: str) -> int:
    return text[: text.index(marker)].count("\n") + 1


def places(found: tuple[Failure, ...], code: str) -> set[tuple[str | None, int | None]]:
    return {(failure.file, failure.line) for failure in found if failure.code == code}


@pytest.mark.parametrize(
    "example",
    [path.stem for path in sorted(EXAMPLES.glob("*.json"))],
)
def test_every_example_project_breaks_no_code_rule(example: str) -> None:
    assert code_rules(python_files(example)) == ()


# (rule, file, edits, marker of the expected line; None when the finding has no line)
MUTATIONS: dict[str, tuple[str, str, tuple[Edit, ...], str | None]] = {
    "cors wildcard origin": (
        "SEC.CORS_WILDCARD",
        "app/main.py",
        (("allow_origins=list(settings.cors_origins)", 'allow_origins=["*"]'),),
        'allow_origins=["*"]',
    ),
    "cors wildcard through a local name": (
        "SEC.CORS_WILDCARD",
        "app/main.py",
        (
            ("allow_origins=list(settings.cors_origins)", "allow_origins=origins"),
            ("    app = FastAPI(", '    origins = ("*",)\n    app = FastAPI('),
        ),
        "allow_origins=origins",
    ),
    "cors match-all regex": (
        "SEC.CORS_WILDCARD",
        "app/main.py",
        (
            (
                "allow_origins=list(",
                'allow_origin_regex="https?://.*",\n        allow_origins=list(',
            ),
        ),
        "allow_origin_regex",
    ),
    "rate limit middleware deleted": (
        "SEC.RATE_LIMIT_MISSING",
        "app/main.py",
        ((RATE_LIMIT_LINE, ""),),
        "FastAPI(\n",
    ),
    "short jwt secret bound": (
        "SEC.JWT_SECRET_UNVALIDATED",
        "app/config/settings.py",
        (("MIN_SECRET_LENGTH = 32", "MIN_SECRET_LENGTH = 8"),),
        "if len(secret) < MIN_SECRET_LENGTH",
    ),
    "jwt secret length check deleted": (
        "SEC.JWT_SECRET_UNVALIDATED",
        "app/config/settings.py",
        ((LENGTH_CHECK, ""),),
        "class Settings(",
    ),
    "print in the app": (
        "CODE.PRINT",
        "app/main.py",
        (("    register_error_handlers(app)", '    print("x")\n    register_error_handlers(app)'),),
        'print("x")',
    ),
    "print in a script": (
        "CODE.PRINT",
        "scripts/seed.py",
        (("    configure_logging()\n", '    configure_logging()\n    print("seeding")\n'),),
        'print("seeding")',
    ),
    "bare exception in a service": (
        "CODE.RAW_EXCEPTION",
        "app/modules/product/service.py",
        (("raise NotFoundError(NOT_FOUND)", 'raise Exception("boom")'),),
        'raise Exception("boom")',
    ),
    "provider key in the code": (
        "SEC.HARDCODED_SECRET",
        "app/security/tokens.py",
        (('ALGORITHM = "HS256"', f'ALGORITHM = "HS256"\nJWT = "{SECRET_KEY_SHAPE}"'),),
        "JWT = ",
    ),
    "hardcoded settings secret": (
        "SEC.HARDCODED_SECRET",
        "app/config/settings.py",
        (('SecretStr = SecretStr("")', 'SecretStr = SecretStr("x9f2k3m4n5b6v7c8")'),),
        'SecretStr("x9f2k3m4n5b6v7c8")',
    ),
    "traceback in the error handler": (
        "SEC.STACKTRACE_LEAK",
        "app/errors/handlers.py",
        (
            ("import structlog\n", "import traceback\n\nimport structlog\n"),
            ('"An unexpected error occurred"', "traceback.format_exc()"),
        ),
        "traceback.format_exc()",
    ),
    "exception text in the error response": (
        "SEC.STACKTRACE_LEAK",
        "app/errors/handlers.py",
        (('"An unexpected error occurred"', "str(exc)"),),
        "str(exc)",
    ),
    "create_all in the lifespan": (
        "DB.AUTO_MIGRATE_AT_BOOT",
        "app/main.py",
        (
            (
                "        yield\n",
                "        async with engine.begin() as connection:\n"
                "            await connection.run_sync(Base.metadata.create_all)\n"
                "        yield\n",
            ),
        ),
        "Base.metadata.create_all",
    ),
    "uvicorn auto-reload": (
        "SEC.DEBUG",
        "app/server.py",
        (("proxy_headers=False,", "proxy_headers=False,\n        reload=True,"),),
        "reload=True",
    ),
    "fastapi debug mode": (
        "SEC.DEBUG",
        "app/main.py",
        (('title="shop_api",', 'title="shop_api",\n        debug=True,'),),
        "debug=True",
    ),
    "sha256 password digest": (
        "SEC.PASSWORD_HASHING",
        "app/security/passwords.py",
        (
            (ARGON2_IMPORTS, "import hashlib\n"),
            (
                "return await anyio.to_thread.run_sync(self._hasher.hash, password)",
                "return hashlib.sha256(password.encode()).hexdigest()",
            ),
        ),
        "hashlib.sha256(password",
    ),
    "no slow password hash left": (
        "SEC.PASSWORD_HASHING",
        "app/security/passwords.py",
        ((ARGON2_IMPORTS, "import hashlib\n"),),
        None,
    ),
}


@pytest.mark.parametrize(("rule", "path", "edits", "marker"), MUTATIONS.values(), ids=MUTATIONS)
def test_a_realistic_edit_breaks_its_rule_where_it_was_made(
    shop: dict[str, str], rule: str, path: str, edits: tuple[Edit, ...], marker: str | None
) -> None:
    files = edited(shop, path, *edits)
    line = None if marker is None else line_of(files[path], marker)
    assert (path, line) in places(code_rules(files), rule)


# A bad pattern written only in a comment or a string literal: the project stays clean.
INERT: dict[str, tuple[str, tuple[Edit, ...]]] = {
    "cors wildcard comment": (
        "app/main.py",
        (
            (
                "        app.add_middleware(\n",
                '        # allow_origins=["*"]\n        app.add_middleware(\n',
            ),
        ),
    ),
    "cors wildcard string": (
        "app/main.py",
        (('DESCRIPTION = "', 'NOTE = \'allow_origins=["*"]\'\nDESCRIPTION = "'),),
    ),
    "print string": ("app/main.py", (('DESCRIPTION = "', 'x = "print(1)"\nDESCRIPTION = "'),)),
    "print comment": (
        "scripts/seed.py",
        (("    configure_logging()\n", "    # print(1)\n    configure_logging()\n"),),
    ),
    "raise comment": (
        "app/modules/product/service.py",
        (
            (
                "raise NotFoundError(NOT_FOUND)",
                'raise NotFoundError(NOT_FOUND)  # raise Exception("x")',
            ),
        ),
    ),
    "traceback comment and string": (
        "app/errors/handlers.py",
        (
            (
                '    logger.exception("request_crashed"',
                '    # traceback.format_exc()\n    logger.exception("request_crashed"',
            ),
            ('"An unexpected error occurred"', '"import traceback; str(exc)"'),
        ),
    ),
    "create_all comment": (
        "app/main.py",
        (
            (
                "        yield\n",
                "        # await conn.run_sync(Base.metadata.create_all)\n        yield\n",
            ),
        ),
    ),
    "alembic string": (
        "app/main.py",
        (('DESCRIPTION = "', 'HOW = "from alembic import command"\nDESCRIPTION = "'),),
    ),
    "reload comment": (
        "app/server.py",
        (("proxy_headers=False,", "proxy_headers=False,  # reload=True"),),
    ),
    "debug string": (
        "app/main.py",
        (('DESCRIPTION = "', 'HELP = "FastAPI(debug=True)"\nDESCRIPTION = "'),),
    ),
    "secret comment": (
        "app/security/tokens.py",
        (('ALGORITHM = "HS256"', f'ALGORITHM = "HS256"\n# JWT = "{SECRET_KEY_SHAPE}"'),),
    ),
    "password digest comment": (
        "app/security/passwords.py",
        (("class Passwords:", "# hashlib.sha256(password.encode())\nclass Passwords:"),),
    ),
    "short bound comment": (
        "app/config/settings.py",
        (("MIN_SECRET_LENGTH = 32", "MIN_SECRET_LENGTH = 32  # MIN_SECRET_LENGTH = 8"),),
    ),
}


@pytest.mark.parametrize(("path", "edits"), INERT.values(), ids=INERT)
def test_a_bad_pattern_in_a_comment_or_string_triggers_nothing(
    shop: dict[str, str], path: str, edits: tuple[Edit, ...]
) -> None:
    assert code_rules(edited(shop, path, *edits)) == ()


# A safeguard deleted from the code but kept in a comment or a string: the rule still fires.
GHOSTS: dict[str, tuple[str, str, tuple[Edit, ...]]] = {
    "rate limit in a comment": (
        "SEC.RATE_LIMIT_MISSING",
        "app/main.py",
        ((RATE_LIMIT_LINE, "    # " + RATE_LIMIT_LINE.lstrip()),),
    ),
    "rate limit in a string": (
        "SEC.RATE_LIMIT_MISSING",
        "app/main.py",
        ((RATE_LIMIT_LINE, f"    _ = {RATE_LIMIT_LINE.strip()!r}\n"),),
    ),
    "length check in a comment": (
        "SEC.JWT_SECRET_UNVALIDATED",
        "app/config/settings.py",
        ((LENGTH_CHECK, "        # if len(secret) < 32: raise ValueError('short')\n"),),
    ),
    "argon2 in a comment": (
        "SEC.PASSWORD_HASHING",
        "app/security/passwords.py",
        ((ARGON2_IMPORTS, "import hashlib  # from argon2 import PasswordHasher\n"),),
    ),
}


@pytest.mark.parametrize(("rule", "path", "edits"), GHOSTS.values(), ids=GHOSTS)
def test_a_safeguard_left_only_in_a_comment_or_string_still_fails(
    shop: dict[str, str], rule: str, path: str, edits: tuple[Edit, ...]
) -> None:
    assert places(code_rules(edited(shop, path, *edits)), rule)


# Spellings the rules resolve through imports, names and values, in a new app module.
CAUGHT: dict[str, tuple[str, str, str]] = {
    "builtins.Exception": (
        "CODE.RAW_EXCEPTION",
        "import builtins\nraise builtins.Exception\n",
        "raise",
    ),
    "aliased hashlib": (
        "SEC.PASSWORD_HASHING",
        "from hashlib import sha1 as h\n\ndef f(user):\n    return h(user.password)\n",
        "h(user",
    ),
    "uvicorn debug level": (
        "SEC.DEBUG",
        'import uvicorn\n\nuvicorn.run("app.main:app", log_level="debug")\n',
        "uvicorn.run",
    ),
    "app.debug assignment": ("SEC.DEBUG", "def f(app):\n    app.debug = True\n", "app.debug"),
    "alembic import": ("DB.AUTO_MIGRATE_AT_BOOT", "from alembic import command\n", "from alembic"),
    "alembic upgrade": (
        "DB.AUTO_MIGRATE_AT_BOOT",
        'import alembic.command\n\nalembic.command.upgrade(cfg, "head")\n',
        "alembic.command.upgrade",
    ),
    "sys.exc_info": (
        "SEC.STACKTRACE_LEAK",
        "import sys\n\nINFO = sys.exc_info()\n",
        "sys.exc_info",
    ),
    "exception text through a name": (
        "SEC.STACKTRACE_LEAK",
        "def h(request, exc: Exception):\n    detail = f'{exc}'\n"
        "    return JSONResponse({'detail': detail})\n",
        "detail})",
    ),
    "registered handler exc.args": (
        "SEC.STACKTRACE_LEAK",
        "def h(request, e):\n    return {'detail': e.args}\n\n"
        "def register(app):\n    app.add_exception_handler(Exception, h)\n",
        "e.args",
    ),
    "env var fallback secret": (
        "SEC.HARDCODED_SECRET",
        'import os\n\ntoken = os.getenv("API_TOKEN", "fallback-9x8y7z6w")\n',
        "os.getenv",
    ),
    "password literal": ("SEC.HARDCODED_SECRET", 'db_password = "hunter2hunter2"\n', "db_password"),
    "dict key secret": ("SEC.HARDCODED_SECRET", 'CONFIG = {"api_key": "k3y-9f8e7d6c"}\n', "CONFIG"),
    "private key": (
        "SEC.HARDCODED_SECRET",
        'PEM = "-----BEGIN RSA PRIVATE KEY-----MIIE"\n',
        "PEM",
    ),
    "https wildcard regex": (
        "SEC.CORS_WILDCARD",
        'def f(app):\n    app.add_middleware(CORSMiddleware, allow_origin_regex="https://.*")\n',
        "allow_origin_regex",
    ),
    "module-level wildcard list": (
        "SEC.CORS_WILDCARD",
        'ORIGINS = ["*"]\n\ndef f(app):\n    app.add_middleware(C, allow_origins=ORIGINS)\n',
        "allow_origins=ORIGINS",
    ),
}


@pytest.mark.parametrize(("rule", "source", "marker"), CAUGHT.values(), ids=CAUGHT)
def test_a_bad_pattern_is_caught_however_it_is_spelled(
    shop: dict[str, str], rule: str, source: str, marker: str
) -> None:
    assert (EXTRA, line_of(source, marker)) in places(code_rules({**shop, EXTRA: source}), rule)


LOOK_ALIKES = {
    "a print method": "def f(console):\n    console.print('x')\n",
    "a specific exception": "raise ValueError('bad')\n",
    "names of secrets, not secrets": (
        'TOKEN_TYPE = "refresh_token"\nSECRET_ENV = "JWT_SECRET"\n'
        'INVALID_TOKEN = "Invalid or expired token"\ntoken_url = "https://auth.example.com/token"\n'
        'def f(form):\n    return form(tokenUrl="/auth/token", password_column="password_hash")\n'
    ),
    "a digest of a token": "import hashlib\n\ndef f(token):\n    return hashlib.sha256(token)\n",
    "a subdomain regex": (
        'def f(app):\n    app.add_middleware(C, allow_origin_regex=r"https://.*\\.example\\.com")\n'
    ),
    "a handler that only logs the exception": (
        "def h(request, exc: Exception):\n    logger.error('crash', error=str(exc))\n"
        "    return JSONResponse({'detail': 'Internal error'})\n"
    ),
    "debug off": "def f(app):\n    app.debug = False\n    return FastAPI(debug=False)\n",
}


@pytest.mark.parametrize("source", LOOK_ALIKES.values(), ids=LOOK_ALIKES)
def test_a_harmless_look_alike_is_not_caught(shop: dict[str, str], source: str) -> None:
    assert code_rules({**shop, EXTRA: source}) == ()


def test_a_file_that_does_not_parse_is_reported_once_and_not_guessed_at(
    shop: dict[str, str],
) -> None:
    broken = shop["app/main.py"].replace(RATE_LIMIT_LINE, '    print("x")\n    def broken(:\n')
    found = code_rules({**shop, "app/main.py": broken})
    line = line_of(broken, "def broken")
    assert [(f.code, f.file, f.line) for f in found] == [("STRUCTURE.SYNTAX", "app/main.py", line)]


def test_a_file_nested_too_deeply_to_parse_is_reported_not_a_crash(shop: dict[str, str]) -> None:
    found = code_rules({**shop, EXTRA: "x = " + "+".join(["a"] * 20_000)})
    assert [(f.code, f.file) for f in found] == [("STRUCTURE.SYNTAX", EXTRA)]


SLOW_HASHES = {
    "bcrypt": ("import bcrypt\n", "bcrypt.hashpw(password.encode(), bcrypt.gensalt())"),
    "pbkdf2": (
        "import hashlib\n",
        'hashlib.pbkdf2_hmac("sha256", password.encode(), b"s", 600_000)',
    ),
    "scrypt": (
        "import hashlib\n",
        'hashlib.scrypt(password.encode(), salt=b"s", n=2**14, r=8, p=1)',
    ),
}


@pytest.mark.parametrize(("imports", "call"), SLOW_HASHES.values(), ids=SLOW_HASHES)
def test_another_slow_password_hash_is_accepted(
    shop: dict[str, str], imports: str, call: str
) -> None:
    files = edited(
        shop,
        "app/security/passwords.py",
        (ARGON2_IMPORTS, imports),
        ("await anyio.to_thread.run_sync(self._hasher.hash, password)", call),
    )
    assert code_rules(files) == ()


def test_tests_and_migrations_may_do_what_the_app_must_not(shop: dict[str, str]) -> None:
    bad = 'print("x")\nraise Exception("boom")\nimport alembic\nDEBUG = dict(reload=True)\n'
    assert code_rules({**shop, "tests/test_extra.py": bad, "migrations/extra.py": bad}) == ()


def test_the_report_is_sorted_and_the_same_every_run(shop: dict[str, str]) -> None:
    files = edited(
        shop, "app/main.py", ("register_error_handlers(app)", "print(1)\n    raise Exception")
    )
    files = {**files, EXTRA: 'db_password = "hunter2hunter2"\nprint(2)\n'}
    first = code_rules(files)
    assert first == code_rules(dict(reversed(files.items())))
    assert list(first) == sorted(first, key=lambda f: (f.file or "", f.line or 0, f.code))
    assert len(first) == 4
