"""Swedish wording for documents and messages."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from babel.numbers import format_decimal


def long_date(day: dt.date | None) -> str:
    """'15 februari 2022', as the seed documents write dates in running text."""
    if day is None:
        return ""
    return format_date(day, format="d MMMM y", locale="sv_SE")


def genitive(name: str) -> str:
    """'Arbetslivsnämnden' -> 'Arbetslivsnämndens'; names already ending in s are left alone."""
    return name if name.endswith(("s", "x", "z")) else name + "s"


def number(value: float | int | None) -> str:
    """'243 250', '3,5': Swedish digit grouping and decimal comma."""
    if value is None:
        return "–"
    return format_decimal(value, locale="sv_SE")
