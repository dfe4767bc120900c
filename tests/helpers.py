"""Scenario helpers shared by tests: the seed remiss and its facts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

D = dt.date.fromisoformat


def remiss_start(**overrides):  # type: ignore[no-untyped-def]
    from arende.scenarios import remiss_start

    # Without its classification code the Dnr reads "ALN 2022-00001", which the tests type.
    return remiss_start(**{"classification": None, **overrides})


def officer(session=None, username: str = "anna", name: str = "Anna Lind") -> str:  # type: ignore[no-untyped-def]
    """The user name of an officer's account, made when missing (the seed's officer by default)."""
    from arende.services.accounts import ensure_account
    from db.session import session_scope

    if session is not None:
        return ensure_account(session, username, name)
    with session_scope() as own:
        return ensure_account(own, username, name)


def register(**overrides) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    from arende.services.remiss import start_remiss
    from db.session import session_scope

    start = remiss_start(**overrides)
    with session_scope() as session:
        errand, _ = start_remiss(session, start, registered_on=start.registered_on)
        return errand.id, errand.dnr


FACT_ORDER = ("assign", "draft", "fsg", "decision", "justering", "anslag")


def record_fact(dnr: str, name: str) -> None:
    """Record one human fact of the seed remiss (arende.scenarios) through its command
    handler, as the CLI records it, without moving the errand on."""
    from arende.commands.handlers import HANDLERS
    from arende.scenarios import remiss_facts
    from db.session import session_scope

    fact = remiss_facts(dnr)[FACT_ORDER.index(name)]
    with session_scope() as session:
        officer(session)  # the seed's officer, whom the assign fact names
        HANDLERS[type(fact.command)](session, fact.command)


def record_all_facts(dnr: str, *, upto: str = "anslag") -> None:
    """Record the seed remiss's facts in order, up to and including `upto`."""
    for name in FACT_ORDER[: FACT_ORDER.index(upto) + 1]:
        record_fact(dnr, name)


def fingerprint() -> dict[str, object]:
    """Everything a duplicate would show up in: counts per table, numbers, files."""
    from arende.settings import get_settings
    from db.models import (
        AuditEvent,
        Decision,
        DiarySequence,
        Distribution,
        Document,
        Errand,
        ErrandStep,
        OutboxMessage,
    )
    from db.session import session_scope

    with session_scope() as session:
        counts = {
            m.__tablename__: session.scalar(select(func.count()).select_from(m))
            for m in (Errand, Decision, Distribution, Document, OutboxMessage, ErrandStep)
        }
        errands = [(e.dnr, e.status) for e in session.scalars(select(Errand).order_by(Errand.id))]
        sequences = [(s.prefix, s.year, s.last_seq) for s in session.scalars(select(DiarySequence))]
        paragraphs = sorted(session.scalars(select(Decision.paragraph)))
        docs = sorted((d.kind or "", d.sha256 or "", d.description) for d in session.scalars(select(Document)))
        audit_errands = session.scalar(select(func.count()).select_from(AuditEvent)) > 0
    files = sorted(p.name for p in get_settings().effective_documents_dir.rglob("*") if p.is_file())
    return {
        "counts": counts,
        "errands": errands,
        "sequences": sequences,
        "paragraphs": paragraphs,
        "documents": docs,
        "files": files,
        "audited": audit_errands,
    }


PERSON = "rut"  # "utförd av" on the Prefect forms: an account (performer() makes it)


def performer(username: str = PERSON, name: str = "Rut Registrator", role: str = "registrator") -> str:
    """The account that fills in a Prefect form, made when missing; its user name."""
    from arende.services.accounts import ensure_account
    from db.session import session_scope

    with session_scope() as session:
        return ensure_account(session, username, name, role)


def advance_flow(errand_id: int) -> dict[str, object]:
    """Run the advance-errand flow for an errand, by its Dnr, as the CLI's runs do."""
    from db.models import Errand
    from db.session import session_scope
    from flows.errands import advance_errand

    with session_scope() as session:
        errand = session.get(Errand, errand_id)
        assert errand is not None
        dnr = errand.dnr
    return advance_errand(dnr=dnr)  # type: ignore[no-any-return]


def assert_crash_safe(run_flow, scenario, crash_after: str, monkeypatch) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Kill the flow right after the step `crash_after` has committed, run it again, and
    check it ends exactly where an uninterrupted run of the same scenario ends.

    `scenario()` records every fact in an empty database and returns the errand id;
    `run_flow(errand_id)` runs the errand's flow. Returns the final run's result."""
    import shutil

    import pytest

    import tasks.steps
    from arende.services.steps import run_step as real_run_step
    from arende.settings import get_settings

    from conftest import _empty_and_seed

    reference_result = run_flow(scenario())
    reference = fingerprint()
    _empty_and_seed(get_settings().effective_database_url)
    shutil.rmtree(get_settings().effective_documents_dir, ignore_errors=True)

    class Killed(Exception):
        pass

    def dying(step, errand_id):  # type: ignore[no-untyped-def]
        outcome = real_run_step(step, errand_id)  # committed
        if step.value == crash_after:
            raise Killed(step.value)
        return outcome

    errand_id = scenario()
    monkeypatch.setattr(tasks.steps, "run_step", dying)
    with pytest.raises(Killed):
        run_flow(errand_id)
    monkeypatch.setattr(tasks.steps, "run_step", real_run_step)
    result = run_flow(errand_id)
    assert (result["status"], result["waiting_at"]) == (reference_result["status"], reference_result["waiting_at"])
    assert fingerprint() == reference
    return result
