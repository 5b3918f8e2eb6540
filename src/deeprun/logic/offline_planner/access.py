"""Accounts and who may do what: auth on or off, roles, registration, permissions, ownership.

Auth is on when the prompt talks about logging in, accounts, roles, admins or "their own"
things, and off when it says so ("no auth needed") or says nothing. A sentence "only admins can
delete products" gives Product's delete permission to the admin role; a subject that is not an
entity and not a known principal ("editors can ...") is a role.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Final

from deeprun.logic.naming import singularize, to_snake
from deeprun.logic.offline_planner.entities import Catalog
from deeprun.logic.offline_planner.lexicon import (
    ACCOUNT_WORDS,
    ADMIN_NOUNS,
    AUTHENTICATED_NOUNS,
    LOGIN_VERBS,
    META_NOUNS,
    OWNER_NOUNS,
    POSSESSIVES,
    PROJECT_HEADS,
    PUBLIC_NOUNS,
)
from deeprun.logic.offline_planner.nouns import Tokens, noun_at, word_class
from deeprun.logic.offline_planner.tokens import verb_base

_AUTH_WORDS: Final = frozenset(
    "login logins log-in logout signup sign-up signin sign-in registration authentication "
    "authenticate authenticated auth jwt password passwords logged-in oauth roles role "
    "admin admins administrator administrators permissions".split()
)
_AUTH_PAIRS: Final = frozenset(
    {("log", "in"), ("logs", "in"), ("logged", "in"), ("sign", "in"), ("signs", "in"),
     ("sign", "up"), ("signs", "up"), ("their", "own"), ("register", "and"),
     ("users", "register")}
)  # fmt: skip
_NEGATIONS: Final = frozenset(
    "no not without don't dont doesn't never skip disable disabled none unnecessary".split()
)
_NEGATABLE: Final = frozenset(
    "auth authentication login logins log-in accounts users signup sign-up authorization".split()
)
_OPS: Final = {
    **dict.fromkeys("create add post submit write publish upload make insert".split(), ("create",)),
    **dict.fromkeys("read view see list browse access get search fetch".split(), ("read",)),
    **dict.fromkeys("update edit modify change rename approve".split(), ("update",)),
    **dict.fromkeys("delete remove destroy erase".split(), ("delete",)),
    **dict.fromkeys("manage administer moderate control".split(), ("create", "update", "delete")),
}  # fmt: skip
# Verbs that change or remove rows: said plainly of people ("managers approve timesheets"), who may.
_RULING: Final = frozenset(verb for verb, ops in _OPS.items() if not {"create", "read"} & set(ops))
_ABILITY: Final = frozenset({"can", "may", "could", "should", "must", "allowed", "able"})
_INVITE: Final = frozenset("invitation invitations invite invited invite-only invites".split())
_CLOSED: Final = frozenset({"closed", "disabled", "admin-only", "restricted"})
_SIGNED_IN: Final = frozenset({"logged-in", "authenticated", "registered"})
_ADMIN_ROLE: Final = "admin"
_USER_ROLE: Final = "user"


@dataclass(slots=True)
class Access:
    mentioned: bool = False
    refused: bool = False  # "no auth needed"
    roles: list[str] = field(default_factory=lambda: [_ADMIN_ROLE])
    default_role: str | None = None
    admin_only: bool = False
    # (entity or None for every entity, operation, principals, phrase)
    permissions: list[tuple[str | None, str, list[str], int]] = field(default_factory=list)
    owned: list[tuple[str | None, int]] = field(default_factory=list)
    used: set[int] = field(default_factory=set)

    @property
    def enabled(self) -> bool:
        restricted = any(p != ["public"] for _, _, p, _ in self.permissions)
        return not self.refused and (
            self.mentioned or len(self.roles) > 1 or restricted or bool(self.owned)
        )


def read_access(
    phrases: list[tuple[int, Tokens]], catalog: Catalog, referents: Mapping[int, str]
) -> Access:
    """``referents``: the entity a pronoun stands for, by its offset ("managers approve them")."""
    access = Access()
    account_entity = catalog.match(("account",)) is not None
    for source, tokens in phrases:
        lows = [t.low for t in tokens]
        _keywords(access, lows, source, accounts=not account_entity and _has_account(tokens))
        _roles(access, tokens, lows, catalog, source)
        _permissions(access, tokens, catalog, source, referents)
        _ownership(access, tokens, lows, catalog, source)
        _registration(access, lows, source)
    return access


def _keywords(access: Access, lows: list[str], source: int, *, accounts: bool) -> None:
    pairs = set(pairwise(lows))
    if not (accounts or _AUTH_WORDS.intersection(lows) or pairs & _AUTH_PAIRS):
        return
    access.used.add(source)
    if any(
        low in _NEGATABLE and _NEGATIONS.intersection(lows[max(0, i - 3) : i + 4])
        for i, low in enumerate(lows)
    ):
        access.refused = True
    else:
        access.mentioned = True


def _has_account(tokens: Tokens) -> bool:
    """ "Members have an account", "staff need accounts": an account of one's own, which is
    signing up. "An account number" is a field's name, not an account."""
    return any(
        t.low in ACCOUNT_WORDS
        and (i + 1 == len(tokens) or word_class(tokens, i + 1) not in ("noun", "adj"))
        for i, t in enumerate(tokens)
    )


def _roles(access: Access, tokens: Tokens, lows: list[str], catalog: Catalog, source: int) -> None:
    """``roles: admin, editor``, ``an editor role``, ``the default role is viewer``."""
    for index, low in enumerate(lows):
        if low not in ("role", "roles"):
            continue
        if low == "role" and index and word_class(tokens, index - 1) == "noun":
            names = [lows[index - 1]]
        else:
            names = [
                lows[i] for i in range(index + 1, len(lows)) if word_class(tokens, i) == "noun"
            ]
        roles = [_add_role(access, name, catalog, source) for name in names]
        if index and lows[index - 1] == "default" and roles and roles[0]:
            access.default_role = roles[0]


def _add_role(access: Access, word: str, catalog: Catalog, source: int) -> str | None:
    role = _role_name(word)
    if role is None or catalog.match((word,)) or role in ("public", "authenticated", "owner"):
        return None
    if role not in access.roles:
        access.roles.append(role)
    access.used.add(source)
    return role


def _role_name(word: str) -> str | None:
    """A role from the noun naming it; "log" and "sign" (of "log in") are never someone."""
    if word in ADMIN_NOUNS:
        return _ADMIN_ROLE
    if verb_base(word) in LOGIN_VERBS:
        return None
    return to_snake(singularize(word)) if word.isascii() else None


def _permissions(
    access: Access, tokens: Tokens, catalog: Catalog, source: int, referents: Mapping[int, str]
) -> None:
    """ "Only admins can delete products", "posts can only be edited by editors", "managers
    approve timesheets", "managers approve them"."""
    lows = [t.low for t in tokens]
    for index, token in enumerate(tokens):
        plain = _rules(tokens, index)
        if token.low not in _ABILITY and not plain:
            continue
        start = _clause_start(tokens, index)
        ops, after = _operations(tokens, index if plain else index + 1)
        if not ops:
            continue
        if after < len(tokens) and tokens[after].low == "by":
            targets = catalog.mentions(tokens, start, index)
            words = _principals(tokens, after + 1, len(tokens))
        else:
            targets = catalog.mentions(tokens, after, len(tokens)) or _referred(
                tokens, after, referents
            )
            words = _principals(tokens, start, index)
        if plain and not targets:
            continue  # "prices change daily": a plain verb says who may only of rows it names
        if _their_own(lows, after):
            words = ["owner"]  # "customers can only see their own orders": the owner, no role
        found = [_principal(access, w, catalog, source) for w in words]
        named = [p for p in found if p]
        if not named:
            continue
        access.used.add(source)
        everyone: list[str | None] = [None]
        for entity in targets or everyone:
            for operation in ops:
                access.permissions.append((entity, operation, named, source))


def _rules(tokens: Tokens, index: int) -> bool:
    """ "Managers approve timesheets", "moderators remove comments": people who change or remove
    rows say, with no "can", who may. Making and reading ("authors write books") tell what the
    rows are, and a singular before the verb ("status updates") is a compound noun."""
    low = tokens[index].low
    if not index or low not in _RULING or word_class(tokens, index) != "verb":
        return False
    before = tokens[index - 1].low
    return word_class(tokens, index - 1) == "noun" and singularize(before) != before


def _referred(tokens: Tokens, start: int, referents: Mapping[int, str]) -> list[str]:
    """The entity the first pronoun object from ``start`` stands for ("approve and reject
    them"), where it is known."""
    entity = next((referents[t.start] for t in tokens[start:] if t.start in referents), None)
    return [entity] if entity is not None else []


def _clause_start(tokens: Tokens, index: int) -> int:
    start = index
    while start > 0 and tokens[start - 1].low not in (",", ";", ":", "but", "while", "."):
        start -= 1
    return start


def _operations(tokens: Tokens, index: int) -> tuple[list[str], int]:
    """The operations a permission names and where its object starts. "read posts": "posts"
    is the object, though "post" is an operation too, so a word read as a noun ends the list."""
    ops: list[str] = []
    while index < len(tokens):
        low = tokens[index].low
        base = verb_base(low) or low
        if base in _OPS and word_class(tokens, index) != "noun":
            ops.extend(op for op in _OPS[base] if op not in ops)
        elif not (low in ("only", "also", "be", "able", "to", "allowed", "and", "or", ",") or
                  word_class(tokens, index) == "adv"):  # fmt: skip
            break
        index += 1
    return ops, index


def _principals(tokens: Tokens, start: int, end: int) -> list[str]:
    """Who the sentence gives a permission to. A noun after a preposition is where they are or
    what they belong to ("staff log into the portal", "staff at the front desk"), not who."""
    words: list[str] = []
    index = start
    while index < end:
        found = noun_at(tokens, index, end)
        if found is None:
            low = tokens[index].low
            if low in PUBLIC_NOUNS or low in ("logged-in", "authenticated"):
                words.append(low)
            index += 1
            continue
        placed = index > start and word_class(tokens, index - 1) == "prep"
        noun, index = found
        if not placed:
            words.append(" ".join(noun.words))
    return words


def _principal(access: Access, words: str, catalog: Catalog, source: int) -> str | None:
    head = words.rsplit(maxsplit=1)[-1]
    if head in PUBLIC_NOUNS:
        return "public"
    if head in ADMIN_NOUNS:
        return _ADMIN_ROLE
    if head in OWNER_NOUNS:
        return "owner"
    if head in AUTHENTICATED_NOUNS or {"logged-in", "authenticated", "registered"} & set(
        words.split()
    ):
        return "authenticated"
    if catalog.match(tuple(words.split())) or head in META_NOUNS or head in PROJECT_HEADS:
        return None  # "I want a backend where users can ...": the backend is what is built
    return _add_role(access, head, catalog, source)


def _their_own(lows: list[str], index: int) -> bool:
    """Whether the words at ``index`` are rows of the one who acts: "their own tasks", or, in a
    sentence about accounts, "their tasks". Who owns a row is the owner, not a role."""
    if index >= len(lows) or lows[index] not in POSSESSIVES:
        return False
    return (index + 1 < len(lows) and lows[index + 1] == "own") or (
        lows[index] == "their" and _about_accounts(lows)
    )


def _about_accounts(lows: list[str]) -> bool:
    return any(low in ("user", "users", "account", "accounts") for low in lows)


def _ownership(
    access: Access, tokens: Tokens, lows: list[str], catalog: Catalog, source: int
) -> None:
    """ "Users manage their own tasks", "each user sees only their notes"."""
    own = [i for i, low in enumerate(lows) if low == "own" and i and lows[i - 1] in POSSESSIVES]
    theirs = [i for i, low in enumerate(lows) if low == "their"]
    starts = own or (theirs if _about_accounts(lows) else [])
    if not starts:
        return
    entities = catalog.mentions(tokens, starts[0] + 1) or catalog.mentions(tokens)
    if not entities and not own:
        return
    access.used.add(source)
    everyone: list[str | None] = [None]
    for entity in entities or everyone:
        access.owned.append((entity, source))


def _registration(access: Access, lows: list[str], source: int) -> None:
    text = set(lows)
    invited = bool(text & _INVITE)
    closed = "registration" in text and bool(text & _CLOSED)
    admins_create = (
        bool(text & ADMIN_NOUNS)
        and "create" in text
        and bool(text & {"accounts", "users", "account"})
        and "only" in text
    )
    if invited or closed or admins_create:
        access.admin_only = True
        access.mentioned = True
        access.used.add(source)
