"""Which nouns are entities, and how a later mention finds its entity.

Clauses are read twice. The first reading (here) decides, for every clause, whether its subject
is an entity or the speaker ("we have members", "a blog with posts": the list names entities),
and collects every noun that names an entity. The second reading (``interpret``) turns items
into fields and relations once every entity is known, so "Loan(book, member)" can refer to
entities declared later in the prompt.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Final

from deeprun.logic.naming import entity_name, singularize
from deeprun.logic.offline_planner.clauses import Clause
from deeprun.logic.offline_planner.items import (
    PARTY,
    Item,
    chained_nouns,
    declared_fields,
    entity_items,
    field_items,
    is_bare,
    names_entity,
    split_list,
)
from deeprun.logic.offline_planner.lexicon import (
    ABOUT_PREPOSITIONS,
    ACCOUNT_NOUNS,
    ADJECTIVES,
    ADMIN_NOUNS,
    ASSOCIATION_VERBS,
    AUTHENTICATED_NOUNS,
    BOOKED_ROWS,
    DESCRIBABLE_META,
    FAVOURITE_WORDS,
    MAKING_VERBS,
    MEETING_VERBS,
    META_NOUNS,
    NOBODY_IN_PARTICULAR,
    OWNER_NOUNS,
    PEOPLE_AT_LARGE,
    PROJECT_HEADS,
    VERB_ROWS,
    WANTING_VERBS,
)
from deeprun.logic.offline_planner.nouns import Noun, Tokens, noun_at, word_class
from deeprun.logic.review.reserved import RESERVED_MODULES

_NOT_ENTITIES: Final = (
    ADMIN_NOUNS | NOBODY_IN_PARTICULAR | OWNER_NOUNS | (AUTHENTICATED_NOUNS - {"user", "users"})
)
_MAX_NAME_WORDS: Final = 2
_PERMISSION_VERBS: Final = frozenset(
    "create add read view see list browse access update edit modify change delete remove "
    "manage moderate publish approve administer".split()
)
_ONE_OF_MANY: Final = frozenset({"a", "an", "each", "every", "one", "any"})
MAX_ENTITIES: Final = 60


def entity_of(words: tuple[str, ...], allowed: frozenset[str] = frozenset()) -> str | None:
    """``("line", "items")`` → ``LineItem``; None for words that cannot name an entity.
    ``allowed``: principal nouns the prompt describes as things ("owners have a phone")."""
    content = [w for w in words if w not in ADJECTIVES and w != "of"]
    content = [w for w in content[:-1] if w not in FAVOURITE_WORDS] + content[-1:]
    if not content or not all(w.isascii() for w in content):
        return None
    head = content[-1]
    meta = (head in META_NOUNS or head in PROJECT_HEADS) and head not in DESCRIBABLE_META
    if meta or (head in _NOT_ENTITIES and head not in allowed):
        return None
    name = entity_name("_".join(content[-_MAX_NAME_WORDS:]))
    if name is None or name.lower() in RESERVED_MODULES:
        return None
    return name


@dataclass(frozen=True, slots=True)
class Catalog:
    """The entities, in order of first mention."""

    names: tuple[str, ...]
    allowed: frozenset[str] = frozenset()  # principal nouns that are entities here ("owners")

    def match(self, words: tuple[str, ...]) -> str | None:
        """The entity ``words`` mention: the whole phrase, its head, or one entity's last word."""
        for candidate in (words, words[-1:]):
            name = entity_of(candidate, self.allowed)
            if name in self.names:
                return name
        head = entity_of(words[-1:], self.allowed)
        if head is None:
            return None
        ending = [n for n in self.names if n.endswith(head) and n != head]
        return ending[0] if len(ending) == 1 else None

    def mentions(self, tokens: Tokens, start: int = 0, end: int | None = None) -> list[str]:
        """Entities named between ``start`` and ``end``, in order, each once."""
        end = len(tokens) if end is None else end
        found: list[str] = []
        index = start
        while index < end:
            noun = noun_at(tokens, index, end, compounds=True)
            name = self._mentioned(noun[0].words) if noun else None
            if name and name not in found:
                found.append(name)
            index = noun[1] if noun else index + 1
        return found

    def _mentioned(self, words: tuple[str, ...]) -> str | None:
        """ "patient records" mentions Patient when no entity is named by the whole."""
        for candidate in (words, *((w,) for w in words[:-1])):
            name = self.match(candidate)
            if name:
                return name
        return None


@dataclass(frozen=True, slots=True)
class Reading:
    """A clause after the first reading. ``mode``: ``fields`` (``subject`` has these items),
    ``entities`` (the items are entities), ``link`` (subject and ``target`` are related),
    ``domain`` (the nouns name the project)."""

    clause: Clause
    mode: str
    subject: Noun | None
    items: tuple[Item, ...] = ()
    target: Noun | None = None
    domains: tuple[Noun, ...] = ()  # nouns that may name the project, in prompt order
    about: Noun | None = None  # "(comments) on articles": what the made object is about
    made: bool = False  # "comment on posts": the target is the verb's own row
    row: Noun | None = None  # "members borrow books": the loans joining subject and target


def first_reading(clauses: list[Clause]) -> tuple[Catalog, tuple[Reading, ...]]:
    readings = _readings(clauses, frozenset())
    stored = _stored_meta(readings) | _described_owners(clauses)
    if stored:  # "... and projects. The project has a budget": read again, knowing
        readings = _readings(clauses, stored)
    allowed = stored & OWNER_NOUNS
    shaped = {i for i, r in enumerate(readings) if _domain_shaped(r)}
    others = _catalog(
        (
            n
            for i, r in enumerate(readings)
            for n in _entity_nouns(r)
            if not (i in shaped and n is r.subject)
        ),
        allowed,
    )
    settled = tuple(
        _as_domain(r) if i in shaped and not others.match(_subject(r).words) else r
        for i, r in enumerate(readings)
    )
    return _catalog((n for r in settled for n in _entity_nouns(r)), allowed), settled


def _readings(clauses: list[Clause], stored: frozenset[str]) -> list[Reading]:
    return [reading for clause in clauses for reading in _read(clause, stored)]


def _stored_meta(readings: list[Reading]) -> frozenset[str]:
    """The describable meta nouns some reading made an entity of ("projects", "each project")."""
    catalog = _catalog(n for r in readings for n in _entity_nouns(r))
    return frozenset(w for w in DESCRIBABLE_META if catalog.match((w,)))


def _described_owners(clauses: list[Clause]) -> frozenset[str]:
    """ "Pet owners have a name and a phone": owners given fields of their own are people the
    backend stores, so "each pet belongs to an owner" points at them. Otherwise an owner is the
    account that owns a row ("users see their own notes", "only owners can delete tasks")."""
    described = any(
        clause.kind in ("have", "declare")
        and clause.subject is not None
        and clause.subject.head in OWNER_NOUNS
        and any(
            i.count != "many" and not names_entity(i)
            for i in field_items(clause.tokens, clause.start, clause.end)
        )
        for clause in clauses
    )
    return OWNER_NOUNS if described else frozenset()


def _catalog(nouns: Iterable[Noun], allowed: frozenset[str] = frozenset()) -> Catalog:
    names: dict[str, None] = {}
    for noun in nouns:
        name = entity_of(noun.words, allowed)
        if name is None or len(names) >= MAX_ENTITIES:
            continue
        if len(noun.words) == 1 and Catalog(tuple(names), allowed).match(noun.words):
            continue  # "parking sessions" first, then "each session": one entity
        names.setdefault(name)
    return Catalog(tuple(names), allowed)


def _subject(reading: Reading) -> Noun:
    if reading.subject is None:
        raise ValueError("a domain-shaped reading has a subject")
    return reading.subject


def _read(clause: Clause, stored: frozenset[str]) -> tuple[Reading, ...]:
    if clause.kind in ("belong", "share"):
        return tuple(
            Reading(clause, "link", clause.subject, (), target) for target in _targets(clause)
        )
    return (_read_one(clause, stored),)


def _targets(clause: Clause) -> list[Noun]:
    """ "belongs to a patient and to a doctor", "is one crop in one plot": every noun of the
    region's list, and of the place phrases chained after each."""
    return [
        noun
        for segment in split_list(clause.tokens, clause.start, clause.end)
        for noun in chained_nouns(clause.tokens, segment.start, segment.end)
    ]


def _read_one(clause: Clause, stored: frozenset[str]) -> Reading:
    kind, subject = clause.kind, clause.subject
    region = (clause.tokens, clause.start, clause.end)
    if kind == "domain":
        return Reading(clause, "domain", subject, domains=(subject,) if subject else ())
    if kind in ("entities", "list"):
        return _listing(clause, kind, None)
    if kind == "login":
        return Reading(clause, "login", subject)
    if kind == "declare":
        return Reading(clause, "fields", subject, field_items(*region))
    if _needs_the_project(clause):
        return _listing(clause, "entities", subject)
    meta = subject is not None and subject.is_meta and not _describes(clause, subject, stored)
    speaker = subject is None or meta or (subject.head in _NOT_ENTITIES - stored)
    speaker = speaker or (clause.optional and clause.verb in _PERMISSION_VERBS)
    associated = _association(clause) if subject is not None and not meta else None
    if associated is not None:
        return associated
    speaker = speaker or _anyone_may(clause)
    users = subject is not None and subject.head in ACCOUNT_NOUNS
    accounts = kind == "manage" and (clause.account or users)
    if speaker or (accounts and not _favourites(clause)):
        return _listing(clause, "entities", subject)
    if kind in ("act", "create"):
        target = noun_at(clause.tokens, _past_adverbs(*region), clause.end, compounds=True)
        if target is None:
            return _verb_row(clause) or _without_object(clause)
        fields, _, _ = declared_fields(clause.tokens, target[0], target[1], clause.end)
        about = _about(clause, target[1]) if fields is None else None
        if about is not None:  # "reviews of books with a rating": the rating is the review's
            fields, _, _ = declared_fields(clause.tokens, about[0], about[1], clause.end)
        place = about[0] if about is not None else None
        items = _with_parties(clause, target, fields or ())
        return Reading(clause, "act", subject, items, target[0], about=place)
    return Reading(clause, "fields", subject, field_items(*region))


def _without_object(clause: Clause) -> Reading:
    """ "(Staff log in) and search for products": what an account does to no object of its own
    is the speaker's to say, so its words list the entities; anyone else's verb names none."""
    if clause.account:
        return _listing(clause, "entities", None)
    return Reading(clause, "act", clause.subject)


def _association(clause: Clause) -> Reading | None:
    """ "Members borrow books", "guests book rooms": a loan, a booking, joining both. The
    subject may be no entity ("people can rent bikes"): then the row is the account's."""
    row = ASSOCIATION_VERBS.get(clause.verb)
    if row is None or clause.kind not in ("act", "manage"):
        return None
    found = noun_at(clause.tokens, _past_adverbs(clause.tokens, clause.start, clause.end),
                    clause.end, compounds=True)  # fmt: skip
    if found is None or singularize(found[0].head) in BOOKED_ROWS:
        return None
    target, after = found
    fields, _, _ = declared_fields(clause.tokens, target, after, clause.end)
    verb = clause.tokens[clause.start - 1]
    noun = Noun((row,), "many", "", verb.start, verb.end)
    return Reading(clause, "act", clause.subject, fields or (), target, row=noun)


def _with_parties(
    clause: Clause, target: tuple[Noun, int], items: tuple[Item, ...]
) -> tuple[Item, ...]:
    """ "Patients book appointments with doctors": who a booked row is with is an entity, one
    of them per row, where "orders with line items" would hold many. "With a note" stays a field,
    as it would after "have"."""
    noun, after = target
    booked = clause.verb in MEETING_VERBS and singularize(noun.head) in BOOKED_ROWS
    if not booked or after >= clause.end or clause.tokens[after].low != "with":
        return items
    return tuple(_as_party(i) if names_entity(i) else i for i in items)


def _as_party(item: Item) -> Item:
    return replace(item, notes=replace(item.notes, flags=item.notes.flags | {PARTY}))


def _needs_the_project(clause: Clause) -> bool:
    """ "Our school needs a backend: teachers, classes", "a rental company needs an API": what
    needs the thing being built is whoever asks for it, and what follows lists the entities."""
    if clause.kind != "have" or clause.verb not in WANTING_VERBS or clause.subject is None:
        return False
    found = noun_at(clause.tokens, clause.start, clause.end)
    return found is not None and found[0].is_meta


def _favourites(clause: Clause) -> bool:
    """ "Users save favourite recipes": what the users keep is theirs to link, so they hold it
    as a field list would, unlike "users manage recipes", where the users are the speaker."""
    return any(
        clause.tokens[i].low in FAVOURITE_WORDS and word_class(clause.tokens, i + 1) == "noun"
        for i in range(clause.start, clause.end - 1)
    )


def _about(clause: Clause, index: int) -> tuple[Noun, int] | None:
    """ "(users post comments) on articles", "(leave reviews) for products": what the object of a
    making verb is about. "Add products to carts" moves things, it makes nothing, so only the
    making verbs count."""
    if clause.verb not in MAKING_VERBS or index + 1 >= clause.end:
        return None
    if clause.tokens[index].low not in ABOUT_PREPOSITIONS:
        return None
    return noun_at(clause.tokens, index + 1, clause.end, compounds=True)


def _verb_row(clause: Clause) -> Reading | None:
    """ "Readers can comment on posts": the comments are rows of their own, about the posts."""
    row = VERB_ROWS.get(clause.verb)
    tokens, index = clause.tokens, clause.start
    if row is None or index + 1 >= clause.end or tokens[index].low not in ABOUT_PREPOSITIONS:
        return None
    found = noun_at(tokens, index + 1, clause.end, compounds=True)
    if found is None:
        return None
    verb = tokens[index - 1]
    target = Noun((row,), "many", "", verb.start, verb.end)
    fields, _, _ = declared_fields(tokens, found[0], found[1], clause.end)  # "with a cover letter"
    return Reading(clause, "act", clause.subject, fields or (), target, about=found[0], made=True)


def _anyone_may(clause: Clause) -> bool:
    """ "People can rent bikes", "visitors may browse events": who may do something, not a
    thing stored. "People have a name" (no modal) still describes them."""
    return clause.optional and clause.subject is not None and clause.subject.head in PEOPLE_AT_LARGE


def _past_adverbs(tokens: Tokens, start: int, end: int) -> int:
    """ "sees only their own notes": the object of a verb starts after its adverbs."""
    while start < end and word_class(tokens, start) == "adv":
        start += 1
    return start


def _describes(clause: Clause, subject: Noun, stored: frozenset[str]) -> bool:
    """ "each project has a budget": a describable meta noun is a stored thing where a sentence
    gives one of them fields, or wherever the prompt has made it an entity already; "my project
    needs a login" and "build a project" are about the project."""
    if subject.head not in DESCRIBABLE_META:
        return False
    return subject.head in stored or (clause.kind == "have" and subject.article in _ONE_OF_MANY)


def _domain_shaped(reading: Reading) -> bool:
    """ "A blog with posts and authors": one thing holding only plural nouns may be the
    project rather than an entity, unless some other clause makes it an entity."""
    subject = reading.subject
    return (
        reading.mode == "fields"
        and reading.clause.kind != "declare"
        and subject is not None
        and not subject.plural
        and subject.article not in ("each", "every")
        and _all_entity_names(reading.items)
    )


def _as_domain(reading: Reading) -> Reading:
    return _listing(reading.clause, "entities", reading.subject)


def _listing(clause: Clause, mode: str, subject: Noun | None) -> Reading:
    """A list of entities. An item that only holds plural nouns ("a library: books, members")
    is the project, and what it holds are the entities. The object of the project's purpose
    verb follows the project as closely as "an app for my bookshop" does: "(an app) to organise
    my book collection" names the project too. Whoever logged in ("staff log in and ...") is
    someone using the project, never its name."""
    items: list[Item] = []
    domains = [subject] if subject is not None and not (subject.plural or clause.account) else []
    after_meta = clause.purpose
    for item in entity_items(clause.tokens, clause.start, clause.end):
        if item.noun.is_meta or (after_meta and not item.noun.plural and item.fields is None):
            domains.append(item.noun)
            after_meta = item.noun.is_meta
            continue
        after_meta = False
        if _holds_only_entities(item):
            domains.append(item.noun)
            items.extend(item.fields or ())
        else:
            items.append(item)
    return Reading(clause, mode, subject, tuple(items), domains=tuple(domains))


def _holds_only_entities(item: Item) -> bool:
    fields = item.fields or ()
    return not item.noun.plural and _all_entity_names(fields)


def _all_entity_names(items: tuple[Item, ...]) -> bool:
    """Only bare plural nouns (maybe with fields of their own: "posts with a title"), at least
    one of them no field word."""
    return (
        bool(items)
        and all(i.noun.plural and is_bare(i) for i in items)
        and any(names_entity(i) for i in items)
    )


def _entity_nouns(reading: Reading) -> list[Noun]:
    """The nouns a reading makes entities of."""
    mode, subject = reading.mode, reading.subject
    if mode == "fields" and subject is not None:
        many = [
            i.noun
            for i in reading.items
            if i.count == "many" or names_entity(i) or i.fields is not None
        ]
        return [subject, *many]
    if mode in ("entities", "list"):
        strong = mode == "entities" and reading.clause.kind == "entities"
        bare = mode == "entities" or _only_nouns(reading.clause)
        listed = [
            i
            for i in reading.items
            if not i.noun.is_meta and (strong or i.fields is not None or (bare and i.noun.plural))
        ]
        return [noun for i in listed for noun in (i.noun, *_held(i))]
    if mode == "link" and subject is not None and reading.target is not None:
        return [*([] if reading.clause.account else [subject]), reading.target]
    if mode == "act" and reading.target is not None and reading.row is not None:
        stored = (
            subject is not None
            and subject.head not in _NOT_ENTITIES | PEOPLE_AT_LARGE
            and not reading.clause.account
        )
        return [*([subject] if subject is not None and stored else []), reading.target, reading.row]
    if mode == "act" and reading.target is not None:
        actors = _actors(reading, subject, reading.target) if subject is not None else []
        actors += [i.noun for i in reading.items if PARTY in i.notes.flags]
        about = reading.about
        if about is not None and names_entity(Item(about.words, "", "", about.start, about.end)):
            return [*actors, *([reading.target] if reading.made else []), about]
        return actors
    return []


def _held(item: Item) -> list[Noun]:
    """Entities a listed entity names as a sentence of its own would: "tutors with students",
    "stock levels for products" (bare plurals); "orders for a coffee shop" names none."""
    held = [i for i in item.fields or () if i.count == "many" or names_entity(i)]
    if item.notes.refers:
        target = Item(item.notes.refers, "", "", item.start, item.end)
        held += [target] if names_entity(target) else []
    return [i.noun for i in held]


def _only_nouns(clause: Clause) -> bool:
    """ "Posts, authors and comments." lists entities; "Items can be archived" does not."""
    return all(
        word_class(clause.tokens, i) in ("noun", "adj", "det", "conj", "punct")
        for i in range(clause.start, clause.end)
    )


def _actors(reading: Reading, subject: Noun, target: Noun) -> list[Noun]:
    """ "Customers place orders" names two entities; "editors can publish posts" names one;
    "users post reviews with a rating" gives the reviews fields, so they are one; "authors log
    in and write posts" names the posts, the authors being accounts unless described."""
    object_ok = (
        target.plural or target.article != "" or target.count == "many" or bool(reading.items)
    )
    clause = reading.clause
    subject_ok = (subject.plural or subject.article != "") and not (
        clause.optional or clause.verb in _PERMISSION_VERBS or clause.account
    )
    return [n for n, ok in ((subject, subject_ok), (target, object_ok)) if ok]
