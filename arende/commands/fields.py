"""What the command vocabulary is made of: the closed sets (enums), the kinds of text a
person types (one line, long text, a Dnr, a day) with the characters they refuse, the
`Form` base of the start forms, the `Command` base, and `validate`, which turns the
first mistake into an error naming the field.

Pure: pydantic and the standard library only, strict under mypy.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from arende.commands.choices import SwedishChoice, swedish_defaults
from arende.errors import InvalidInput

M = TypeVar("M", bound=BaseModel)

# --- closed sets ----------------------------------------------------------------------


class FsgKind(SwedishChoice):
    INFORMATION = "information"  # MBL §19
    NEGOTIATION = "negotiation"  # MBL §11


class Outcome(SwedishChoice):
    PASSED = "passed"
    PASSED_AFTER_VOTE = "passed_after_vote"
    AMENDED = "amended"
    REJECTED = "rejected"
    NOTED = "noted"
    RETURNED = "returned"
    TABLED = "tabled"


class Stance(str, Enum):
    TILLSTYRKER = "tillstyrker"
    AVSTYRKER = "avstyrker"
    AVSTAR = "avstår"


class Direction(SwedishChoice):
    INCOMING = "incoming"
    DRAWN_UP = "drawn_up"
    OUTGOING = "outgoing"


class Appeal(SwedishChoice):
    """How a decision is appealed (rules.procedure.AppealRoute)."""

    NONE = "none"
    LAGLIGHETSPROVNING = "laglighetsprovning"
    FORVALTNINGSBESVAR = "forvaltningsbesvar"


class NoticeParty(SwedishChoice):
    PARTNER = "partner"
    MUNICIPALITY = "municipality"


# --- text that reaches terminals, mail subjects and documents ---------------------------

# Control characters, ANSI escapes and bidirectional overrides would reach terminals and
# mail headers; Unicode's "Cc" and "Cf" categories cover them (and zero-width tricks).
_ALLOWED_IN_LONG_TEXT = {"\n", "\t"}


def _no_control(value: str, *, multiline: bool) -> str:
    for ch in value:
        if unicodedata.category(ch) in ("Cc", "Cf") and not (multiline and ch in _ALLOWED_IN_LONG_TEXT):
            raise rule(f"contains the control character U+{ord(ch):04X}", f"innehåller styrtecknet U+{ord(ch):04X}")
    return value


def _single_line(value: str) -> str:
    value = " ".join(value.replace("\t", " ").split(" ")).strip()
    _no_control(value, multiline=False)
    if not value:
        raise rule("must not be empty", "får inte vara tomt")
    return value


def _long_text(value: str) -> str:
    value = value.replace("\r\n", "\n").strip()
    return _no_control(value, multiline=True)


def _check_all_text(name: str, value: object) -> None:
    if isinstance(value, str):
        try:
            _no_control(value, multiline=name not in _SINGLE_LINE_NAMES)
        except ValueError as exc:
            if isinstance(exc, PydanticCustomError) and exc.context:
                raise rule(f"{name}: {exc.context['en']}", f"{name}: {exc.context['sv']}") from None
            raise ValueError(f"{name}: {exc}") from None
    elif isinstance(value, (list, tuple)):
        for item in value:
            _check_all_text(name, item)
    elif isinstance(value, dict):
        for item in value.values():
            _check_all_text(name, item)
    elif isinstance(value, BaseModel):
        for field, item in value:
            _check_all_text(field, item)


_SINGLE_LINE_NAMES = frozenset(
    {
        "title",
        "organ",
        "sender",
        "sender_dnr",
        "partner_name",
        "partner_orgnr",
        "partner_contact",
        "our_contact",
        "number",
        "classification",
        "parent",
        "agreement_dnr",
        "name",
    }
)


def _positions(schema: dict[str, Any], model: type[BaseModel]) -> None:
    """The form's schema as Prefect's UI should show it. Fields are numbered in
    declaration order: the UI sorts by `position`, so the order survives a Prefect server
    on PostgreSQL, whose jsonb reorders the keys. An optional field (`X | None`) is shown
    as a plain X that may be left empty: its "anyOf X or null" made the UI offer a type
    switch ("date | None") that a registrator cannot make sense of. A closed set's
    default is shown by its Swedish label, the value the form's dropdown offers."""
    properties = schema.get("properties")
    if isinstance(properties, dict):
        for position, prop in enumerate(properties.values()):
            if not isinstance(prop, dict):
                continue
            prop["position"] = position
            branches = prop.get("anyOf")
            if isinstance(branches, list) and len(branches) == 2 and {"type": "null"} in branches:
                [kept] = [b for b in branches if b != {"type": "null"}]
                del prop["anyOf"]
                if prop.get("default", "") is None:
                    del prop["default"]
                prop.update({k: v for k, v in kept.items() if k not in prop})
    swedish_defaults(schema, model)


class Form(BaseModel):
    """Base of the start forms: no control, escape or direction characters in any text
    (they reach terminals, mail subjects and documents); names and titles on one line."""

    model_config = ConfigDict(json_schema_extra=_positions)

    @model_validator(mode="after")
    def _clean_text(self) -> Form:
        for name, value in self:
            _check_all_text(name, value)
        return self


Line = Annotated[str, Field(max_length=300), AfterValidator(_single_line)]
# Kronor in one field: a bound the forms state, well inside the database's 32-bit integers
# (a larger number was stored on SQLite and crashed PostgreSQL).
MAX_KRONOR = 1_000_000_000

# A decision goes out to at most this many recipients (one distribution row each).
MAX_RECIPIENTS = 50

# A person's name or a short code, as long as the columns that keep them.
Name = Annotated[str, Field(max_length=200), AfterValidator(_single_line)]
Code = Annotated[str, Field(max_length=100), AfterValidator(_single_line)]
Title = Annotated[str, Field(min_length=3, max_length=500), AfterValidator(_single_line)]
LongText = Annotated[str, Field(max_length=20000), AfterValidator(_long_text)]
_DNR = re.compile(r"^[A-ZÅÄÖ]{1,10} \d{4}-\d{5}( \d+(\.\d+)*)?$")


def _dnr(value: str) -> str:
    value = " ".join(value.split())
    if not _DNR.match(value):
        raise rule(
            f"{value[:40]!r} is not a diary number of the form 'ALN 2022-00011' (optionally followed by a code)",
            f"{value[:40]!r} är inte ett diarienummer av formen 'ALN 2022-00011' (eventuellt följt av en kod)",
        )
    return value


DnrText = Annotated[str, Field(max_length=60), AfterValidator(_dnr)]
OrganCode = Annotated[
    str,
    Field(min_length=1, max_length=10, pattern=r"^\s*[A-Za-zÅÄÖåäö]+\s*$"),
    AfterValidator(lambda v: v.strip().upper()),
]
# A date a person records: not before the law on time reckoning, not far in the future.
Day = Annotated[dt.date, Field(ge=dt.date(1900, 1, 1), le=dt.date(2199, 12, 31))]
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _email(value: str) -> str:
    """One address; no control character (it would reach a mail header). The same check
    as the web page's account form (arende.services.accounts.check_email)."""
    value = value.strip()
    _no_control(value, multiline=False)
    if not _EMAIL.match(value):
        raise rule(f"{value[:60]!r} is not an e-mail address", f"{value[:60]!r} är inte en e-postadress")
    return value


Email = Annotated[str, Field(max_length=200), AfterValidator(_email)]
# An account's user name: how a fact names the person who holds an account (the officer),
# never by the display name two people may share.
_USERNAME = re.compile(r"^[a-z0-9._-]{2,60}$")


def _username(value: str) -> str:
    value = value.strip().lower()
    if not _USERNAME.match(value):
        raise rule(
            f"{value[:40]!r} is not a user name; name the account (e.g. anna), see `arende user list`",
            f"{value[:40]!r} är inget användarnamn; ange kontot (t.ex. anna)",
        )
    return value


Username = Annotated[str, Field(max_length=60), AfterValidator(_username)]


def cli(*, argument: bool = False, dnr: bool = False, from_file: bool = False) -> dict[str, Any]:
    """How the CLI adapter shows a field: positional argument, a Dnr typed with or without
    quotes, or text that may also be read from a file (`--text-file`)."""
    return {"cli_argument": argument, "cli_dnr": dnr, "cli_from_file": from_file}


# Pydantic's own messages in Swedish, for the forms (the CLI keeps pydantic's English).
_SWEDISH: dict[str, str] = {
    "missing": "måste fyllas i",
    "date_parsing": "är inte ett datum (ÅÅÅÅ-MM-DD)",
    "date_from_datetime_parsing": "är inte ett datum (ÅÅÅÅ-MM-DD)",
    "date_type": "är inte ett datum (ÅÅÅÅ-MM-DD)",
    "int_parsing": "är inte ett heltal",
    "int_type": "är inte ett heltal",
    "int_from_float": "är inte ett heltal",
    "bool_parsing": "är inte ja eller nej",
    "string_type": "måste vara text",
    "string_too_short": "är för kort (minst {min_length} tecken)",
    "string_too_long": "är för lång (högst {max_length} tecken)",
    "too_short": "behöver minst {min_length}",
    "too_long": "får ha högst {max_length}",
    "greater_than": "måste vara större än {gt}",
    "greater_than_equal": "får inte vara mindre än {ge}",
    "less_than": "måste vara mindre än {lt}",
    "less_than_equal": "får inte vara större än {le}",
    "enum": "måste vara ett av: {expected}",
    "literal_error": "måste vara ett av: {expected}",
    "string_pattern_mismatch": "har fel form",
    "extra_forbidden": "finns inte i formuläret",
    "dict_type": "måste vara en tabell",
    "list_type": "måste vara en lista",
}


def rule(en: str, sv: str) -> PydanticCustomError:
    """A validator's refusal, in English (the command line) and Swedish (the forms)."""
    return PydanticCustomError("arende_rule", "{en}", {"en": en, "sv": sv})


def swedish_message(error: Any) -> str | None:
    """Pydantic's error (one of ValidationError.errors()) in Swedish, where we know it."""
    if error["type"] == "arende_rule":
        return str(error["ctx"]["sv"])
    template = _SWEDISH.get(str(error["type"]))
    if template is None:
        return None
    try:
        return template.format(**{k: v for k, v in (error.get("ctx") or {}).items()})
    except (KeyError, IndexError):
        return template.split(" (")[0]


def validate(
    model: type[M],
    data: dict[str, Any],
    *,
    field_name: Callable[[str], str] | None = None,
    swedish: bool = False,
) -> M:
    """Build a model from what a person gave; the first mistake as an InvalidInput that
    names the field (`field_name` renames it as the door shows it, e.g. the CLI option;
    `swedish` gives pydantic's own messages in Swedish, for the forms)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        # A mapping's key is part of the path (available.SAMFOND1); a key typed wrong
        # may be long, and the path must stay a name.
        loc = [str(p) if len(str(p)) <= 40 else str(p)[:39] + "…" for p in first["loc"] if not isinstance(p, int)]
        message = (swedish and swedish_message(first)) or first["msg"].removeprefix("Value error, ")
        if not loc and ": " in message:  # a rule over several fields names the one at fault
            name, message = message.split(": ", 1)
            loc = [name]
        if loc and field_name is not None and loc[0] in model.model_fields:
            loc[0] = field_name(loc[0])
        raise InvalidInput(".".join(loc) or "input", message) from None


def dnr_field(description: str = "Ärendets diarienummer") -> Any:
    """The Dnr a command concerns: a positional argument, typed with or without quotes."""
    return Field(title="Diarienummer", description=description, json_schema_extra=cli(argument=True, dnr=True))


# --- the commands -----------------------------------------------------------------------


class Command(BaseModel):
    """A fact a person records. `verb` is its place on the command line; `title` its
    Swedish name in forms; `moves_errands` whether recording it moves errands on."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False, json_schema_extra=_positions)
    verb: ClassVar[tuple[str, ...]]
    title_sv: ClassVar[str]
    moves_errands: ClassVar[bool] = True
