"""The closed word classes the planner reads English with.

There is no tagger: a word in none of these classes is taken for a noun (or an adjective in front
of one). The lists hold the words backend descriptions use; a verb missing here becomes part of a
noun phrase, which costs an entity at worst, never a crash.
"""

from __future__ import annotations

from typing import Final


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


DETERMINERS: Final = _words(
    "a an the each every any some all its their his her my our your this that these those "
    "another such either no one"
)
MANY: Final = _words("many multiple several numerous various lots plenty")
EXACTLY_ONE: Final = _words("exactly precisely")
PRONOUNS: Final = _words(
    "i we you he she it they me us them who whom whose which what there here someone anyone "
    "everyone anything everything something nothing somebody anybody everybody i'd i'm i've "
    "we'd we've you'd it's let's"
)
RELATIVES: Final = _words("who which that whose where whom")
PREPOSITIONS: Final = _words(
    "about above across after against along among around as at before behind below beneath "
    "beside between beyond by down during except for from in inside into near of off on onto "
    "out outside over past per since than through throughout till to toward towards under until "
    "up upon via with within without like"
)
CONJUNCTIONS: Final = _words(
    "and or but nor so yet if then else because although though while whereas when where "
    "whether both plus"
)
BE: Final = _words("is are was were be been being am i'm we're you're they're")
MODALS: Final = _words(
    "can could may might must shall should will would do does did don't doesn't "
    "didn't can't cannot won't shouldn't mustn't isn't aren't ought wanna gonna"
)
ADVERBS: Final = _words(
    "also only just very really always never often usually sometimes too again already still "
    "even not yes maybe perhaps probably please basically simply mostly ideally currently later "
    "soon now well instead otherwise however therefore thus etc optionally necessarily actually "
    "automatically directly easily quickly typically generally definitely able"
)
ADJECTIVES: Final = _words(
    "new old simple small big large basic good great nice fast quick easy robust secure "
    "scalable modern clean proper whole entire various different same other main few certain "
    "specific particular general additional standard typical minimal tiny little "
    "lightweight ready best personal own more most less least full complete"
)
# Verbs that are never entity names in a backend description (base forms).
VERBS: Final = _words(
    "add allow approve ask assign attend become begin borrow bring build buy call cancel "
    "change choose collect come configure create decide define delete deliver describe "
    "develop display edit enable ensure enroll enrol expose fetch fill find finish follow "
    "generate get give go grant handle help hold implement include keep know leave lend let "
    "live look love make manage mark meet modify move need obtain own pay perform pick "
    "prefer provide publish put receive register remove represent require reserve retrieve "
    "save see sell send serve set show sign stay submit support take teach tell think treat "
    "try turn update use validate view want watch write belong contain consist appear "
    "participate subscribe join hire employ maintain catalog catalogue administer moderate "
    "browse read explore accept reject organise organize enter apply import export "
    "sync attach refer belong assign locate associate filter sort "
    "search find connect"
)
IRREGULAR_VERB_FORMS: Final = {
    "written": "write", "wrote": "write", "made": "make", "took": "take", "taken": "take",
    "gave": "give", "given": "give", "got": "get", "gotten": "get", "bought": "buy",
    "sold": "sell", "sent": "send", "kept": "keep", "held": "hold", "built": "build",
    "paid": "pay", "seen": "see", "saw": "see", "taught": "teach", "lent": "lend",
    "chose": "choose", "chosen": "choose", "met": "meet", "went": "go", "gone": "go",
    "known": "know", "driven": "drive", "found": "find", "told": "tell",
    "brought": "bring", "thought": "think", "flown": "fly", "run": "run", "drawn": "draw",
}  # fmt: skip
# "Staff need to log in", "users want to track runs": before "to" these only lead to the verb
# that says what is done, and possess nothing.
WANTING_VERBS: Final = _words("need want require")
# Nouns as often as verbs ("orders", "users order products"): a verb only where grammar says so.
NOUN_VERBS: Final = _words(
    "order book post review comment rate schedule return record list track visit share "
    "report log note match plan contact transfer ship purchase charge refund request reply "
    "message vote rent loan lease answer bid offer invoice bill store file upload claim "
    "design test run ride quote train cook issue host play work lead start end stock ticket "
    "tag label bookmark favorite favourite like estimate count measure process need "
    "reference release place link point supply park water open leave"
)

# Words before an entity's noun that mark some of its rows as an account's ("favourite recipes",
# "starred repos"): no part of the entity's name. Where the accounts are an entity, "users save
# favourite recipes" is a many-to-many ``favourite_recipes`` from User to Recipe; where they are
# the built-in account model the link is left out, the entity stays the one named.
FAVOURITE_WORDS: Final = _words(
    "favourite favorite favourited favorited saved starred liked bookmarked pinned"
)
# Verbs that make their object ("users post comments on articles", "customers leave reviews for
# products"): a preposition after the object names what the new row is about.
MAKING_VERBS: Final = _words(
    "post write publish submit leave send give place make create file raise open upload log "
    "record share buy purchase order"
)
# What the object of a making verb may be about, after the object: "comments on articles".
ABOUT_PREPOSITIONS: Final = _words("on for about to of")
# Verbs whose doing is itself a row: "readers can comment on posts" makes comments.
VERB_ROWS: Final = {
    "comment": "comments", "vote": "votes", "bid": "bids", "reply": "replies",
    "apply": "applications",
}  # fmt: skip

# Verbs between someone and a thing that are a row of their own: "members borrow books" is a
# loan of one book to one member (Loan → Member, Loan → Book), which has dates and a status a
# foreign key on Book could not hold. Base form → the row's noun, in the plural.
ASSOCIATION_VERBS: Final = {
    "borrow": "loans", "loan": "loans", "rent": "rentals", "book": "bookings",
    "reserve": "reservations",
}  # fmt: skip
# Objects of those verbs that are already the row ("patients book appointments"): the object
# keeps its own foreign key to the one who acts, as any other verb's object does.
BOOKED_ROWS: Final = _words(
    "appointment booking reservation loan rental visit session consultation ticket order slot"
)
# Verbs that set such a row up with someone: "patients book appointments with doctors" is each
# appointment with one doctor, so the row holds the key, where "orders with line items" holds
# many of them.
MEETING_VERBS: Final = _words("book reserve schedule arrange")

# Singular nouns that take a plural verb as often as a singular one ("staff need accounts",
# "the crew logs in"): after them both forms of a noun-or-verb word agree.
COLLECTIVE_NOUNS: Final = _words("staff crew personnel faculty team")

# Nouns that name the thing being built or talk about it, never something it stores. They are
# matched as written: "service" is the project, "services" may be what a salon sells.
META_NOUNS: Final = _words(
    "api apis backend backends back-end app apps application system systems service "
    "microservice database databases db endpoint endpoints crud rest restful graphql server "
    "servers platform project software program solution feature features functionality thing "
    "things stuff way ways field fields column columns attribute attributes property "
    "properties data information info record entity entities model object objects kind kinds "
    "login logins signup sign-up registration authentication authorization auth permission "
    "permissions role roles token tokens jwt password passwords practice practices "
    "performance security scalability requirement requirements testing documentation docs "
    "pagination paging search filtering filter filters sorting validation validations error "
    "errors support ability abilities management json yaml sql postgres postgresql python "
    "fastapi frontend front-end ui interface code architecture deployment docker website site "
    "web portal dashboard admin admins administrator administrators people's crud-api "
    "operation operations action actions standard standards convention conventions timestamp "
    "timestamps time times date dates lot lots number numbers bunch sort manner response "
    "responses hi hello thanks idea ideas side mvp prototype stack access create read update "
    "delete id ids uuid uuids schema schemas relation relations relationship relationships "
    "something example examples default defaults detail details minute minutes hour hours "
    "second seconds day days week weeks month months year years type kind tool everything "
    "anything best end start crm cms erp spec specs specification overview summary"
)
# Words for the kind of interface, never part of the project's name ("a REST API for a
# bookstore" is bookstore_api).
API_STYLES: Final = _words("rest restful crud graphql grpc http json web")
# "users log habits daily": how often, after a noun, is no part of it ("a daily rate" still is).
FREQUENCIES: Final = _words("daily weekly monthly yearly hourly nightly annually quarterly")
# Meta nouns that are as often a thing the backend stores ("clients and their projects"): an
# entity where a sentence describes one ("each project has a budget"), the project otherwise.
DESCRIBABLE_META: Final = _words("project")
# Nouns after which a list names the entities ("Entities: ...", "Models - ...").
ENTITY_HEADINGS: Final = _words(
    "entities entity models model tables table resources objects collections data schema "
    "domain nouns things"
)
FIELD_HEADINGS: Final = _words("fields attributes columns properties")
# Heads of the noun phrase naming the project ("a blog API", "an inventory system").
PROJECT_HEADS: Final = _words(
    "api apis backend back-end app application system service microservice platform server "
    "tool software program solution database db site website portal tracker manager "
    "dashboard project"
)
# What a purpose verb is said of ("an app to track books", "a CRM that stores deals"): the thing
# being built, so the verb's object lists the entities and the verb names none of them.
PURPOSE_HEADS: Final = PROJECT_HEADS | _words("crm cms erp")
# Words that join the project to its purpose verb: "to track", "that tracks", "for tracking".
PURPOSE_MARKERS: Final = _words("to that which for")
# Names of plain text fields that read as no entity even as a bare plural ("books have titles"),
# unlike most string-typed plurals ("posts", "members").
FIELD_NAMES: Final = _words(
    "title name slug nickname username surname phone status color colour isbn sku"
)
# Plural field words that name a list, kept plural where a plural subject has them ("recipes
# have notes"); any other plural field word names one value per row ("books have titles" →
# ``title``, "products have prices" → ``price``).
LIST_FIELD_WORDS: Final = _words("notes remarks comments links urls hours details instructions")
ACCOUNT_NOUNS: Final = _words("user users")
# "Each customer has an account": signing up. The account is the built-in User, so "account" is
# an entity only where the prompt gives accounts fields of their own ("accounts have a balance").
ACCOUNT_WORDS: Final = _words("account accounts")
POSSESSIVES: Final = _words("their his her your my")
# "log in", "signs up": the phrasal verb of an account, whatever noun comes before it.
LOGIN_VERBS: Final = _words("log sign")
LOGIN_PARTICLES: Final = _words("in on into up")
PUBLIC_NOUNS: Final = _words(
    "anyone everyone everybody anybody public guest guests visitor visitors anonymous "
    "unauthenticated world people persons someone somebody"
)
# Anyone at all: as the subject of what someone may do ("people can rent bikes", "visitors can
# browse events") a principal, not an entity, unless a sentence gives them fields.
PEOPLE_AT_LARGE: Final = _words(
    "people persons someone somebody anyone anybody everyone everybody visitor visitors"
)
# Public principals that are never entities ("guests" may be a hotel's).
NOBODY_IN_PARTICULAR: Final = _words(
    "anyone everyone everybody anybody public anonymous unauthenticated world"
)
AUTHENTICATED_NOUNS: Final = _words(
    "user users authenticated logged logged-in registered signed-in"
)
ADMIN_NOUNS: Final = _words("admin admins administrator administrators superuser superusers")
OWNER_NOUNS: Final = _words("owner owners creator creators")
