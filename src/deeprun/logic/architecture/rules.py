"""The catalogue of architecture rules: stable ids, what each guards, and how to fix it.

Ids are a contract (the correction loop and users' CI filter on them): never rename one.
"""

from __future__ import annotations

from dataclasses import dataclass

from deeprun.contracts.gates import Failure, Severity


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    summary: str
    hint: str
    severity: Severity = Severity.ERROR

    def failure(self, message: str, file: str | None = None, line: int | None = None) -> Failure:
        return Failure(self.id, message, file, line, self.severity, self.hint)


_CATALOGUE = (
    Rule(
        "STRUCTURE.REQUIRED_FILE",
        "The files every generated backend has are present.",
        "Restore the file from a fresh compile of the spec.",
    ),
    Rule(
        "STRUCTURE.SYNTAX",
        "Every Python file parses.",
        "Fix the syntax error; nothing else can be checked in this file until then.",
    ),
    Rule(
        "ARCH.LAYER",
        "Routers, services, repositories and entities import only what their layer may.",
        "Move the code to the layer that owns it (routers call services, services call "
        "repositories, only repositories touch the database).",
    ),
    Rule(
        "ARCH.MODULE_ISOLATION",
        "A feature module never imports another feature module.",
        "Share through app/common or app/db/lookups, or refer to the other table by name.",
    ),
    Rule(
        "ARCH.CYCLE",
        "The app's imports form no cycle (TYPE_CHECKING imports aside).",
        "Break the cycle: move the shared part into a module both can import.",
    ),
    Rule(
        "CODE.RAW_EXCEPTION",
        "No bare Exception or BaseException is raised.",
        "Raise a subclass of the app's BaseAppError so the handler maps it to a status code.",
    ),
    Rule(
        "CODE.PRINT",
        "Application code logs with structlog, never print().",
        "Use structlog.get_logger(__name__) and log a named event with fields.",
    ),
    Rule(
        "SEC.CORS_WILDCARD",
        "CORS never allows every origin.",
        "List the allowed origins in CORS_ORIGINS; never '*' or a match-all regex.",
    ),
    Rule(
        "SEC.JWT_SECRET_UNVALIDATED",
        "Settings refuse a JWT secret shorter than 32 characters outside development.",
        "Validate JWT_SECRET in Settings: raise when len(secret) < 32.",
    ),
    Rule(
        "SEC.PASSWORD_HASHING",
        "Passwords are hashed with a slow password hash (argon2, bcrypt, scrypt).",
        "Hash with argon2.PasswordHasher (argon2-cffi) or pwdlib; never a plain digest.",
    ),
    Rule(
        "SEC.HARDCODED_SECRET",
        "No secret, password, token or key is written into the code.",
        "Read it from the environment through Settings (a SecretStr).",
    ),
    Rule(
        "SEC.DEBUG",
        "Debug mode, auto-reload and debug tracebacks are off.",
        "Remove debug=True / reload=True; configure them only in a developer's own command.",
    ),
    Rule(
        "SEC.STACKTRACE_LEAK",
        "Responses never carry a traceback or an exception's own text for unexpected errors.",
        "Log the exception and answer the generic INTERNAL_ERROR body.",
    ),
    Rule(
        "SEC.RATE_LIMIT_MISSING",
        "With auth, the login routes are behind a rate limiter.",
        "Add the login rate-limit middleware to the app in app/main.py.",
    ),
    Rule(
        "DB.AUTO_MIGRATE_AT_BOOT",
        "The app never creates or migrates tables itself; Alembic does, before boot.",
        "Remove create_all / alembic calls from the app; run `alembic upgrade head` first.",
    ),
    Rule(
        "DOCKER.ROOT_USER",
        "The image's final stage runs as an unprivileged user.",
        "Add a system user and `USER app` before CMD in the final stage.",
    ),
    Rule(
        "DOCKER.NO_HEALTHCHECK",
        "The image's final stage declares a HEALTHCHECK on /health.",
        "Add HEALTHCHECK CMD that requests /health in the final stage.",
    ),
    Rule(
        "DOCKER.LINT",
        "hadolint finds nothing at warning level or above in the Dockerfile.",
        "Follow the hadolint rule named in tool_code (see its wiki page).",
    ),
    Rule(
        "TEST.MODULE_MISSING_TESTS",
        "Every module under app/modules with a router has a test file with a test in it.",
        "Add tests/modules/test_<module>.py with tests of its routes.",
    ),
)

RULES: dict[str, Rule] = {rule.id: rule for rule in _CATALOGUE}
