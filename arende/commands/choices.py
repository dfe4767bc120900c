"""The closed sets' Swedish words, shared by every door.

A value is stored and typed on the command line as its English word (`passed`); the web
page shows the Swedish label beside it. Prefect's form has no labels for a dropdown (a
`oneOf` of `const`/`title` is shown as a text box), so there the Swedish label *is* the
value offered: `SwedishChoice` publishes its labels as the JSON schema's enum and
accepts a label wherever it accepts the English word, so the command line takes the
same words the form shows.

Pure: pydantic and the rules only.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from arende.rules.workflow import ROLE_SV, Role

# The separator between a code and its name in a form's dropdown ("ALN – Arbetslivsnämnden").
CODE_NAME_SEP = " – "

ENUM_LABELS_SV: dict[str, str] = {
    "passed": "Bifall till förslaget",
    "passed_after_vote": "Bifall efter omröstning",
    "amended": "Ändrat förslag",
    "rejected": "Avslag",
    "noted": "Noterat",
    "returned": "Återremiss",
    "tabled": "Bordlagt",
    "information": "Information (MBL § 19)",
    "negotiation": "Förhandling (MBL § 11)",
    "incoming": "Inkommen",
    "drawn_up": "Upprättad",
    "outgoing": "Utgående",
    "none": "Kan inte överklagas (KL 13:2)",
    "laglighetsprovning": "Laglighetsprövning (KL 13:5)",
    "forvaltningsbesvar": "Förvaltningsbesvär (FL 40–44 §§)",
    "partner": "Organisationen",
    "municipality": "Kommunen",
    "beslut": "Beslutsärende",
    "val": "Val",
    "anmalan": "Anmälningsärenden",
    "delegation": "Delegationsbeslut",
    "yrkande": "Yrkande",
    "reservation": "Reservation",
    "protokollsanteckning": "Protokollsanteckning",
    "sarskilt_yttrande": "Särskilt yttrande",
    "jav": "Jäv",
    **{r.value: ROLE_SV[r].capitalize() for r in Role},
}


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


class SwedishChoice(str, Enum):
    """A closed set a person picks from a form. Its members' values are the English
    words; the Swedish label (ENUM_LABELS_SV) is accepted in their place, in any case,
    with or without its parenthesis ("Förhandling (MBL § 11)", "förhandling")."""

    @property
    def label_sv(self) -> str:
        return ENUM_LABELS_SV.get(self.value, self.value)

    @classmethod
    def _missing_(cls, value: object) -> SwedishChoice | None:
        if isinstance(value, str):
            wanted = _fold(value)
            for member in cls:
                # The label, or its words before a parenthesis ("förhandling").
                if wanted in (_fold(member.label_sv), _fold(member.label_sv.split(" (")[0]), _fold(member.value)):
                    return member
        return None

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        schema = handler(core_schema)
        target = handler.resolve_ref_schema(schema)
        target["enum"] = [member.label_sv for member in cls]
        return schema


def swedish_defaults(schema: dict[str, Any], model: type[Any]) -> None:
    """A field whose default is a SwedishChoice shows that default as the form's value
    (its label); pydantic writes the English word, which the dropdown does not offer."""
    properties = schema.get("properties")
    fields = getattr(model, "model_fields", {})
    if not isinstance(properties, dict):
        return
    for name, prop in properties.items():
        info = fields.get(name)
        if isinstance(prop, dict) and info is not None and isinstance(info.default, SwedishChoice):
            prop["default"] = info.default.label_sv


def code_of(value: Any) -> Any:
    """'ALN – Arbetslivsnämnden', as a form's dropdown sends it, is the code ALN."""
    if isinstance(value, str) and CODE_NAME_SEP in value:
        return value.split(CODE_NAME_SEP, 1)[0]
    return value


def code_and_name(code: str, name: str) -> str:
    return f"{code}{CODE_NAME_SEP}{name}" if name else code
