"""Disposal (gallring) by the informationshanteringsplan: which rule of an organ's plan
governs a handling, and from which day it may be disposed of.

A plan is a file per organ: its version, the decision it rests on (organ, date, §), and
rules per classification code and kind of handling, each "bevaras" (kept) or "gallras"
(disposed of) after a period counted from the errand's closing ("2 år efter ärendets
avslut"). The most specific rule wins: an exact classification code before a code that
begins it, an exact kind before any kind; with none, the handling is kept.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from arende.errors import InvalidInput

KEEP, DISPOSE = "bevaras", "gallras"


@dataclass(frozen=True)
class Rule:
    classification: str  # "1.1.7.1", "1.1" (every code that begins so) or "*"
    kind: str  # a handling's kind ("tjansteskrivelse") or "*"
    action: str  # bevaras or gallras
    years: int  # after the errand's closing
    months: int
    text: str  # as the plan says it, for the log

    def matches(self, classification: str | None, kind: str | None) -> bool:
        code_ok = self.classification == "*" or (
            classification is not None
            and (classification == self.classification or classification.startswith(self.classification + "."))
        )
        return code_ok and (self.kind == "*" or self.kind == (kind or ""))

    def weight(self) -> tuple[int, int]:
        code = -1 if self.classification == "*" else self.classification.count(".")
        return (code, 0 if self.kind == "*" else 1)


@dataclass(frozen=True)
class Plan:
    organ: str
    version: str
    decision: str  # "ALN 2021-11-16 § 140"
    rules: tuple[Rule, ...]

    def rule_for(self, classification: str | None, kind: str | None) -> Rule | None:
        matching = [r for r in self.rules if r.matches(classification, kind)]
        return max(matching, key=Rule.weight) if matching else None


def due_on(rule: Rule, closed_on: dt.date) -> dt.date:
    """The first day the handling may be disposed of: the period after the closing."""
    day: dt.date = closed_on + relativedelta(years=rule.years, months=rule.months)
    return day


def parse_plan(text: str, source: str = "plan") -> Plan:
    """A plan from its TOML text; InvalidInput naming the field and the problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput("plan", f"{source} is not valid TOML ({exc})") from None
    for key in ("organ", "version", "decision"):
        if not isinstance(data.get(key), str | dict) or not data.get(key):
            raise InvalidInput(key, f"{source} needs {key!r}")
    decision = data["decision"]
    if isinstance(decision, dict):
        decision = (
            f"{decision.get('organ', data['organ'])} {decision.get('date', '')} § {decision.get('paragraph', '')}"
        )
    rules = []
    for i, raw in enumerate(data.get("rule", []), start=1):
        action = str(raw.get("action", "")).strip().lower()
        if action not in (KEEP, DISPOSE):
            raise InvalidInput("action", f"{source}, rule {i}: action is {KEEP} or {DISPOSE}, not {action!r}")
        years, months = raw.get("years", 0), raw.get("months", 0)
        if not isinstance(years, int) or not isinstance(months, int) or years < 0 or months < 0:
            raise InvalidInput("years", f"{source}, rule {i}: years and months are whole numbers of 0 or more")
        if action == DISPOSE and years == 0 and months == 0:
            raise InvalidInput("years", f"{source}, rule {i}: a handling is disposed of after a period; give years")
        period = f"{years} år" + (f" {months} mån" if months else "")
        rules.append(
            Rule(
                classification=str(raw.get("classification", "*")).strip() or "*",
                kind=str(raw.get("kind", "*")).strip() or "*",
                action=action,
                years=years,
                months=months,
                text=str(
                    raw.get("text") or (f"{action} {period} efter ärendets avslut" if action == DISPOSE else KEEP)
                ),
            )
        )
    if not rules:
        raise InvalidInput("rule", f"{source} has no rules")
    return Plan(
        organ=str(data["organ"]).upper(), version=str(data["version"]), decision=str(decision), rules=tuple(rules)
    )
