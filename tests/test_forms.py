"""The Prefect forms as an administrator meets them: each start form required and in
order with Swedish titles, organs as a dropdown, a separate deployment that advances an
errand by its Dnr; a mistake ends the run Failed with one Swedish line naming the field,
nothing written; the audit trail names the person who filled the form in."""

from __future__ import annotations

import pytest

from helpers import fingerprint, officer, performer, record_all_facts, register

GOOD = {
    "organ": "ALN",
    "sender": "KS",
    "sender_dnr": "KS 2021-00907",
    "title": "Yttrande över Remiss – Riktlinjer beställar-/utförarmodellen",
    "received_on": "2022-01-19",
    "reply_due": "2022-02-28",
    "registered_on": "2022-01-19",
}


@pytest.mark.flows  # loads every flow, and Prefect with them
def test_every_start_form_is_required_titled_in_swedish_and_numbered_in_order():
    from flows.errands import FLOWS, advance_errand

    for name, flow in FLOWS.items():
        schema = flow.parameters.model_dump()
        assert schema["required"] == ["start", "utförd_av"], name
        assert "anyOf" not in schema["properties"]["start"], name  # no "None" toggle
        [definition] = (
            schema["definitions"].values()
            if len(schema["definitions"]) == 1
            else [d for d in schema["definitions"].values() if d.get("title", "").endswith("Start")]
        )
        fields = definition["properties"]
        assert [f["position"] for f in fields.values()] == list(range(len(fields))), name
        for field, prop in fields.items():
            # pydantic's default title is the field name capitalised ("Reply Due")
            assert prop["title"] != field.replace("_", " ").title(), (name, field)
            # an optional field is a plain field left empty, not a "date | None" switch
            assert "anyOf" not in prop, (name, field)
    remiss = FLOWS["remiss"].parameters.model_dump()["definitions"]["RemissStart"]["properties"]
    assert remiss["reply_due"]["title"] == "Svar senast"
    # a dropdown of the organs, by code and name
    assert {"ALN – Arbetslivsnämnden", "KS – Kommunstyrelsen"} <= set(remiss["organ"]["enum"])
    assert advance_errand.parameters.model_dump()["required"] == ["dnr"]


@pytest.mark.usefixtures("prefect")
@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (
            GOOD | {"reply_due": "2022-01-01"},
            "Rätta formuläret: Svar senast (reply_due): sista svarsdag ligger före dagen då handlingen kom in",
        ),
        (GOOD | {"received_on": "2022-02-31"}, "Rätta formuläret: Inkom (received_on): är inte ett datum"),
        ({k: v for k, v in GOOD.items() if k != "title"}, "Rätta formuläret: Ärendemening (title): måste fyllas i"),
        (GOOD | {"title": "x" * 600}, "Rätta formuläret: Ärendemening (title): är för lång (högst 500 tecken)"),
        (GOOD | {"organ": "XYZ"}, "Rätta formuläret: Nämnd (organ): okänd nämnd 'XYZ'"),  # by the database
        (GOOD | {"title": "Remiss\u202eom"}, "Rätta formuläret: Ärendemening (title): innehåller styrtecknet U+202E"),
    ],
    ids=["date-order", "impossible-date", "missing", "too-long", "unknown-organ", "bidi"],
)
def test_a_mistake_in_a_start_form_fails_the_run_with_one_swedish_line_and_writes_nothing(sqlite_db, start, expected):
    from flows.errands import remiss

    before = fingerprint()
    state = remiss(start=start, utförd_av=performer(), return_state=True)
    assert state.is_failed()
    assert state.message.startswith(expected) and "\n" not in state.message, state.message
    assert "Traceback" not in state.message
    assert fingerprint() == before


@pytest.mark.usefixtures("prefect")
def test_a_form_without_utford_av_is_refused(sqlite_db):
    from flows.errands import remiss

    state = remiss(start=GOOD, utförd_av=" ", return_state=True)
    assert state.is_failed() and state.message.startswith("Rätta formuläret: utförd_av: '' är inget användarnamn")


@pytest.mark.usefixtures("prefect")
def test_the_actor_on_a_form_is_an_active_account_whose_role_may_act(sqlite_db):
    """Anyone who reaches the Prefect UI can type a name: only an account that may give
    the command is recorded as its actor; any other run fails before anything is written."""
    from arende.services.accounts import set_active
    from db.session import session_scope
    from flows.errands import remiss

    performer("olle", "Olle Läsare", "lasare")
    performer("bo", "Bo Slutat", "registrator")
    with session_scope() as session:
        set_active(session, "bo", False)
    before = fingerprint()
    for who, said in (
        ("Sara Holm", "'sara holm' är inget användarnamn; ange kontot (t.ex. anna)"),
        ("nobody", "'nobody' är inget aktivt konto i Ärende"),
        ("bo", "'bo' är inget aktivt konto i Ärende"),
        ("olle", "olle (läsare) får inte göra detta"),
    ):
        state = remiss(start=GOOD, utförd_av=who, return_state=True)
        assert state.is_failed() and state.message == f"Rätta formuläret: utförd_av: {said}", state.message
    assert fingerprint() == before


@pytest.mark.usefixtures("prefect")
def test_the_person_on_the_form_is_the_actor_and_the_errand_advances_by_its_dnr(sqlite_db):
    from arende.services.queries import errand_view
    from db.session import session_scope
    from flows.errands import advance_errand, remiss
    from flows.facts import record_assign

    result = remiss(start=GOOD, utförd_av=performer())
    assert (result["dnr"], result["status"]) == ("ALN 2022-00001", "registered")
    officer()
    assigned = record_assign(
        fact={"dnr": "ALN 2022-00001", "officer": "anna", "date": "2022-01-20"},
        utförd_av=performer("sara", "Sara Sekreterare", "sekreterare"),
    )
    assert assigned[0]["status"] == "assigned"
    with session_scope() as session:
        view = errand_view(session, "ALN 2022-00001")
    audit = {(e["action"], e["actor"]) for e in view.audit}
    # The account, shown with its name, and that it came through a Prefect form.
    assert ("errand.registered", "Rut Registrator (rut)") in audit
    assert ("fact.assigned", "Sara Sekreterare (sara)") in audit
    assert next(e for e in view.audit if e["action"] == "fact.assigned")["after"]["via"] == "prefect"
    assert advance_errand(dnr="ALN 2022-00001")["waiting_at"] == "draft"
    state = advance_errand(dnr="ALN 2022-00099", return_state=True)
    assert state.message == "Rätta formuläret: Diarienummer (dnr): det finns inget ärende ALN 2022-00099", state.message


@pytest.mark.usefixtures("prefect")
def test_a_refused_fact_fails_the_run_with_one_line_and_writes_nothing(sqlite_db):
    from flows.facts import record_decision

    _, dnr = register()
    record_all_facts(dnr, upto="decision")  # § 14 of 2022-02-15 is taken
    _, other = register(sender_dnr="KS 2021-00908")
    record_all_facts(other, upto="fsg")
    before = fingerprint()
    state = record_decision(
        fact={"dnr": other, "meeting": "2022-02-15", "paragraph": 14},
        utförd_av=performer("sara", "Sara Sekreterare", "sekreterare"),
        return_state=True,
    )
    assert state.is_failed()
    assert state.message == f"Rätta formuläret: Paragraf (paragraph): ALN 2022 § 14 är redan tagen av {dnr}"
    assert "\n" not in state.message
    assert fingerprint() == before


@pytest.mark.usefixtures("prefect")
def test_the_form_keeps_its_field_order_as_stored_by_the_prefect_server(sqlite_db):
    """The server keeps the schema in its database (jsonb on PostgreSQL reorders keys); the
    UI orders fields by `position`, which survives."""
    from prefect.client.orchestration import get_client

    from arende.services.remiss import RemissStart
    from flows.errands import remiss

    deployment_id = remiss.to_deployment(name="remiss").apply()
    with get_client(sync_client=True) as client:
        stored = client.read_deployment(deployment_id).parameter_openapi_schema
    fields = stored["definitions"]["RemissStart"]["properties"]
    assert sorted(fields, key=lambda name: fields[name]["position"]) == list(RemissStart.model_fields)
    assert [p for p, _ in sorted(stored["properties"].items(), key=lambda kv: kv[1]["position"])] == [
        "start",
        "utförd_av",
    ]


@pytest.mark.usefixtures("prefect")
def test_the_forms_swedish_words_are_what_is_recorded(sqlite_db):
    """What Prefect's form sends: the Swedish word its dropdown shows (the FSG kind), the
    organ as "ALN – Arbetslivsnämnden"; the record keeps the code and the English value."""
    from sqlalchemy import select

    from arende.services.queries import errand_view
    from db.models import FsgConsultation
    from db.session import session_scope
    from flows.errands import remiss
    from flows.facts import record_fsg

    result = remiss(start=GOOD | {"organ": "ALN – Arbetslivsnämnden"}, utförd_av=performer())
    dnr = result["dnr"]
    assert dnr == "ALN 2022-00001"
    record_all_facts(dnr, upto="draft")
    sara = performer("sara", "Sara Sekreterare", "sekreterare")
    done = record_fsg(fact={"dnr": dnr, "date": "2022-02-03", "kind": "Förhandling (MBL § 11)"}, utförd_av=sara)
    assert done[0]["status"] == "fsg_done"
    with session_scope() as session:
        assert session.scalars(select(FsgConsultation.kind)).all() == ["negotiation"]
        assert errand_view(session, dnr).status == "fsg_done"


@pytest.mark.usefixtures("prefect")
def test_the_donation_forms_amounts_are_a_list_of_fund_and_kronor(sqlite_db):
    from sqlalchemy import select

    from arende.services.donations import load_funds
    from arende.settings import get_settings
    from db.models import Fund, RoundFund
    from db.session import session_scope
    from flows.errands import donation_payout

    with session_scope() as session:
        load_funds(session, get_settings().funds_file)
    schema = donation_payout.parameters.model_dump()["definitions"]
    assert schema["DonationStart"]["properties"]["available"]["type"] == "array"
    assert "SAMFOND1 – Borås Stads sociala samfond 1" in schema["FundAmount"]["properties"]["fund"]["enum"]
    start = {
        "organ": "ALN – Arbetslivsnämnden",
        "year": 2022,
        "available": [
            {"fund": "SAMFOND1 – Borås Stads sociala samfond 1", "amount": 80000},
            {"fund": "BJORNSSON", "amount": 5000},
        ],
        "registered_on": "2022-02-20",
    }
    twice = start | {"available": [*start["available"], {"fund": "SAMFOND1", "amount": 1}]}
    state = donation_payout(start=twice, utförd_av=performer(), return_state=True)
    assert state.message == "Rätta formuläret: Att dela ut (available): fonden SAMFOND1 står två gånger"
    result = donation_payout(start=start, utförd_av=performer())
    assert result["dnr"].startswith("ALN 2022-00001")
    with session_scope() as session:
        rows = session.execute(select(Fund.code, RoundFund.available).join(Fund, Fund.id == RoundFund.fund_id)).all()
    assert sorted(rows) == [("BJORNSSON", 5000), ("SAMFOND1", 80000)]
