"""The second reading: with every entity known, items become fields or relations.

An item that names an entity is a relation ("Loan(book, member)"); a plural one is the other
side's foreign key ("authors have many posts" puts ``author`` on Post) unless the target is a
label that many things share ("posts have many tags" is many-to-many). A reference to the
accounts when accounts are not an entity means ownership ("each expense belongs to a user").
What a verb makes may be about another entity ("comments on articles": Comment → Article), and
borrowing, renting, booking or reserving is a row of its own joining both sides ("members borrow
books": Loan → Member, Loan → Book). Whoever a booked row is with is one per row ("patients book
appointments with doctors": Appointment → Doctor).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from deeprun.logic.naming import singularize, to_snake
from deeprun.logic.offline_planner.draft import Blueprint, RelationDraft
from deeprun.logic.offline_planner.entities import Catalog, Reading
from deeprun.logic.offline_planner.fields import build_field, field_name, one_per_row
from deeprun.logic.offline_planner.items import LINK, PARTY, Item
from deeprun.logic.offline_planner.lexicon import (
    ACCOUNT_NOUNS,
    ACCOUNT_WORDS,
    FAVOURITE_WORDS,
    OWNER_NOUNS,
    POSSESSIVES,
)
from deeprun.logic.offline_planner.nouns import Noun

# Targets that many rows share, so "has many" means many-to-many.
_LABELS: Final = frozenset(
    "tag label category genre topic keyword skill hashtag interest amenity specialty "
    "language feature".split()
)
_CREATING_VERBS: Final = frozenset(
    "create write post publish submit upload add make own log record book place".split()
)
_OWNER_WORDS: Final = ACCOUNT_NOUNS | OWNER_NOUNS | frozenset({"creator", "created_by"})


@dataclass(frozen=True, slots=True)
class Reader:
    catalog: Catalog
    blueprint: Blueprint
    accounts_are_entity: bool  # False: a reference to users means the row is owned

    def read(self, reading: Reading) -> None:
        source = reading.clause.source
        subject = self._match(reading.subject)
        if reading.mode == "fields" and subject and reading.subject is not None:
            self.blueprint.entity(subject, source)
            for item in reading.items:
                self.item(subject, item, source, each=reading.subject.plural)
        elif reading.mode in ("entities", "list"):
            for item in reading.items:
                self._listed(item, source)
        elif reading.mode == "link" and subject and reading.target is not None:
            self._link(reading, subject, reading.target)
        elif reading.mode == "act" and reading.target is not None and reading.row is not None:
            self._associate(reading, subject, reading.target, reading.row)
            self._fields_of(reading.target, reading.items, source)
        elif reading.mode == "act" and reading.target is not None:
            if subject:
                self._act(reading, subject, reading.target)
            else:
                self._owned_by_account(reading)
            self._fields_of(reading.target, reading.items, source)
            self._about(reading, reading.target)

    def item(self, entity: str, item: Item, source: int, *, each: bool = False) -> None:
        """``each``: the entity was named in the plural ("books have titles"), so a plural field
        word is one value per row."""
        target = self._target_of(item)
        if target == "":
            if item.words[-1] in _OWNER_WORDS:
                self.blueprint.mark(entity, "owned", source)
            # else "each customer has an account": that is signing up, nothing to store
        elif target:
            self._item_relation(entity, item, target, source)
            self._fields_of(item.noun, item.fields or (), source)
        elif LINK not in item.notes.flags:
            single = each and item.count == "" and item.article == ""
            data = build_field(one_per_row(item.words) if single else item.words, item.notes)
            if data is not None:
                self.blueprint.add_field(entity, data, source, (item.start, item.end))

    def _fields_of(self, noun: Noun, items: tuple[Item, ...], source: int) -> None:
        """ "line items with a quantity", "customers place orders with a total": the fields
        said right after an entity named inside another clause are that entity's."""
        entity = self.catalog.match(noun.words) if items else None
        if entity is None:
            return
        for child in items:
            self.item(entity, child, source, each=noun.plural)

    def _target_of(self, item: Item) -> str | None:
        """The entity an item points at; "" for the accounts when they are no entity."""
        if item.notes.refers:
            return self._entity_or_account(item.notes.refers)
        if item.notes.type_word or item.notes.values:
            return None
        words = item.words[:-1] if item.words[-1] == "id" and len(item.words) > 1 else item.words
        return self._entity_or_account(words)

    def _entity_or_account(self, words: tuple[str, ...]) -> str | None:
        """The entity ``words`` name; "" for the accounts ("a user", "an account") when they are
        no entity."""
        found = self.catalog.match(words)
        if found is None and words[-1] in ACCOUNT_NOUNS and not self.accounts_are_entity:
            return ""
        return "" if found is None and words[-1] in ACCOUNT_WORDS else found

    def _item_relation(self, entity: str, item: Item, target: str, source: int) -> None:
        words = item.words[:-1] if item.words[-1] == "id" and len(item.words) > 1 else item.words
        optional = "optional" in item.notes.flags
        if PARTY in item.notes.flags:  # "appointments with doctors": each with one doctor
            words = (*words[:-1], singularize(words[-1]))
        elif item.count == "many" or item.noun.plural:
            if singularize(words[-1]) in _LABELS or words[0] in FAVOURITE_WORDS:
                self._relate(entity, field_name(words), "many_to_many", target, source)
            else:
                self._relate(
                    target, _snake(entity), "many_to_one", entity, source, nullable=optional
                )
            return
        kind = "one_to_one" if item.count == "one" else "many_to_one"
        self._relate(entity, field_name(words), kind, target, source, nullable=optional)

    def _listed(self, item: Item, source: int) -> None:
        entity = self.catalog.match(item.words)
        if entity is None:
            return
        self.blueprint.entity(entity, source)
        for child in item.fields or ():
            self.item(entity, child, source)
        target = self.catalog.match(item.notes.refers) if item.notes.refers else None
        if target:
            self._relate(entity, _snake(target), "many_to_one", target, source)

    def _link(self, reading: Reading, subject: str, target_noun: Noun) -> None:
        source = reading.clause.source
        target = self._entity_or_account(target_noun.words)
        if target == "":
            self.blueprint.mark(subject, "owned", source)
        elif target and (reading.clause.kind == "share" or target_noun.count == "many"):
            name = field_name(target_noun.words)
            self._relate(subject, name, "many_to_many", target, source)
        elif target:
            name = field_name((*target_noun.words[-2:-1], singularize(target_noun.head)))
            self._relate(
                subject, name, "many_to_one", target, source, nullable=reading.clause.optional
            )

    def _act(self, reading: Reading, subject: str, target_noun: Noun) -> None:
        """ "Customers place orders" keys the order; "each screening shows one movie" the
        screening."""
        target = self.catalog.match(target_noun.words)
        if not target or target == subject:
            return
        source = reading.clause.source
        if _names_one(target_noun):
            self._relate(subject, field_name(target_noun.words), "many_to_one", target, source)
        else:
            self._relate(target, _snake(subject), "many_to_one", subject, source)

    def _associate(
        self, reading: Reading, subject: str | None, target_noun: Noun, row: Noun
    ) -> None:
        """ "Members borrow books": each loan is of one book, to one member; when the one who
        borrows is no entity (an account, "people"), the loan is theirs."""
        source = reading.clause.source
        target, joined = self.catalog.match(target_noun.words), self.catalog.match(row.words)
        if target is None or joined is None or joined == target:
            return
        name = field_name((*target_noun.words[:-1], singularize(target_noun.head)))
        self._relate(joined, name, "many_to_one", target, source)
        if subject and subject != joined:
            self._relate(joined, _snake(subject), "many_to_one", subject, source)
        elif not subject:
            self.blueprint.mark(joined, "owned", source)

    def _about(self, reading: Reading, target_noun: Noun) -> None:
        """ "Users post comments on articles": each comment is on one article."""
        target = self.catalog.match(target_noun.words)
        about = self.catalog.match(reading.about.words) if reading.about is not None else None
        if target is None or about is None or reading.about is None or about == target:
            return
        name = field_name((*reading.about.words[:-1], singularize(reading.about.head)))
        self._relate(target, name, "many_to_one", about, reading.clause.source)

    def _owned_by_account(self, reading: Reading) -> None:
        """ "Users create posts", "each user sees their own notes", "authors log in and write
        posts": with accounts only, the posts and the notes are owned."""
        actor, target_noun = reading.clause.subject, reading.target
        if actor is None or target_noun is None:
            return
        account = actor.head in ACCOUNT_NOUNS or reading.clause.account
        if not account and not reading.made:
            return
        target = self.catalog.match(target_noun.words)
        theirs = reading.clause.verb in _CREATING_VERBS or target_noun.article in POSSESSIVES
        if target and reading.made and self._match(actor) is None:
            self.blueprint.mark(target, "owned", reading.clause.source)  # the commenter's
        elif target and not self.accounts_are_entity and theirs:
            self.blueprint.mark(target, "owned", reading.clause.source)

    def _match(self, noun: Noun | None) -> str | None:
        return self.catalog.match(noun.words) if noun is not None else None

    def _relate(
        self, source: str, name: str | None, kind: str, target: str, origin: int, *,
        nullable: bool = False,
    ) -> None:  # fmt: skip
        if name:
            self.blueprint.relate(RelationDraft(source, name, kind, target, nullable, origin))


def _names_one(noun: Noun) -> bool:
    return not noun.plural and noun.article == "one"


def _snake(entity: str) -> str:
    return to_snake(entity) or entity.lower()
