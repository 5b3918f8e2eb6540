"""Access rules: ownership needs accounts, and every principal names something that exists."""

from __future__ import annotations

from collections.abc import Iterator

from deeprun.contracts.problems import Problem, ProblemCode
from deeprun.logic.naming import to_snake
from deeprun.logic.review.context import (
    OWNER,
    PRINCIPAL_KEYWORDS,
    PUBLIC,
    EntityView,
    ReviewContext,
)

_ADMIN = "admin"
OPERATIONS = ("create", "read", "update", "delete")


def canonical_principal(raw: str) -> str | None:
    return raw if raw in PRINCIPAL_KEYWORDS else to_snake(raw)


def check_owned(ctx: ReviewContext) -> Iterator[Problem]:
    if ctx.auth_enabled:
        return
    for entity in ctx.entities:
        if entity.model.owned:
            yield Problem(
                ProblemCode.OWNED_REQUIRES_AUTH,
                entity.path("owned"),
                "owned entities need auth.enabled: true",
            )


def check_roles_exist(ctx: ReviewContext) -> Iterator[Problem]:
    auth = ctx.spec.auth
    if _ADMIN not in ctx.roles:
        yield Problem(ProblemCode.UNKNOWN_ROLE, "/auth/roles", "auth.roles must contain 'admin'")
    if to_snake(auth.default_role) not in ctx.roles:
        yield Problem(
            ProblemCode.UNKNOWN_ROLE,
            "/auth/default_role",
            f"default_role {auth.default_role!r} is not one of auth.roles",
        )


def check_permissions(ctx: ReviewContext) -> Iterator[Problem]:
    for entity in ctx.entities:
        permissions = entity.model.permissions
        if permissions is None:
            continue
        for operation in OPERATIONS:
            for index, raw in enumerate(getattr(permissions, operation) or ()):
                reason = _principal_problem(ctx, entity, operation, raw)
                if reason:
                    path = entity.path("permissions", operation, index)
                    yield Problem(ProblemCode.UNKNOWN_ROLE, path, f"{raw!r} {reason}")


def _principal_problem(
    ctx: ReviewContext, entity: EntityView, operation: str, raw: str
) -> str | None:
    principal = canonical_principal(raw)
    if principal == PUBLIC:
        return None
    if not ctx.auth_enabled:
        return "needs auth.enabled: true; with auth off every operation is public"
    if principal == OWNER:
        if not entity.model.owned:
            return "applies only to owned entities"
        return "cannot create: a new row has no owner yet" if operation == "create" else None
    if principal in PRINCIPAL_KEYWORDS or principal in ctx.roles:
        return None
    return "is not 'public', 'authenticated', 'owner' or a role in auth.roles"
