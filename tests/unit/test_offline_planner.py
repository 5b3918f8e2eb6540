"""The offline planner: English in, a reviewable spec 1.1 document out, deterministically."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from deeprun.logic.canonical_json import canonical_bytes
from deeprun.logic.compiler import plan as compile_plan
from deeprun.logic.naming import singularize
from deeprun.logic.offline_planner import OfflinePlan, plan_offline
from deeprun.logic.review import review
from deeprun.services import specs

PROMPTS = [
    (
        "A blog with posts, authors and comments. Each post has a title, body and publish "
        "date. Each post belongs to an author. A comment is on a post."
    ),
    (
        "I need an API for a library: books, members and loans. Books have a title, isbn "
        "(unique) and a published year. Members have a name, an email and an optional phone. "
        "Loan(book, member, due date, returned)."
    ),
    "Entities: Book(title, isbn), Author(name)",
    (
        "- Product: name, price, stock\n- Category: name, description\n- Products belong to a "
        "category."
    ),
    (
        "Build a task manager where users sign up and log in. Users manage their own tasks. "
        "Each task has a title, a description, a due date, a priority (low, medium, high) and "
        "a done flag. Only admins can delete tasks."
    ),
    (
        "Inventory system. Track warehouses (name, location) and stock items with sku, "
        "quantity and unit cost. SKUs are unique. Items can be archived instead of deleted."
    ),
    (
        "employees have a manager who is also an employee. each employee has exactly one "
        "badge. badges have a code and an issued_at timestamp."
    ),
    (
        "Categories can have a parent category. Products have many tags, and tags appear on "
        "many products."
    ),
    (
        "A recipe app: recipes with ingredients, steps and a cooking time in minutes; users "
        "can rate recipes (rating 1-5)."
    ),
    (
        "Hi! So I'm building a small side project for my running club and I'd love a backend "
        "for it. We have members, and we organise races. Every race has a name, a date, a "
        "distance in km and a location. Members can register for races, and we record their "
        "finish time. It should be fast and follow best practices."
    ),
    (
        "clinic api: patients, doctors, appointments. appointment has scheduled_at datetime, "
        "status one of booked, cancelled or done, and notes. appointment belongs to a patient "
        "and to a doctor."
    ),
    (
        "CRM with companies, contacts and deals. Contacts belong to companies. Deals have an "
        "amount, a stage (lead, qualified, won, lost) and a close date. Search contacts by "
        "name and email. Filter deals by stage. Sort deals by close date."
    ),
    (
        "A school system: students enroll in many courses; courses have a title, credits and a "
        "teacher. Teachers have a name and email (unique)."
    ),
    (
        "Store people with first name, last name, birthday and addresses. Each address has "
        "street, city, postal code and country."
    ),
    (
        "ORDERS with LINE ITEMS. each line item has qty, unit price and a product. PRODUCTS: "
        "name, SKU (unique), price."
    ),
    (
        "Events (title, starts at, ends at, capacity, is public) and venues (name, address, "
        "latitude, longitude). An event takes place at a venue."
    ),
    (
        "Analyses have a name and a score. Children have a name and an age. Boxes have a "
        "width, height and weight. Statuses have a label. Companies have a name."
    ),
    (
        "A movie database with movies, actors and reviews. Reviews have a rating (float) and a "
        "comment. Movies have many actors and actors appear in many movies."
    ),
    (
        "Admins and editors can manage articles; anyone can read articles. Articles have a "
        "title up to 200 characters, a slug (unique) and content. Registration is by "
        "invitation only."
    ),
    (
        "Soft delete for invoices. Invoices have a number, total, paid (boolean) and issued on "
        "date. Track when invoices are created and updated."
    ),
    "models: Ticket { title: string, severity: enum(low, high), metadata: json }",
    (
        "Fleet management backend: vehicles (plate number unique, model, year, mileage), "
        "drivers (name, license number), trips (start time, end time, distance). A trip is for "
        "a vehicle and has a driver."
    ),
    "Make a todo list API. Todos have a title and a completed boolean. No auth needed.",
    (
        "A hotel booking platform with hotels, rooms and bookings. Rooms have a number, a type "
        "(single, double, suite) and a nightly rate. Bookings reference a room and a guest; "
        "guests have a name and email."
    ),
    (
        "Users have a display name, a bio and an avatar url. Users can follow other users. "
        "Posts belong to users."
    ),
    (
        "Track expenses: amount, category, spent on date, notes. Users log in and each expense "
        "belongs to the user who created it."
    ),
    "Polls with questions and choices; each choice has a votes count.",
    (
        "Orders have many products and products appear in many orders. An order has a status: "
        "pending, shipped, delivered. Customers place orders."
    ),
    ("Library: Book(title, author, isbn); Author(name, birth date); books are written by authors."),
    (
        "Create a pet adoption service. Shelters have a name, city and phone. Pets have a "
        "name, species, breed, age, adopted (yes/no) and a shelter."
    ),
    (
        "Projects and issues. Issues have title, description, priority "
        "(low|medium|high|critical), assignee and due date. Issues belong to projects."
    ),
    ("Kanban: boards have columns, columns have cards. Cards have a title, position and color."),
    (
        "Quiz app: quizzes have many questions; questions have text, options (json) and "
        "correct answer; users take quizzes and get a score."
    ),
    (
        "Entities:\n- Warehouse: name, city\n- Shipment\n  - tracking number (unique)\n  - "
        "shipped at\n  - weight in kg\n- Shipments belong to a warehouse."
    ),
    "Product\n- name (string, required)\n- price (decimal)\n- order (integer)\n- desc",
    (
        "A gym app where members book classes. Classes have a name, a start time and a "
        "capacity. Each booking is for a class and a member."
    ),
    (
        "We need a backend for a bakery. It should store cakes with a name, price and weight, "
        "and orders with a pickup date and a customer name. Each order contains many cakes. "
        "Customers can see their own orders after they sign up. Data should be soft deleted."
    ),
    (
        "Requirements:\n- users log in with email and password\n- roles: admin, manager, "
        "staff\n- managers can create and update shifts\n- shifts have a start time, end time "
        "and a note\n- only admins can delete shifts"
    ),
    (
        "i want an api 4 my music collection. albums (title, release year, genre), artists "
        "(name, country), songs (title, duration in seconds, track number). albums belong to "
        "artists, songs belong to albums"
    ),
    (
        "Simple URL shortener: links with a target url, a short code (unique, max 10 "
        "characters) and a click count. Anyone can create links."
    ),
]


def _entities(plan: OfflinePlan) -> dict[str, dict[str, Any]]:
    return {e["name"]: e for e in plan.document["entities"]}


def _fields(plan: OfflinePlan, entity: str) -> dict[str, dict[str, Any]]:
    return {f["name"]: f for f in _entities(plan)[entity]["fields"]}


def _relations(plan: OfflinePlan) -> set[tuple[str, str, str]]:
    return {
        (e["name"], r["kind"], r["target"])
        for e in plan.document["entities"]
        for r in e.get("relations", [])
    }


def _passes_review(plan: OfflinePlan) -> None:
    outcome = review(plan.document)
    assert outcome.problems == (), [p.to_dict() for p in outcome.problems]


@pytest.mark.parametrize("prompt", PROMPTS)
def test_every_hand_written_prompt_gives_a_document_that_passes_review(prompt: str) -> None:
    plan = plan_offline(prompt)
    assert plan.document["entities"]
    _passes_review(plan)


def test_a_blog_lists_its_entities_and_each_post_belongs_to_an_author() -> None:
    plan = plan_offline(PROMPTS[0])
    assert list(_entities(plan)) == ["Post", "Author", "Comment"]
    assert plan.document["project_name"] == "blog_api"
    assert _fields(plan, "Post")["publish_date"]["type"] == "date"
    assert _fields(plan, "Post")["body"]["type"] == "text"
    assert ("Post", "many_to_one", "Author") in _relations(plan)
    assert ("Comment", "many_to_one", "Post") in _relations(plan)
    post = _entities(plan)["Post"]
    assert post["relations"][0]["back_populates"] == "posts"
    assert plan.ignored == ()


def test_a_field_list_that_names_entities_makes_relations_not_strings() -> None:
    plan = plan_offline(PROMPTS[1])
    assert plan.document["project_name"] == "library_api"
    assert set(_fields(plan, "Loan")) == {"id", "due_date", "returned"}
    assert _fields(plan, "Loan")["returned"]["type"] == "boolean"
    assert {("Loan", "many_to_one", "Book"), ("Loan", "many_to_one", "Member")} <= _relations(plan)
    assert _fields(plan, "Book")["isbn"]["unique"] is True
    assert _fields(plan, "Member")["phone"]["nullable"] is True
    assert _fields(plan, "Member")["email"]["format"] == "email"


def test_terse_declarations_and_bullets_declare_entities() -> None:
    assert list(_entities(plan_offline(PROMPTS[2]))) == ["Book", "Author"]
    plan = plan_offline(PROMPTS[3])
    assert _fields(plan, "Product")["price"]["type"] == "decimal"
    assert _fields(plan, "Product")["stock"]["type"] == "integer"
    assert ("Product", "many_to_one", "Category") in _relations(plan)


def test_nested_bullets_under_a_heading_are_the_fields_of_that_entity() -> None:
    plan = plan_offline(PROMPTS[33])
    shipment = _fields(plan, "Shipment")
    assert shipment["tracking_number"]["unique"] is True
    assert shipment["shipped_at"]["type"] == "datetime"
    assert shipment["weight"]["type"] == "float"


def test_own_tasks_and_login_turn_auth_on_and_own_the_rows() -> None:
    plan = plan_offline(PROMPTS[4])
    assert plan.document["auth"] == {"enabled": True}
    task = _entities(plan)["Task"]
    assert task["owned"] is True
    assert task["permissions"] == {"delete": ["admin"]}
    assert "User" not in _entities(plan)
    priority = _fields(plan, "Task")["priority"]
    assert priority == {
        "name": "priority",
        "type": "enum",
        "values": ["low", "medium", "high"],
        "default": "low",
    }


def test_without_accounts_auth_is_off_and_nothing_is_owned() -> None:
    plan = plan_offline(PROMPTS[0])
    assert plan.document["auth"] == {"enabled": False}
    assert not any(e.get("owned") for e in plan.document["entities"])


def test_saying_no_auth_keeps_auth_off() -> None:
    plan = plan_offline(PROMPTS[22])
    assert plan.document["auth"] == {"enabled": False}
    assert plan.document["project_name"] == "todo_list_api"


def test_roles_permissions_and_invitation_only_registration() -> None:
    plan = plan_offline(PROMPTS[18])
    auth = plan.document["auth"]
    assert auth["roles"] == ["admin", "editor", "user"]
    assert auth["registration"] == "admin_only"
    permissions = _entities(plan)["Article"]["permissions"]
    assert permissions["read"] == ["public"]
    assert permissions["delete"] == ["admin", "editor"]
    assert _fields(plan, "Article")["title"]["max_length"] == 200
    assert "Editor" not in _entities(plan)


def test_a_roles_list_declares_roles() -> None:
    plan = plan_offline(PROMPTS[37])
    assert plan.document["auth"]["roles"] == ["admin", "manager", "staff", "user"]
    assert _entities(plan)["Shift"]["permissions"]["create"] == ["manager"]


def test_a_user_with_own_fields_is_declared_and_with_auth_off_is_ordinary() -> None:
    plan = plan_offline(PROMPTS[24])
    assert set(_fields(plan, "User")) == {"id", "display_name", "bio", "avatar_url"}
    assert _fields(plan, "User")["avatar_url"]["format"] == "url"
    assert ("Post", "many_to_one", "User") in _relations(plan)


def test_belonging_to_the_user_who_created_it_is_ownership() -> None:
    plan = plan_offline(PROMPTS[25])
    expense = _entities(plan)["Expense"]
    assert expense["owned"] is True
    assert set(_fields(plan, "Expense")) == {"id", "amount", "category", "spent_on", "notes"}


def test_soft_delete_timestamps_and_uniqueness_statements() -> None:
    plan = plan_offline(PROMPTS[19])
    invoice = _entities(plan)["Invoice"]
    assert invoice["soft_delete"] is True
    assert invoice["timestamps"] is True
    assert _fields(plan, "Invoice")["issued_on"]["type"] == "date"
    inventory = plan_offline(PROMPTS[5])
    assert _entities(inventory)["StockItem"]["soft_delete"] is True
    assert "soft_delete" not in _entities(inventory)["Warehouse"]
    assert _fields(inventory, "StockItem")["sku"]["unique"] is True
    assert "Warehouse" in _entities(inventory)


def test_list_options_are_resolved_to_fields() -> None:
    plan = plan_offline(PROMPTS[11])
    entities = _entities(plan)
    assert entities["Contact"]["list"] == {"searchable": ["name"]}
    assert entities["Deal"]["list"] == {"filterable": ["stage"], "sortable": ["close_date"]}


def test_self_references_are_nullable_and_one_to_one_is_said_exactly() -> None:
    plan = plan_offline(PROMPTS[6])
    manager = _entities(plan)["Employee"]["relations"][0]
    assert manager == {
        "name": "manager",
        "kind": "many_to_one",
        "target": "Employee",
        "nullable": True,
        "on_delete": "set_null",
    }
    assert ("Employee", "one_to_one", "Badge") in _relations(plan)
    parent = _entities(plan_offline(PROMPTS[7]))["Category"]["relations"][0]
    assert parent["target"] == "Category" and parent["nullable"] is True


def test_shared_labels_and_mutual_many_are_many_to_many_on_one_side() -> None:
    assert ("Product", "many_to_many", "Tag") in _relations(plan_offline(PROMPTS[7]))
    orders = plan_offline(PROMPTS[27])
    between = {r for r in _relations(orders) if {r[0], r[2]} == {"Order", "Product"}}
    assert len(between) == 1 and next(iter(between))[1] == "many_to_many"
    assert ("Student", "many_to_many", "Course") in _relations(plan_offline(PROMPTS[12]))


def test_has_many_puts_the_foreign_key_on_the_child() -> None:
    plan = plan_offline(PROMPTS[26])
    assert {("Question", "many_to_one", "Poll"), ("Choice", "many_to_one", "Poll")} <= _relations(
        plan
    )


def test_required_relations_never_form_a_cycle() -> None:
    plan = plan_offline("Teams have a captain who is a player. Players belong to a team.")
    _passes_review(plan)
    relations = [r for e in plan.document["entities"] for r in e.get("relations", [])]
    kinds = {(r["name"], r.get("nullable", False)) for r in relations}
    assert any(nullable for _, nullable in kinds)


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("price (decimal)", ("decimal", None)),
        ("total", ("decimal", None)),
        ("quantity", ("integer", None)),
        ("number of seats", ("integer", None)),
        ("rating", ("float", None)),
        ("published", ("boolean", None)),
        ("is archived", ("boolean", None)),
        ("deadline", ("date", None)),
        ("starts at", ("datetime", None)),
        ("contact email", ("string", "email")),
        ("website", ("string", "url")),
        ("summary", ("text", None)),
        ("settings", ("json", None)),
        ("tags as json", ("json", None)),
        ("age integer", ("integer", None)),
        ("phone number", ("string", None)),
        ("weight in kg", ("float", None)),
        ("duration in minutes", ("integer", None)),
        ("adopted (yes/no)", ("boolean", None)),
        ("title", ("string", None)),
    ],
)
def test_field_types_come_from_names_units_and_stated_types(
    words: str, expected: tuple[str, str | None]
) -> None:
    plan = plan_offline(f"Widgets have a label and {words}.")
    fields = list(_fields(plan, "Widget").values())
    field = fields[-1]
    assert (field["type"], field.get("format")) == expected


def test_enum_values_from_colons_one_of_and_brackets() -> None:
    colon = plan_offline("An order has a status: pending, shipped, delivered. Orders have a total.")
    assert _fields(colon, "Order")["status"]["values"] == ["pending", "shipped", "delivered"]
    one_of = plan_offline(PROMPTS[10])
    assert _fields(one_of, "Appointment")["status"]["values"] == ["booked", "cancelled", "done"]
    assert "notes" in _fields(one_of, "Appointment")
    typed = plan_offline(PROMPTS[20])
    assert _fields(typed, "Ticket")["severity"]["values"] == ["low", "high"]
    words = plan_offline("Tasks have a status: In Progress, Done.")
    assert _fields(words, "Task")["status"]["values"] == ["in_progress", "done"]


def test_a_status_without_values_stays_a_string() -> None:
    assert _fields(plan_offline("Orders have a status."), "Order")["status"]["type"] == "string"


def test_reserved_field_names_are_renamed_and_managed_ones_become_flags() -> None:
    plan = plan_offline(PROMPTS[34])
    assert set(_fields(plan, "Product")) == {"id", "name", "price", "sort_order", "description"}
    stamped = plan_offline("Notes have a title, created_at, updated_at and deleted_at.")
    note = _entities(stamped)["Note"]
    assert note["timestamps"] is True and note["soft_delete"] is True
    assert set(_fields(stamped, "Note")) == {"id", "title"}
    grouped = plan_offline("Students have a name and a group.")
    assert "student_group" in _fields(grouped, "Student")
    _passes_review(grouped)


def test_an_entity_without_fields_gets_a_name_or_a_title() -> None:
    plan = plan_offline("A blog with posts and authors.")
    assert set(_fields(plan, "Post")) == {"id", "title"}
    assert set(_fields(plan, "Author")) == {"id", "name"}


@pytest.mark.parametrize(
    ("prompt", "names"),
    [
        (
            "Track categories, people, addresses and statuses.",
            ["Category", "Person", "Address", "Status"],
        ),
        ("Store analyses, children, boxes and companies.", ["Analysis", "Child", "Box", "Company"]),
        ("We keep warehouses, movies and menus.", ["Warehouse", "Movie", "Menu"]),
        ("Orders with line items.", ["Order", "LineItem"]),
    ],
)
def test_names_are_pascal_case_singular(prompt: str, names: list[str]) -> None:
    assert list(_entities(plan_offline(prompt))) == names


def test_plurals_the_old_rules_got_wrong_are_singular_now() -> None:
    assert [singularize(w) for w in ("houses", "movies", "caches", "skus", "menus")] == [
        "house",
        "movie",
        "cache",
        "sku",
        "menu",
    ]
    assert singularize("statuses") == "status"


def test_meta_words_are_never_entities() -> None:
    plan = plan_offline("Build a REST API backend with endpoints and a database for books.")
    assert list(_entities(plan)) == ["Book"]


def test_phrases_that_add_nothing_are_ignored_verbatim_in_order() -> None:
    plan = plan_offline(PROMPTS[9])
    assert plan.ignored == ("Hi!", "It should be fast and follow best practices.")
    assert plan.document["description"] == "Hi!"


def test_a_prompt_with_no_entity_gives_an_empty_list_and_ignores_everything() -> None:
    plan = plan_offline("It should be fast. Follow best practices!")
    assert plan.document["entities"] == []
    assert plan.ignored == ("It should be fast.", "Follow best practices!")
    assert plan.document["project_name"] == "backend_api"


def test_the_description_is_the_first_sentence_capped() -> None:
    long = "A shop with products " + "and more products " * 200 + ". Products have a price."
    plan = plan_offline(long)
    assert len(plan.document["description"]) == 2000


@pytest.mark.parametrize(
    "prompt",
    [
        "",
        "   ",
        "\n\n",
        "!!!",
        "...",
        "SELECT * FROM users; DROP TABLE posts;",
        '{"entities": [{"name": "Book", "fields": []}]}',
        "def f(x):\n    return x * 2\n",
        "🎉🎉 emojis 🚀 only",
        "Café(naïve, résumé)",
        "a" * 5000,
        "(((((",
        ")))",
        "- - - -",
        "Entities:",
        "Product:",
        "class(def, return)",
        "\x00\x01",
        "x" * 70 + "(y)",
        "Order(order, user, group, desc, limit, offset, q, sort, select, from, id)",
        "User(email, password, role, is_active, created_at)",
        "1. 2. 3.",
        "e.g. etc. i.e.",
    ],
)
def test_garbage_never_crashes_and_any_entities_pass_review(prompt: str) -> None:
    plan = plan_offline(prompt)
    assert isinstance(plan.ignored, tuple)
    json.dumps(plan.document)
    if plan.document["entities"]:
        _passes_review(plan)


@pytest.mark.parametrize(
    "prompt",
    [
        (" ".join(PROMPTS) * 40 + " word" * 20000)[:100_000],
        "a " * 50_000,  # a run of determiners once made the noun reader quadratic (minutes)
    ],
    ids=["prose", "determiners"],
)
def test_a_huge_prompt_stays_linear(prompt: str) -> None:
    """A guard against quadratic reading, not a speed target: linear is well under a second
    here, quadratic is minutes, and the bound leaves room for a loaded machine."""
    start = time.perf_counter()
    plan = plan_offline(prompt)
    assert time.perf_counter() - start < 5.0
    if plan.document["entities"]:
        _passes_review(plan)


def test_the_same_prompt_gives_the_same_plan_across_hash_seeds() -> None:
    code = (
        "import json; from deeprun.logic.offline_planner import plan_offline; "
        "from tests.unit.test_offline_planner import PROMPTS; "
        "print(json.dumps([(plan_offline(p).document, plan_offline(p).ignored) for p in PROMPTS]))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("0", "1", "2")
    }
    assert len(outputs) == 1


_NOUNS = [
    "books",
    "authors",
    "line items",
    "categories",
    "people",
    "orders",
    "user",
    "users",
    "order",
    "group",
    "class",
    "children",
    "analyses",
    "statuses",
    "data",
    "API",
    "items",
]
_FIELDS = [
    "title",
    "price (decimal)",
    "status: a, b",
    "due date",
    "created_at",
    "id",
    "email",
    "order",
    "desc",
    "limit",
    "q",
    "owner",
    "is done",
    "rating 1-5",
    "notes",
    "tags",
    "a manager who is also an employee",
    "parent category",
    "user",
    "book",
]
_GLUE = [
    "have",
    "has many",
    "belong to",
    "with",
    "can have many",
    "appear in many",
    ":",
    ",",
    "and",
    ".",
    "(",
    ")",
    "only admins can delete",
    "their own",
    "soft delete",
    "search by",
    "filter by",
    "sort by",
    "unique",
    "optional",
    "no auth",
    "log in",
    "-",
    "\n- ",
    "each",
    "exactly one",
    "🙂",
    "SELECT",
    "one of",
]


@given(st.lists(st.sampled_from(_NOUNS + _FIELDS + _GLUE), max_size=40))
def test_any_english_ish_prompt_gives_a_document_review_accepts(words: list[str]) -> None:
    plan = plan_offline(" ".join(words))
    if plan.document["entities"]:
        _passes_review(plan)
    assert plan == plan_offline(" ".join(words))


@given(st.text(max_size=300))
def test_any_text_at_all_is_planned_without_raising(text: str) -> None:
    plan = plan_offline(text)
    if plan.document["entities"]:
        _passes_review(plan)


# Held-out prompts, in domains the corpus does not cover: (prompt, entities, relations).
HELD_OUT = [
    (
        "An API to manage exhibits with a title and a year. Each exhibit belongs to a gallery. "
        "Galleries have a name and a floor.",
        {"Exhibit", "Gallery"},
        {("Exhibit", "many_to_one", "Gallery")},
    ),
    (
        "Brewery backend. Beers have a name, an abv and a style. Every beer is brewed in one "
        "brewery. Breweries have a name and a city.",
        {"Beer", "Brewery"},
        {("Beer", "many_to_one", "Brewery")},
    ),
    (
        "Dental lab orders: patient name, shade, due date; each order is for one dentist. "
        "Dentists have a name and a clinic name.",
        {"LabOrder", "Dentist"},
        {("LabOrder", "many_to_one", "Dentist")},
    ),
    (
        "Esports API. Teams have a name and a region. Players have a nickname and a rank, and "
        "belong to a team. Matches have a played at time, and each is for one tournament. "
        "Tournaments have a name and a prize pool.",
        {"Team", "Player", "Match", "Tournament"},
        {("Player", "many_to_one", "Team"), ("Match", "many_to_one", "Tournament")},
    ),
    (
        "Drone fleet tracker. Drones: serial number, model, battery level. Flights: started at, "
        "ended at, distance; each flight is flown by one pilot with one drone. Pilots: name, "
        "license number.",
        {"Drone", "Flight", "Pilot"},
        {("Flight", "many_to_one", "Pilot"), ("Flight", "many_to_one", "Drone")},
    ),
    (
        "Translation agency. Translators have a name and a native language. Documents have a "
        "title and a word count, and each is assigned to one translator. Clients have a name "
        "and an email; a client can have several documents.",
        {"Translator", "Document", "Client"},
        {("Document", "many_to_one", "Translator"), ("Document", "many_to_one", "Client")},
    ),
    (
        "Coworking space API to store desks and members. A desk has a code and a monthly "
        "price. Members have a name and an email. Each booking is for one desk, for one member.",
        {"Desk", "Member", "Booking"},
        {("Booking", "many_to_one", "Desk"), ("Booking", "many_to_one", "Member")},
    ),
    (
        "Observatory backend. Telescopes have a name and an aperture. Observations have a "
        "target name and an observed at timestamp, and each is made with one telescope.",
        {"Telescope", "Observation"},
        {("Observation", "many_to_one", "Telescope")},
    ),
    (
        "Bike sharing. Stations have a name and a capacity. Bikes have a serial and a status, "
        "and each is docked at one station. Riders can have many rides; a ride belongs to a "
        "bike.",
        {"Station", "Bike", "Rider", "Ride"},
        {
            ("Bike", "many_to_one", "Station"),
            ("Ride", "many_to_one", "Rider"),
            ("Ride", "many_to_one", "Bike"),
        },
    ),
    (
        "Kindergarten API. Kids have a first name and a birth date. Each kid is in one group. "
        "Groups have a name and a room. Teachers have a name; a teacher can have several groups "
        "and a group can have several teachers.",
        {"Kid", "Group", "Teacher"},
        {("Kid", "many_to_one", "Group"), ("Group", "many_to_many", "Teacher")},
    ),
    (
        "Film festival. Films have a title and a runtime. Screenings have a starts at time; "
        "each screening is for one film in one venue. Venues have a name and seats.",
        {"Film", "Screening", "Venue"},
        {("Screening", "many_to_one", "Film"), ("Screening", "many_to_one", "Venue")},
    ),
    (
        "Mining company. Mines have a name and a location. Shifts have a date and a crew size, "
        "and belong to a mine. Extractions store tonnage and ore type, each for one shift.",
        {"Mine", "Shift", "Extraction"},
        {("Shift", "many_to_one", "Mine"), ("Extraction", "many_to_one", "Shift")},
    ),
    (
        "Insurance claims backend. Policies have a policy number and a premium. Claims have an "
        "amount and a filed on date; each claim is tied to one policy.",
        {"Policy", "Claim"},
        {("Claim", "many_to_one", "Policy")},
    ),
    (
        "Escape rooms. Rooms have a name, a difficulty and a duration in minutes. Bookings have "
        "a group size and a starts at, and each booking is for one room.",
        {"EscapeRoom", "Booking"},
        {("Booking", "many_to_one", "EscapeRoom")},
    ),
    (
        "I want to keep track of plants and waterings. Each watering is for one plant and has "
        "an amount in ml.",
        {"Plant", "Watering"},
        {("Watering", "many_to_one", "Plant")},
    ),
    ("A backend for recipes with a title and cooking time.", {"Recipe"}, set()),
    (
        "Vineyard app. Parcels: name, area, grape variety. Harvests: picked on, weight.",
        {"Parcel", "Harvest"},
        set(),
    ),
    (
        "Ferry API. Crossing logs have a departed at time and a passenger count. Each crossing "
        "log is for one ferry. Ferries have a name and a capacity.",
        {"CrossingLog", "Ferry"},
        {("CrossingLog", "many_to_one", "Ferry")},
    ),
    (
        "Climbing gym backend. Each route uses one wall. Walls have a name and a height. "
        "Routes have a grade and a setter name.",
        {"Route", "Wall"},
        {("Route", "many_to_one", "Wall")},
    ),
    (
        "A booking is one angler reserving one pier. Anglers have a name and an email. Piers "
        "have a name and a length.",
        {"Booking", "Angler", "Pier"},
        {("Booking", "many_to_one", "Angler"), ("Booking", "many_to_one", "Pier")},
    ),
    (
        "Bakery API. Bread batches have a baked on date and a loaf count, and belong to a "
        "recipe. Recipes have a title and a proof time in minutes.",
        {"BreadBatch", "Recipe"},
        {("BreadBatch", "many_to_one", "Recipe")},
    ),
    (
        "Observatory app. Comets have a designation and a magnitude. Each viewing shows one "
        "comet, and viewings have a seeing level.",
        {"Comet", "Viewing"},
        {("Viewing", "many_to_one", "Comet")},
    ),
]


@pytest.mark.parametrize(("prompt", "entities", "relations"), HELD_OUT)
def test_held_out_prompts_give_their_entities_and_relations(
    prompt: str, entities: set[str], relations: set[tuple[str, str, str]]
) -> None:
    plan = plan_offline(prompt)
    assert set(_entities(plan)) == entities
    assert relations <= _relations(plan)
    _passes_review(plan)


def test_the_object_of_a_verb_is_a_noun_even_when_it_could_be_a_verb() -> None:
    assert set(_entities(plan_offline("An API to store books with a title."))) == {"Book"}
    assert "Book" not in _entities(plan_offline("Travellers book cabins with a view."))


def test_a_verb_after_and_continues_the_clause_before() -> None:
    plan = plan_offline("Lockers have a code and a size, and belong to one gym.")
    assert ("Locker", "many_to_one", "Gym") in _relations(plan)
    assert "Belong" not in _entities(plan)
    permits = plan_offline("Permits have a number, paid and issued on date.")
    assert {"paid", "issued_on"} <= set(_fields(permits, "Permit"))
    tickets = plan_offline("Tickets have a title, a body and publish date.")
    assert "publish_date" in _fields(tickets, "Ticket")


def test_who_logs_in_is_an_account_not_an_entity() -> None:
    plan = plan_offline("Curators log in and manage their own exhibits (title, year).")
    assert set(_entities(plan)) == {"Exhibit"}
    assert _entities(plan)["Exhibit"]["owned"] is True
    logs = plan_offline("Rangers log sightings with a species and a count.")
    assert "Sighting" in _entities(logs)


def test_a_participle_with_a_place_preposition_links_to_an_entity() -> None:
    plan = plan_offline("Casks have a volume. Each cask is stored in one cellar.")
    assert ("Cask", "many_to_one", "Cellar") in _relations(plan)
    loose = plan_offline("Casks have a volume and filled on date.")
    assert set(_entities(loose)) == {"Cask"}
    assert "filled_on" in _fields(loose, "Cask")


def test_each_noun_chained_by_a_preposition_is_a_target() -> None:
    plan = plan_offline(
        "Pupils have a name. Tutors have a name. Each lesson is for one pupil with one tutor."
    )
    assert {("Lesson", "many_to_one", "Pupil"), ("Lesson", "many_to_one", "Tutor")} <= _relations(
        plan
    )
    single = plan_offline("Each concert ticket is for one concert with a seat number.")
    assert "SeatNumber" not in _entities(single)


def test_an_each_item_in_a_field_list_points_at_its_entity() -> None:
    plan = plan_offline("Campsites: name. Cabins: name, beds, each in a campsite.")
    assert ("Cabin", "many_to_one", "Campsite") in _relations(plan)
    lessons = plan_offline("Lessons: title, level, for beginners.")
    assert set(_entities(lessons)) == {"Lesson"}
    assert set(_fields(lessons, "Lesson")) == {"id", "title", "level"}


def test_a_bare_head_refers_to_the_compound_entity_named_before() -> None:
    plan = plan_offline("Decks have a level. Parking bays have a code. Each bay is on one deck.")
    assert "Bay" not in _entities(plan)
    assert ("ParkingBay", "many_to_one", "Deck") in _relations(plan)
    both = plan_offline("Basket lines have a quantity. Receipt lines have an amount.")
    assert {"BasketLine", "ReceiptLine"} <= set(_entities(both))


def test_foreign_keys_claimed_both_ways_are_many_to_many() -> None:
    plan = plan_offline("A club can have several coaches and a coach can have several clubs.")
    assert ("Club", "many_to_many", "Coach") in _relations(plan) or (
        "Coach",
        "many_to_many",
        "Club",
    ) in _relations(plan)
    one_way = plan_offline("Each song belongs to an album. Albums have many songs.")
    assert _relations(one_way) == {("Song", "many_to_one", "Album")}


def test_soft_delete_applies_to_the_entity_a_compound_mentions() -> None:
    plan = plan_offline(
        "Pets have a name. Vets have a name. Pet records are soft deleted, never removed."
    )
    assert _entities(plan)["Pet"].get("soft_delete") is True
    assert "soft_delete" not in _entities(plan)["Vet"]
    everything = plan_offline("Pets have a name. Vets have a name. Soft delete everything.")
    assert all(e.get("soft_delete") for e in everything.document["entities"])


def test_a_noun_or_verb_word_before_a_plural_and_its_verb_is_part_of_the_subject() -> None:
    plan = plan_offline("Repair orders have a due date. Ship logs are kept for one vessel.")
    assert {"RepairOrder", "ShipLog"} <= set(_entities(plan))
    verb = plan_offline("Sailors ship parcels with a weight.")
    assert "ShipParcel" not in _entities(verb)


def test_each_x_verbs_one_y_keys_x() -> None:
    plan = plan_offline("Each gig uses one van. Vans have a plate.")
    assert ("Gig", "many_to_one", "Van") in _relations(plan)
    many = plan_offline("Bands play concerts. Concerts have a date.")
    assert ("Concert", "many_to_one", "Band") in _relations(many)


def test_x_is_one_y_doing_one_z_keys_x_on_both() -> None:
    plan = plan_offline("A rental is one driver renting one car. Cars have a plate.")
    assert {("Rental", "many_to_one", "Driver"), ("Rental", "many_to_one", "Car")} <= (
        _relations(plan)
    )
    plain = plan_offline("A rental is a short contract with a price.")
    assert "Driver" not in _entities(plain)


def test_levels_are_numbers_unless_given_values() -> None:
    plan = plan_offline("Heroes have a level, a skill level (novice, master) and a name.")
    kinds = {name: f["type"] for name, f in _fields(plan, "Hero").items()}
    assert kinds.items() >= {"level": "integer", "skill_level": "enum", "name": "string"}.items()


def test_a_bound_word_opens_a_name_unless_a_number_follows() -> None:
    plan = plan_offline("Venues have a max capacity and a name (max 40 characters).")
    fields = _fields(plan, "Venue")
    assert fields["max_capacity"]["type"] == "integer"
    assert fields["name"]["max_length"] == 40


def test_a_date_time_tail_ends_a_name() -> None:
    plan = plan_offline("Shifts have a starts at and ends at date-time.")
    assert set(_entities(plan)) == {"Shift"}
    assert _fields(plan, "Shift")["ends_at"]["type"] == "datetime"


def test_a_project_the_prompt_stores_is_an_entity() -> None:
    plan = plan_offline(
        "A studio tracks clients and projects; each project has a name, a budget (decimal) and "
        "a deadline (date) and belongs to a client."
    )
    assert set(_entities(plan)) == {"Client", "Project"}
    kinds = {name: f["type"] for name, f in _fields(plan, "Project").items()}
    assert kinds == {"id": "uuid", "name": "string", "budget": "decimal", "deadline": "date"}
    assert ("Project", "many_to_one", "Client") in _relations(plan)
    _passes_review(plan)
    described = plan_offline("Clients have a name. A project has a title and a budget.")
    assert set(_fields(described, "Project")) == {"id", "title", "budget"}
    linked = plan_offline("Tasks have a title, and each task belongs to a project.")
    assert ("Task", "many_to_one", "Project") in _relations(linked)
    known = plan_offline("Tasks belong to a project. The project has a name and a deadline.")
    assert set(_fields(known, "Project")) == {"id", "name", "deadline"}


def test_the_project_being_built_is_still_no_entity() -> None:
    assert "Project" not in _entities(plan_offline("Build a project that tracks books."))
    assert "Project" not in _entities(plan_offline("My project stores books with a title."))
    plan = plan_offline("The project has posts and comments. Posts have a title.")
    assert set(_entities(plan)) == {"Post", "Comment"}


def test_their_own_rows_in_a_permission_sentence_are_the_owners() -> None:
    plan = plan_offline("Orders have a total. Customers can only see their own orders.")
    order = _entities(plan)["Order"]
    assert order["owned"] is True
    assert order["permissions"] == {"read": ["owner"]}
    assert plan.document["auth"] == {"enabled": True}
    _passes_review(plan)
    users = plan_offline("Notes have a title and a body. Each user can only see their own notes.")
    assert _entities(users)["Note"]["permissions"] == {"read": ["owner"]}
    edits = plan_offline("Notes have a title. Users can edit and delete their own notes.")
    assert _entities(edits)["Note"]["permissions"] == {"update": ["owner"], "delete": ["owner"]}
    creates = plan_offline("Users log in. Users can create their own posts with a title.")
    assert "permissions" not in _entities(creates)["Post"]


def test_seeing_their_own_rows_owns_them_and_keeps_the_owner_defaults() -> None:
    plan = plan_offline("Users log in. Each user sees only their own notes.")
    note = _entities(plan)["Note"]
    assert note["owned"] is True
    assert "permissions" not in note
    _passes_review(plan)
    declared = plan_offline("Notes have a title and a body. Users see their own notes.")
    assert _entities(declared)["Note"]["owned"] is True


def test_a_permission_on_rows_not_their_own_still_names_the_role() -> None:
    plan = plan_offline(
        "Orders have a total. Staff can see all orders; customers can only see their own orders."
    )
    assert plan.document["auth"]["roles"] == ["admin", "staff", "user"]
    assert _entities(plan)["Order"]["permissions"] == {"read": ["staff", "owner"]}
    _passes_review(plan)


def test_log_in_and_sign_in_are_verbs_never_roles() -> None:
    plan = plan_offline("Rooms have a number. Staff log in and can manage rooms.")
    assert plan.document["auth"]["roles"] == ["admin", "staff", "user"]
    permissions = _entities(plan)["Room"]["permissions"]
    assert permissions == {"create": ["staff"], "update": ["staff"], "delete": ["staff"]}
    for prompt in (
        "Rooms have a number. Staff log in to manage rooms.",
        "Rooms have a number. Staff sign in and can edit rooms.",
        "Rooms have a number. The crew logs in and can edit rooms.",
    ):
        roles = plan_offline(prompt).document["auth"].get("roles", [])
        assert not {"log", "sign"} & set(roles), prompt


def test_a_log_is_still_a_noun_where_it_names_a_thing() -> None:
    plan = plan_offline("Maintenance logs have a date and a note. Each log is for one machine.")
    assert ("MaintenanceLog", "many_to_one", "Machine") in _relations(plan)
    assert "Sighting" in _entities(plan_offline("Rangers log sightings with a species."))


def test_having_an_account_turns_auth_on_and_makes_no_entity() -> None:
    plan = plan_offline(
        "Each customer has an account. Orders have a total and belong to a customer."
    )
    assert plan.document["auth"] == {"enabled": True}
    assert set(_entities(plan)) == {"Customer", "Order"}
    assert "account" not in _fields(plan, "Customer")
    _passes_review(plan)
    members = plan_offline("Members have an account and a membership number.")
    assert members.document["auth"] == {"enabled": True}
    assert set(_fields(members, "Member")) == {"id", "membership_number"}
    plural = plan_offline("Customers have accounts. Orders have a total.")
    assert plural.document["auth"] == {"enabled": True}
    assert "Account" not in _entities(plural)
    users = plan_offline("Each user has an account and manages their own tasks (title).")
    assert set(_entities(users)) == {"Task"}


def test_an_account_with_fields_of_its_own_is_an_entity() -> None:
    bank = plan_offline("A bank account has a number and a balance.")
    assert set(_fields(bank, "BankAccount")) == {"id", "number", "balance"}
    assert bank.document["auth"] == {"enabled": False}
    plan = plan_offline("Accounts have a number and a balance. Each customer has an account.")
    assert set(_fields(plan, "Account")) == {"id", "number", "balance"}
    assert ("Customer", "many_to_one", "Account") in _relations(plan)
    assert plan.document["auth"] == {"enabled": False}
    invoices = plan_offline("Invoices have an account number and a total.")
    assert "account_number" in _fields(invoices, "Invoice")
    assert invoices.document["auth"] == {"enabled": False}


def test_a_type_in_brackets_after_a_field_types_it_in_every_kind_of_list() -> None:
    expected = {"number": "integer", "floor": "integer", "nightly_rate": "decimal"}
    for prompt in (
        "Each room has a number (integer), a floor (integer) and a nightly rate (decimal).",
        "Rooms: a number (integer), a floor (integer) and a nightly rate (decimal).",
        "Rooms: number (int), floor (number), nightly rate (decimal, required).",
    ):
        plan = plan_offline(prompt)
        assert set(_entities(plan)) == {"Room"}, prompt
        kinds = {name: f["type"] for name, f in _fields(plan, "Room").items()}
        assert kinds.items() >= expected.items(), prompt
    plan = plan_offline(
        "Guests: a code (uuid), a contact (email), an arrival (date), a remark (text), "
        "a vip (bool) and a smoker (boolean)."
    )
    fields = _fields(plan, "Guest")
    kinds = {name: f["type"] for name, f in fields.items()}
    assert kinds == {
        "id": "uuid", "code": "uuid", "contact": "string", "arrival": "date",
        "remark": "text", "vip": "boolean", "smoker": "boolean",
    }  # fmt: skip
    assert fields["contact"]["format"] == "email"


def test_brackets_after_an_entity_name_are_still_its_fields() -> None:
    plan = plan_offline("Festival: Events(date), Venues(name).")
    assert set(_entities(plan)) == {"Event", "Venue"}
    assert _fields(plan, "Event")["date"]["type"] == "date"
    library = plan_offline("Library: Book(title, isbn), Author(name)")
    assert set(_fields(library, "Book")) == {"id", "title", "isbn"}


_PURPOSES = [
    ("track", "tracks", "tracking"),
    ("manage", "manages", "managing"),
    ("record", "records", "recording"),
    ("store", "stores", "storing"),
    ("catalog", "catalogs", "cataloguing"),
    ("organise", "organises", "organising"),
    ("organize", "organizes", "organizing"),
    ("keep track of", "keeps track of", "keeping track of"),
    ("log", "logs", "logging"),
]


@pytest.mark.parametrize("head", ["app", "API", "service", "backend", "system", "platform"])
@pytest.mark.parametrize(("base", "third", "gerund"), _PURPOSES)
def test_the_purpose_verb_of_the_project_is_no_part_of_an_entity_name(
    head: str, base: str, third: str, gerund: str
) -> None:
    article = "an" if head[0] in "aA" else "a"
    for prompt in (
        f"Build {article} {head} to {base} books with a title and a price.",
        f"I need {article} {head} that {third} books with a title and a price.",
        f"Build me {article} {head} for {gerund} books, each with a title and a price.",
        f"{article.capitalize()} {head} to {base} books with a title and a price.",
        f"{article.capitalize()} {head} that {third} books with a title and a price.",
    ):
        plan = plan_offline(prompt)
        assert set(_entities(plan)) == {"Book"}, prompt
        assert set(_fields(plan, "Book")) == {"id", "title", "price"}, prompt
        _passes_review(plan)


def test_the_reported_purpose_phrasings_name_their_entity() -> None:
    plan = plan_offline("Build an API to track books with a title and an author")
    assert set(_fields(plan, "Book")) == {"id", "title", "author"}
    assert set(_entities(plan_offline("Build a project that tracks books"))) == {"Book"}
    tracking = plan_offline(
        "Build me an app for tracking books, each with a title, an isbn and a publication year"
    )
    assert set(_fields(tracking, "Book")) == {"id", "title", "isbn", "publication_year"}
    _passes_review(tracking)
    workouts = plan_offline("an app to log workouts with a date and a duration in minutes")
    assert set(_fields(workouts, "Workout")) == {"id", "date", "duration"}
    crm = plan_offline("Build a CRM to track customers and deals.")
    assert set(_entities(crm)) == {"Customer", "Deal"}


def test_a_purpose_verb_after_anything_but_the_project_is_read_as_before() -> None:
    tracks = plan_offline("Build a music API. Tracks have a title and a length.")
    assert set(_entities(tracks)) == {"Track"}
    logs = plan_offline("Build a shipping backend. Each ship log has a date and a note.")
    assert set(_entities(logs)) == {"ShipLog"}
    manager = plan_offline("employees have a manager who is also an employee.")
    assert ("Employee", "many_to_one", "Employee") in _relations(manager)
    loans = plan_offline("Members borrow books. Books that members borrow have a due date.")
    assert "Book" in _entities(loans)


def test_a_singular_project_heading_with_fields_declares_the_project() -> None:
    plan = plan_offline("Project: name, budget (decimal), deadline (date)")
    assert set(_entities(plan)) == {"Project"}
    kinds = {name: f["type"] for name, f in _fields(plan, "Project").items()}
    assert kinds == {"id": "uuid", "name": "string", "budget": "decimal", "deadline": "date"}
    _passes_review(plan)
    with_tasks = plan_offline(
        "Project: name, budget (decimal). Tasks have a title and belong to a project."
    )
    assert ("Task", "many_to_one", "Project") in _relations(with_tasks)
    assert set(_fields(with_tasks, "Project")) == {"id", "name", "budget"}


def test_a_project_heading_that_describes_the_project_is_still_no_entity() -> None:
    crm = plan_offline("Project: a CRM for dentists. Patients have a name.")
    assert "Project" not in _entities(crm)
    listed = plan_offline("Project: books and members. Books have a title.")
    assert set(_entities(listed)) == {"Book", "Member"}
    plural = plan_offline("Projects: name, budget (decimal)")
    assert set(_fields(plural, "Project")) == {"id", "name", "budget"}
    product = plan_offline("Product: name, price, stock")
    assert set(_fields(product, "Product")) == {"id", "name", "price", "stock"}


def test_the_place_someone_logs_into_is_no_role() -> None:
    for prompt in (
        "Rooms have a number. Staff log into the portal and can edit rooms.",
        "Rooms have a number. Staff log in to the portal and can edit rooms.",
        "Rooms have a number. Staff sign into the dashboard and can edit rooms.",
        "Rooms have a number. Staff at the front desk can edit rooms.",
    ):
        plan = plan_offline(prompt)
        assert plan.document["auth"]["roles"] == ["admin", "staff", "user"], prompt
        assert _entities(plan)["Room"]["permissions"] == {"update": ["staff"]}, prompt
        _passes_review(plan)


def test_the_backend_asked_for_is_no_role() -> None:
    plan = plan_offline("I want a backend where users can post notes with a title and a body.")
    assert plan.document["auth"].get("roles", ["admin", "user"]) == ["admin", "user"]
    _passes_review(plan)


def test_need_and_want_after_a_collective_subject_are_verbs() -> None:
    for prompt in (
        "Shop staff need accounts. Products have a name and a price.",
        "The crew needs accounts. Products have a name and a price.",
        "Shop staff want accounts. Products have a name and a price.",
        "Shop staff require accounts. Products have a name and a price.",
    ):
        plan = plan_offline(prompt)
        assert plan.document["auth"] == {"enabled": True}, prompt
        assert "Product" in _entities(plan), prompt
        assert not any(n.startswith(("Need", "Want", "Require")) for n in _entities(plan)), prompt
        _passes_review(plan)


def test_a_need_is_still_a_noun_where_it_names_a_thing() -> None:
    plan = plan_offline("Patients have a name. Each patient need has a priority and a note.")
    assert "PatientNeed" in _entities(plan)
    members = plan_offline("Members want accounts. Books have a title.")
    assert members.document["auth"] == {"enabled": True}


def test_a_plural_with_fields_inside_a_field_list_declares_its_own_fields() -> None:
    plan = plan_offline("Each order has line items with a quantity and a price.")
    assert set(_fields(plan, "LineItem")) == {"id", "quantity", "price"}
    assert set(_fields(plan, "Order")) == {"id", "name"}
    assert ("LineItem", "many_to_one", "Order") in _relations(plan)
    projects = plan_offline("Users have projects with a name and a deadline.")
    assert set(_fields(projects, "Project")) == {"id", "name", "deadline"}
    _passes_review(projects)


def test_a_field_list_without_nested_fields_is_read_as_before() -> None:
    plan = plan_offline("Posts have a title, a body and photos.")
    assert set(_fields(plan, "Post")) == {"id", "title", "body"}
    assert ("Photo", "many_to_one", "Post") in _relations(plan)
    blog = plan_offline("A blog with posts with a title and comments with a body.")
    assert set(_entities(blog)) == {"Post", "Comment"}
    assert blog.document["project_name"] == "blog_api"


def test_the_fields_after_the_object_of_a_verb_are_the_objects() -> None:
    plan = plan_offline("Customers place orders with a total and a date.")
    assert set(_fields(plan, "Order")) == {"id", "total", "date"}
    assert ("Order", "many_to_one", "Customer") in _relations(plan)
    rangers = plan_offline("Rangers log sightings with a species and a count.")
    assert set(_fields(rangers, "Sighting")) == {"id", "species", "count"}
    assert "count" not in _fields(rangers, "Ranger")


def test_after_a_plain_plural_a_noun_or_verb_is_the_verb_and_what_follows_its_object() -> None:
    plan = plan_offline("Users post reviews with a rating.")
    assert set(_fields(plan, "Review")) == {"id", "rating"}
    _passes_review(plan)
    assert "Comment" in _entities(plan_offline("Users post comments on articles."))
    assert "OrderItem" in _entities(plan_offline("Order items have a quantity."))


def test_how_often_is_no_part_of_a_noun() -> None:
    plan = plan_offline("A habit tracker where users log habits daily.")
    assert set(_entities(plan)) == {"Habit"}
    _passes_review(plan)
    rooms = plan_offline("Rooms have a daily rate.")
    assert _fields(rooms, "Room")["daily_rate"]["type"] == "decimal"


def test_interface_words_give_way_to_a_name_for_the_project() -> None:
    plan = plan_offline("Create a REST API for a bookstore with books and authors.")
    assert plan.document["project_name"] == "bookstore_api"
    assert plan_offline("Create a REST API for managing books.").document["project_name"] == (
        "rest_api"
    )
    collection = plan_offline("I need an app to organize my book collection. Books have a title.")
    assert collection.document["project_name"] == "book_collection_api"


def test_usual_text_field_names_are_no_entities_even_plural() -> None:
    assert set(_entities(plan_offline("Books have titles."))) == {"Book"}
    assert set(_entities(plan_offline("Books have authors."))) == {"Book", "Author"}


def test_supply_and_connect_are_verbs() -> None:
    plan = plan_offline("Items have a name. Suppliers supply items.")
    assert set(_entities(plan)) == {"Item", "Supplier"}
    assert "OfficeSupply" in _entities(plan_offline("Office supplies have a name."))
    tutors = plan_offline("A platform that connects tutors and students.")
    assert set(_entities(tutors)) == {"Tutor", "Student"}


def test_a_plural_a_listed_entity_is_for_is_an_entity_too() -> None:
    plan = plan_offline("Develop an inventory app that keeps track of stock levels for products.")
    assert ("StockLevel", "many_to_one", "Product") in _relations(plan)
    shop = plan_offline("Build a backend to track orders for a coffee shop.")
    assert set(_entities(shop)) == {"Order"}


def test_wanting_to_do_something_possesses_nothing() -> None:
    plan = plan_offline("Staff want to log in. Rooms have a number.")
    assert set(_entities(plan)) == {"Room"}
    assert plan.document["auth"] == {"enabled": True}
    need = plan_offline("Staff need to log in. Rooms have a number.")
    assert set(_entities(need)) == {"Room"}
    runs = plan_offline("Users want to track their runs. Runs have a distance.")
    assert _entities(runs)["Run"]["owned"] is True


def test_an_adverb_leading_the_next_clause_is_no_field() -> None:
    plan = plan_offline(
        "Customers have a name. Shop staff need accounts, and only admins can delete customers."
    )
    assert set(_entities(plan)) == {"Customer"}
    assert _entities(plan)["Customer"]["permissions"] == {"delete": ["admin"]}


def test_the_app_asked_for_is_no_role_either() -> None:
    plan = plan_offline("Build a todo app where users can create tasks, mark them done.")
    assert plan.document["auth"].get("roles", ["admin", "user"]) == ["admin", "user"]


def test_the_object_of_a_verb_on_an_entity_points_at_it() -> None:
    plan = plan_offline("Users post comments on articles. Articles have a title.")
    assert ("Comment", "many_to_one", "Article") in _relations(plan)
    reviews = plan_offline("Users write reviews about products. Products have a price.")
    assert ("Review", "many_to_one", "Product") in _relations(reviews)
    _passes_review(plan)


def test_an_object_for_something_that_is_no_entity_points_at_nothing() -> None:
    plan = plan_offline("Customers place orders for delivery. Orders have a total.")
    assert set(_entities(plan)) == {"Customer", "Order"}
    assert _relations(plan) == {("Order", "many_to_one", "Customer")}


def test_commenting_on_an_entity_makes_comments() -> None:
    plan = plan_offline("Readers can comment on posts. Posts have a title.")
    assert set(_entities(plan)) == {"Post", "Comment"}
    assert ("Comment", "many_to_one", "Post") in _relations(plan)
    _passes_review(plan)
    owned = plan_offline("Users log in. Users can comment on posts. Posts have a title.")
    assert _entities(owned)["Comment"]["owned"] is True
    _passes_review(owned)


def test_commenting_on_nothing_stored_makes_nothing() -> None:
    plan = plan_offline("Posts have a title. Readers can comment freely.")
    assert set(_entities(plan)) == {"Post"}


def test_owners_given_fields_are_an_entity() -> None:
    plan = plan_offline("Pet owners have a name and a phone; each pet belongs to an owner.")
    assert set(_entities(plan)) == {"PetOwner", "Pet"}
    assert ("Pet", "many_to_one", "PetOwner") in _relations(plan)
    _passes_review(plan)
    plain = plan_offline(
        "Pets have a name. Owners have a name and a phone. Each pet belongs to an owner."
    )
    assert ("Pet", "many_to_one", "Owner") in _relations(plain)
    assert set(_fields(plain, "Owner")) == {"id", "name", "phone"}


def test_owners_given_no_fields_still_mean_row_ownership() -> None:
    plan = plan_offline("Notes have a title. Users see their own notes.")
    assert set(_entities(plan)) == {"Note"}
    assert _entities(plan)["Note"]["owned"] is True
    owners = plan_offline("Users log in. Tasks have a title. Only owners can delete tasks.")
    assert set(_entities(owners)) == {"Task"}


def test_a_plural_field_word_names_one_value_per_row() -> None:
    assert set(_fields(plan_offline("Books have titles."), "Book")) == {"id", "title"}
    plan = plan_offline("Products have names and prices.")
    fields = _fields(plan, "Product")
    assert set(fields) == {"id", "name", "price"}
    assert fields["price"]["type"] == "decimal"


def test_a_list_like_plural_field_word_stays_plural() -> None:
    assert "notes" in _fields(plan_offline("Recipes have notes."), "Recipe")
    assert "title" in _fields(plan_offline("A book has a title."), "Book")


def test_a_favourite_is_a_link_to_the_entity_not_a_new_entity() -> None:
    plan = plan_offline("Users save favourite recipes. Recipes have a title.")
    assert set(_entities(plan)) == {"User", "Recipe"}
    favourites = list(_entities(plan)["User"].get("relations", []))
    assert [(r["name"], r["kind"], r["target"]) for r in favourites] == [
        ("favourite_recipes", "many_to_many", "Recipe")
    ]
    _passes_review(plan)
    signed = plan_offline("Users log in. Users keep starred recipes. Recipes have a title.")
    assert set(_entities(signed)) == {"Recipe"}


def test_an_entity_the_accounts_create_still_belongs_to_them() -> None:
    plan = plan_offline("Users write recipes. Recipes have a title.")
    assert ("Recipe", "many_to_one", "User") in _relations(plan)


def test_people_who_may_do_something_are_principals_not_entities() -> None:
    plan = plan_offline("People can rent bikes. Bikes have a model.")
    assert "Person" not in _entities(plan)
    assert "Bike" in _entities(plan)
    visitors = plan_offline("Visitors can browse events. Events have a title.")
    assert set(_entities(visitors)) == {"Event"}
    _passes_review(plan)


def test_people_given_fields_are_still_an_entity() -> None:
    plan = plan_offline("People have a name and an email. People can rent bikes.")
    assert "Person" in _entities(plan)


def test_borrowing_between_two_entities_is_a_loan() -> None:
    plan = plan_offline("A member can borrow many books. Books have a title. Members have a name.")
    assert {"Member", "Book", "Loan"} <= set(_entities(plan))
    assert {("Loan", "many_to_one", "Member"), ("Loan", "many_to_one", "Book")} <= _relations(plan)
    _passes_review(plan)
    rentals = plan_offline("Customers rent bikes. Bikes have a model.")
    assert {("Rental", "many_to_one", "Customer"), ("Rental", "many_to_one", "Bike")} <= (
        _relations(rentals)
    )
    bookings = plan_offline("Guests book rooms. Rooms have a number.")
    assert ("Booking", "many_to_one", "Room") in _relations(bookings)


def test_a_declared_loan_takes_the_borrowing() -> None:
    plan = plan_offline("Members borrow books. Loan(book, member, due date).")
    assert set(_entities(plan)) == {"Member", "Book", "Loan"}
    assert _relations(plan) == {
        ("Loan", "many_to_one", "Book"),
        ("Loan", "many_to_one", "Member"),
    }
    assert "due_date" in _fields(plan, "Loan")
    orders = plan_offline("Customers place orders. Orders have a total.")
    assert _relations(orders) == {("Order", "many_to_one", "Customer")}


def test_a_heading_over_field_bullets_declares_the_heading_entity() -> None:
    plan = plan_offline("Project:\n- name\n- budget (decimal)")
    assert set(_entities(plan)) == {"Project"}
    assert _fields(plan, "Project")["budget"]["type"] == "decimal"
    _passes_review(plan)
    product = plan_offline("Product:\n- name\n- price")
    assert set(_fields(product, "Product")) == {"id", "name", "price"}


def test_a_heading_over_entity_bullets_is_the_project() -> None:
    plan = plan_offline("Bookstore:\n- books\n- authors\n- orders")
    assert set(_entities(plan)) == {"Book", "Author", "Order"}
    assert plan.document["project_name"] == "bookstore_api"
    library = plan_offline("Library:\n- Book: title, author\n- Member: name")
    assert set(_entities(library)) == {"Book", "Member"}
    assert set(_fields(library, "Member")) == {"id", "name"}
    _passes_review(plan)


def test_the_object_of_a_permission_is_no_operation() -> None:
    plan = plan_offline("Anyone can read posts. Only admins can write posts. Posts have a title.")
    assert _entities(plan)["Post"]["permissions"] == {"create": ["admin"], "read": ["public"]}
    both = plan_offline("Posts have a title. Editors can read and post comments.")
    assert plan_offline("Editors can post comments.").document["auth"]["roles"] == [
        "admin",
        "editor",
        "user",
    ]
    assert "Post" in _entities(both)


def test_a_verb_after_wanting_to_is_a_clause_of_its_own() -> None:
    plan = plan_offline(
        "We run a small salon and want to track appointments. Appointments have a date."
    )
    assert set(_entities(plan)) == {"Appointment"}


def test_the_fields_after_what_a_made_object_is_about_are_the_objects() -> None:
    plan = plan_offline("Members can post reviews of books with a rating. Books have a title.")
    assert "rating" in _fields(plan, "Review")
    assert ("Review", "many_to_one", "Book") in _relations(plan)
    tickets = plan_offline("Attendees buy tickets for events. Events have a title.")
    assert ("Ticket", "many_to_one", "Event") in _relations(tickets)


def test_what_needs_a_backend_is_the_project() -> None:
    plan = plan_offline("Our school needs a backend: teachers, classes and students.")
    assert set(_entities(plan)) == {"Teacher", "Class", "Student"}
    assert plan.document["project_name"] == "school_api"
    company = plan_offline("A car rental company needs an API. Cars have a make.")
    assert set(_entities(company)) == {"Car"}
    members = plan_offline("Members need a name and an email.")
    assert set(_fields(members, "Member")) == {"id", "name", "email"}


def test_park_water_and_open_are_verbs_after_a_plural() -> None:
    plan = plan_offline("Drivers park cars in spots. Spots have a code.")
    assert "ParkCar" not in _entities(plan)
    assert "Car" in _entities(plan)
    water = plan_offline("Users water plants. Plants have a name.")
    assert "WaterPlant" not in _entities(water)
    tickets = plan_offline("Customers open tickets with a subject and a message.")
    assert {"subject", "message"} <= set(_fields(tickets, "Ticket"))
    assert "Park" in _entities(plan_offline("Parks have a name and a city."))
    assert "open" in _fields(plan_offline("Shops have a name and an open flag."), "Shop")


def test_a_heading_over_a_list_of_entities_is_the_project() -> None:
    plan = plan_offline("Clinic: doctors and patients. Patients have a name.")
    assert set(_entities(plan)) == {"Doctor", "Patient"}
    assert plan.document["project_name"] == "clinic_api"
    order = plan_offline("Order: items, total (decimal)")
    assert "Order" in _entities(order)


def test_a_sentence_after_a_heading_keeps_its_verb() -> None:
    plan = plan_offline("Photo sharing: users upload photos with a caption.")
    assert "Photo" in _entities(plan)
    assert "caption" in _fields(plan, "Photo")
    links = plan_offline("Shortener: links with a url")
    assert set(_entities(links)) == {"Link"}


def test_a_leave_request_and_service_records_are_nouns() -> None:
    plan = plan_offline("Employees submit leave requests with a start date and a reason.")
    assert "LeaveRequest" in _entities(plan)
    cars = plan_offline("Customers have cars, cars have service records with a date and a cost.")
    assert {"date", "cost"} <= set(_fields(cars, "ServiceRecord"))
    assert "Review" in _entities(plan_offline("Customers leave reviews with a rating."))
    assert "Expense" in _entities(plan_offline("Each user records expenses with an amount."))
    lets = plan_offline("An app that lets users post notes with a title.")
    assert "title" in _fields(lets, "Note")


def test_applying_to_an_entity_makes_applications() -> None:
    plan = plan_offline(
        "Companies post jobs with a title. Candidates apply to jobs with a cover letter."
    )
    assert ("Application", "many_to_one", "Job") in _relations(plan)
    assert "cover_letter" in _fields(plan, "Application")


def test_a_spec_heading_is_no_entity() -> None:
    plan = plan_offline(
        "Spec:\n- Users can sign up and log in\n- Roles: admin, manager\n"
        "- Tasks have a title and a due date"
    )
    assert set(_entities(plan)) == {"Task"}
    assert plan.document["auth"]["roles"] == ["admin", "manager", "user"]


def test_links_from_the_account_move_to_the_other_side_so_the_spec_compiles() -> None:
    """With auth on, User is the account table, which takes no relations of its own."""
    for prompt, holder in (
        (
            "Users log in. Each user has a nickname and belongs to a team. Teams have a name.",
            "Team",
        ),
        ("Users log in. Each user has a bio. Users save favourite recipes with a title.", "Recipe"),
    ):
        plan = plan_offline(prompt)
        _passes_review(plan)
        assert (holder, "many_to_many", "User") in _relations(plan)
        assert "relations" not in _entities(plan)["User"]
        assert plan.ignored == ()
        normalized = specs.normalize(canonical_bytes(plan.document)).canonical
        assert normalized is not None
        assert "app/modules/user/router.py" in compile_plan(normalized)
    followers = plan_offline("Members log in. Each user has a nickname. Users follow other users.")
    assert "relations" not in _entities(followers)["User"]
    assert followers.ignored == ("Users follow other users.",)


def test_without_auth_a_user_keeps_its_relations() -> None:
    plan = plan_offline("Each user has a name and belongs to a team. Teams have a name.")
    assert plan.document["auth"]["enabled"] is False
    assert ("User", "many_to_one", "Team") in _relations(plan)


def test_the_row_booked_with_someone_holds_the_key() -> None:
    for prompt in (
        "Patients book appointments with doctors. Doctors have a specialty.",
        "A clinic API. Patients have a name. Doctors have a name and a specialty. Patients book "
        "appointments with doctors.",
    ):
        plan = plan_offline(prompt)
        _passes_review(plan)
        assert _relations(plan) == {
            ("Appointment", "many_to_one", "Patient"),
            ("Appointment", "many_to_one", "Doctor"),
        }
        assert "doctor" in {r["name"] for r in _entities(plan)["Appointment"]["relations"]}
    orders = plan_offline("Customers place orders. Orders have many line items.")
    assert ("LineItem", "many_to_one", "Order") in _relations(orders)


def test_people_a_row_is_booked_with_are_an_entity_and_values_stay_fields() -> None:
    plan = plan_offline(
        "Patients book appointments with doctors. Each appointment has a start time."
    )
    _passes_review(plan)
    assert set(_fields(plan, "Appointment")) == {"id", "start_time"}
    assert set(_fields(plan, "Doctor")) == {"id", "name"}
    assert ("Appointment", "many_to_one", "Doctor") in _relations(plan)
    sessions = plan_offline("Clients schedule sessions with trainers. Trainers have a name.")
    assert ("Session", "many_to_one", "Trainer") in _relations(sessions)
    noted = plan_offline("Users book appointments with a note.")
    assert "note" in _fields(noted, "Appointment")
    assert set(_entities(noted)) == {"User", "Appointment"}


def test_an_object_a_reduced_relative_describes_is_both_clauses() -> None:
    plan = plan_offline("Students enroll in courses taught by teachers.")
    _passes_review(plan)
    assert set(_entities(plan)) == {"Student", "Course", "Teacher"}
    assert _relations(plan) == {
        ("Student", "many_to_many", "Course"),
        ("Course", "many_to_one", "Teacher"),
    }
    loans = plan_offline("Members borrow books written by authors.")
    _passes_review(loans)
    assert {("Loan", "many_to_one", "Book"), ("Book", "many_to_one", "Author")} <= (
        _relations(loans)
    )
    assert loans.ignored == ()


def test_people_who_approve_rows_are_a_role_that_may_update_them() -> None:
    plan = plan_offline(
        "Employees submit timesheets. Each employee has a name. Managers approve timesheets."
    )
    _passes_review(plan)
    assert plan.document["auth"]["roles"] == ["admin", "manager", "user"]
    assert _entities(plan)["Timesheet"]["permissions"] == {"update": ["manager"]}
    assert ("Timesheet", "many_to_one", "Employee") in _relations(plan)
    assert "Manager" not in _entities(plan)
    assert plan.ignored == ()
    prices = plan_offline("Prices change daily. Products have a price.")
    assert prices.document["auth"] == {"enabled": False}
    authors = plan_offline("Authors write books. Books have a title.")
    assert authors.document["auth"] == {"enabled": False}


def test_what_an_account_does_after_logging_in_is_kept() -> None:
    reports = plan_offline("Employees log in and submit expense reports.")
    _passes_review(reports)
    assert set(_entities(reports)) == {"ExpenseReport"}
    assert _entities(reports)["ExpenseReport"]["owned"] is True
    for prompt, entity in (
        ("Authors log in and write posts.", "Post"),
        ("Customers sign up and place orders.", "Order"),
        ("Users log in and create notes.", "Note"),
    ):
        plan = plan_offline(prompt)
        _passes_review(plan)
        assert set(_entities(plan)) == {entity}, prompt
        assert _entities(plan)[entity]["owned"] is True, prompt
    described = plan_offline(
        "Employees log in and submit expense reports. Each employee has a name and a department."
    )
    _passes_review(described)
    assert ("ExpenseReport", "many_to_one", "Employee") in _relations(described)
    assert "owned" not in _entities(described)["ExpenseReport"]
    staff = plan_offline("Staff log in and manage rooms.")
    assert set(_entities(staff)) == {"Room"}
    assert staff.document["project_name"] == "backend_api"


def test_them_stands_for_the_rows_the_clause_before_acted_on() -> None:
    plan = plan_offline(
        "Employees log in and submit expense reports. Managers approve them. Each employee has "
        "a name and a department."
    )
    _passes_review(plan)
    assert plan.document["auth"]["roles"] == ["admin", "manager", "user"]
    assert _entities(plan)["ExpenseReport"]["permissions"] == {"update": ["manager"]}
    assert ("ExpenseReport", "many_to_one", "Employee") in _relations(plan)
    assert plan.ignored == ()
    both = plan_offline("Employees submit timesheets. Managers can edit or delete them.")
    assert _entities(both)["Timesheet"]["permissions"] == {
        "update": ["manager"],
        "delete": ["manager"],
    }
    assert "permissions" not in _entities(both)["Employee"]
    track = plan_offline("Customers place orders and track them.")
    assert track.document["auth"] == {"enabled": False}
    assert ("Order", "many_to_one", "Customer") in _relations(track)
    for unclear in (
        "A customer places an order. Managers approve them.",
        "Customers place orders with products. Products have a price. Admins approve them.",
    ):
        assert not any("permissions" in e for e in plan_offline(unclear).document["entities"])
