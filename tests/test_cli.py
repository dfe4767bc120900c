"""The command line as a registrator and a clerk use it."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import fingerprint, officer, record_all_facts, register

ROOT = Path(__file__).resolve().parent.parent

START = [
    "remiss",
    "start",
    "--organ",
    "ALN",
    "--sender",
    "KS",
    "--sender-dnr",
    "KS 2021-00907",
    "--title",
    "Yttrande över Remiss – Riktlinjer beställar-/utförarmodellen",
    "--received",
    "2022-01-19",
    "--reply-due",
    "2022-02-28",
    "--registered",
    "2022-01-19",
]


def cli(capsys, *args):
    from arende.cli import main

    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def replace(args, option, value):
    args = list(args)
    args[args.index(option) + 1] = value
    return args


def assert_refused(capsys, args, field):
    before = fingerprint()
    code, out, err = cli(capsys, *args)
    assert code == 2, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("arende: error: ") and field in lines[0], lines[0]
    assert "Traceback" not in err
    assert fingerprint() == before


def test_help_lists_the_commands_users_look_for(capsys):
    code, out, _ = cli(capsys, "--help")
    assert code == 0
    for command in (
        "remiss",
        "assign",
        "draft",
        "fsg",
        "decide",
        "justera",
        "anslag",
        "extract",
        "deadlines",
        "calendar",
        "errand",
        "document",
        "demo",
        "init",
    ):
        assert command in out


def test_remiss_start_prints_the_new_dnr_and_again_the_same_one(sqlite_db, capsys):
    code, out, _ = cli(capsys, *START, "--no-run")
    assert (code, out.strip()) == (0, "ALN 2022-00001")
    code, out, _ = cli(capsys, *replace(START, "--sender-dnr", "KS-2021-00907"), "--no-run")
    assert (code, out.strip()) == (0, "ALN 2022-00001 (already registered)")


@pytest.mark.parametrize(
    ("option", "value", "field"),
    [
        ("--organ", "XYZ", "organ"),
        ("--sender", "QQ", "sender"),
        ("--reply-due", "2022-01-01", "reply_due"),
        ("--received", "2022-02-30", "received"),
        ("--title", " ", "title"),
    ],
)
def test_remiss_start_refuses_bad_input_with_one_line_and_exit_2(db, capsys, option, value, field):
    assert_refused(capsys, [*replace(START, option, value), "--no-run"], field)


def test_a_malformed_dnr_is_refused(db, capsys):
    assert_refused(capsys, ["assign", "ALN 22-0001", "--officer", "anna", "--no-run"], "dnr")


def test_an_unknown_stance_is_refused(db, capsys):
    _, dnr = register()
    record_all_facts(dnr, upto="assign")
    assert_refused(capsys, ["draft", dnr, "--stance", "kanske", "--summary", "S", "--text", "T", "--no-run"], "stance")


def test_a_decision_before_fsg_on_a_significant_change_is_refused(db, capsys):
    _, dnr = register(significant_change=True)
    record_all_facts(dnr, upto="draft")
    assert_refused(capsys, ["decide", dnr, "--meeting", "2022-02-15", "--paragraph", "14", "--no-run"], "fsg")


def test_a_paragraph_already_taken_is_refused(db, capsys):
    _, first = register(sender_dnr="KS 2021-00001")
    _, second = register(sender_dnr="KS 2021-00002")
    record_all_facts(first, upto="decision")
    record_all_facts(second, upto="fsg")
    assert_refused(capsys, ["decide", second, "--meeting", "2022-02-15", "--paragraph", "14", "--no-run"], "paragraph")


def test_facts_recorded_from_the_cli_reach_the_database(sqlite_db, capsys):
    from helpers import D

    _, dnr = register()
    officer()  # the account the officer is appointed as
    assert cli(capsys, "assign", dnr, "--officer", "anna", "--date", "2022-01-20", "--no-run")[0] == 0
    assert (
        cli(
            capsys,
            "draft",
            dnr,
            "--stance",
            "avstår",
            "--summary",
            "Kort.",
            "--text",
            "Ärendet.",
            "--attachment",
            "Bilaga 1",
            "--date",
            "2022-02-01",
            "--no-run",
        )[0]
        == 0
    )
    # The Swedish words of Prefect's form are taken as well as the English values.
    assert cli(capsys, "fsg", dnr, "--date", "2022-02-03", "--kind", "förhandling", "--no-run")[0] == 0
    assert (
        cli(capsys, "decide", dnr, "--meeting", "2022-02-15", "--outcome", "bifall till förslaget", "--no-run")[0] == 0
    )
    assert (
        cli(capsys, "justera", "ALN", "2022-02-15", "--date", "2022-02-18", "--justerare", "Sara Holm", "--no-run")[0]
        == 0
    )
    assert cli(capsys, "anslag", "ALN", "2022-02-15", "--date", "2022-02-18", "--no-run")[0] == 0
    from sqlalchemy import select

    from arende.services.queries import errand_view
    from db.session import session_scope

    with session_scope() as session:
        view = errand_view(session, dnr)
    assert view.decision.startswith("ALN 2022-02-15 § 1: Arbetslivsnämnden avstår remiss om")
    assert view.appeal_ends_on == D("2022-03-11")
    with session_scope() as session:
        from db.models import Decision, FsgConsultation

        assert session.scalar(select(FsgConsultation.kind)) == "negotiation"
        assert session.scalar(select(Decision.outcome)) == "passed"


def test_calendar_prints_the_last_day_by_the_law(capsys):
    assert cli(capsys, "calendar", "--from", "2022-02-21", "--weeks", "3")[1].strip() == "2022-03-14"
    assert cli(capsys, "calendar", "--from", "2022-06-03", "--weeks", "3")[1].strip() == "2022-06-27"
    assert cli(capsys, "calendar", "--from", "2023-01-02", "--months", "-9")[1].strip() == "2022-04-04"


def test_calendar_needs_exactly_one_period(capsys):
    code, _, err = cli(capsys, "calendar", "--from", "2022-02-21", "--weeks", "3", "--days", "1")
    assert code == 2 and err.strip() == "arende: error: period: give exactly one of --days, --weeks, --months, --years"


def test_deadlines_lists_open_ones_soonest_first_with_days_left(sqlite_db, capsys, monkeypatch):
    from arende.settings import reset_settings

    register(sender_dnr="KS 2021-00001", reply_due=__import__("datetime").date(2022, 3, 31))
    register(sender_dnr="KS 2021-00002")
    monkeypatch.setenv("ARENDE_TODAY", "2022-02-20")
    reset_settings()
    code, out, _ = cli(capsys, "deadlines", "--json")
    rows = json.loads(out)
    assert [(r["dnr"], r["due_on"], r["days_left"], r["overdue"]) for r in rows] == [
        ("ALN 2022-00002", "2022-02-28", 8, False),
        ("ALN 2022-00001", "2022-03-31", 39, False),
    ]
    code, out, _ = cli(capsys, "deadlines", "--within", "14d", "--json")
    assert [r["dnr"] for r in json.loads(out)] == ["ALN 2022-00002"]
    monkeypatch.setenv("ARENDE_TODAY", "2022-03-02")
    reset_settings()
    code, out, _ = cli(capsys, "deadlines")
    assert "OVERDUE 2 d" in out.splitlines()[0]
    assert_refused(capsys, ["deadlines", "--within", "soon"], "within:")


def test_extract_writes_the_protocol_extract_of_a_decided_errand(sqlite_db, capsys, tmp_path):
    from arende.documents import docx_text

    _, dnr = register()
    record_all_facts(dnr, upto="decision")
    out_file = tmp_path / "utdrag.docx"
    code, out, _ = cli(capsys, "extract", dnr, "--out", str(out_file))
    assert code == 0 and "sha256" in out
    text = docx_text(out_file.read_bytes())
    assert "§ 14\tDnr ALN 2022-00001" in text and "Protokollet är ännu inte justerat." in text
    # Asking again gives the same file and registers nothing new.
    before = fingerprint()
    cli(capsys, "extract", dnr, "--out", str(out_file))
    assert fingerprint() == before


def test_extract_of_an_undecided_errand_is_refused(db, capsys, tmp_path):
    _, dnr = register()
    assert_refused(capsys, ["extract", dnr, "--out", str(tmp_path / "x.docx")], "dnr")


def test_document_add_with_secrecy_and_the_public_listing(sqlite_db, capsys):
    _, dnr = register()
    code, out, _ = cli(
        capsys,
        "document",
        "add",
        dnr,
        "--direction",
        "incoming",
        "--counterpart",
        "Anna Andersson",
        "--description",
        "Uppgifter om enskild",
        "--date",
        "2022-01-25",
        "--secrecy",
        "OSL 26:1",
    )
    assert (code, out.strip()) == (0, f"{dnr} handling 2")
    _, out, _ = cli(capsys, "document", "list", dnr, "--public")
    assert "Anna Andersson" not in out and "(sekretess)" in out and "OSL 26:1" in out
    # The registrator's own listing hides a secret document's counterpart too, unless
    # asked for; asking is audited.
    _, out, _ = cli(capsys, "document", "list", dnr)
    assert "Anna Andersson" not in out and "(sekretess – visas med --show-secret)" in out
    _, out, _ = cli(capsys, "errand", "show", dnr, "--json")
    assert "Anna Andersson" not in out
    _, out, _ = cli(capsys, "document", "list", dnr, "--show-secret")
    assert "Anna Andersson" in out
    _, out, _ = cli(capsys, "errand", "show", dnr, "--json", "--show-secret")
    view = json.loads(out)
    assert view["documents"][1]["counterpart"] == "Anna Andersson"
    _, out, _ = cli(capsys, "errand", "show", dnr, "--json")
    shown = [e for e in json.loads(out)["audit"] if e["action"] == "document.secret_shown"]
    assert [(e["actor"], e["after"]) for e in shown] == [("test", {"documents": [2]})] * 2
    assert_refused(
        capsys,
        ["document", "add", dnr, "--direction", "sideways", "--counterpart", "X", "--description", "Y"],
        "direction",
    )


def test_errand_show_tells_status_steps_deadlines_and_audit(sqlite_db, capsys):
    _, dnr = register()
    code, out, _ = cli(capsys, "errand", "show", dnr, "--json")
    view = json.loads(out)
    assert view["status"] == "registered" and view["steps"][1]["state"] == "waiting"
    assert view["deadlines"][0]["due_on"] == "2022-02-28"
    assert view["audit"][0]["action"] == "errand.registered"
    code, out, _ = cli(capsys, "errand", "show", dnr)
    assert code == 0 and "Remissvar till Kommunstyrelsen" in out


@pytest.mark.flows  # a fresh interpreter: the slow set
def test_clerk_commands_do_not_import_prefect(sqlite_db, tmp_path):
    """The read commands and the extract, run one after another in one process (as the
    agent's child would), leave Prefect unimported and print what the user asked for."""
    _, dnr = register()
    record_all_facts(dnr, upto="decision")
    commands = [
        ["calendar", "--from", "2022-02-21", "--weeks", "3"],
        ["deadlines", "--json"],
        ["extract", dnr, "--out", str(tmp_path / "x.docx")],
    ]
    probe = (
        "import json, sys; from arende.cli import main\n"
        "for args in json.loads(sys.argv[1]):\n"
        "    code = main(args)\n"
        "    print('exit', code, flush=True)\n"
        "    if code: sys.exit(code)\n"
        "sys.exit(3 if any(m == 'prefect' or m.startswith('prefect.') for m in sys.modules) else 0)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", probe, json.dumps(commands)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("exit 0") == 3
    assert "2022-03-14" in proc.stdout  # the calendar's last day of a three-week period
    assert dnr in proc.stdout  # the deadlines
    assert (tmp_path / "x.docx").stat().st_size > 0


NO_PREFECT = (
    "import sys; from arende.cli import main; code = main(sys.argv[1:]); "
    "sys.exit(3 if any(m == 'prefect' or m.startswith('prefect.') for m in sys.modules) else code)"
)


@pytest.mark.flows  # a fresh interpreter: the slow set
def test_on_the_embedded_default_a_fact_moves_the_errand_on_in_process_without_prefect(sqlite_db, tmp_path):
    _, dnr = register()
    officer()  # the account the officer is appointed as
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")} | {"PREFECT_HOME": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-c", NO_PREFECT, "assign", dnr, "--officer", "anna", "--date", "2022-01-20"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert (proc.returncode, proc.stderr) == (0, "")
    assert proc.stdout == f"{dnr}: handläggare utsedd, väntar på tjänsteskrivelsen\n"
    view = _show(dnr)
    assert view["status"] == "assigned" and view["pending_advance"] is None


@pytest.mark.flows
@pytest.mark.usefixtures("prefect")
def test_with_a_prefect_api_a_fact_creates_a_flow_run_that_a_worker_completes(sqlite_db):
    """The production path: `arende assign` records the fact and a pending advance,
    creates a flow run of the advance-errand deployment (by Dnr) over REST and returns without
    importing Prefect; a worker's process runs it; the advance is settled."""
    from prefect.settings import PREFECT_API_URL

    from flows.errands import advance_errand

    _, dnr = register()
    officer()  # the account the officer is appointed as
    advance_errand.to_deployment(name="advance-errand").apply()
    env = os.environ | {"PREFECT_API_URL": PREFECT_API_URL.value()}
    proc = subprocess.run(
        [sys.executable, "-c", NO_PREFECT, "assign", dnr, "--officer", "anna", "--date", "2022-01-20"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert re.fullmatch(
        rf"{dnr}: flow run [0-9a-f-]{{36}} created \(deployment advance-errand/advance-errand\)\n", proc.stdout
    )
    flow_run_id = proc.stdout.split()[4]
    view = _show(dnr)
    assert view["status"] == "registered"  # recorded, not yet moved on
    assert view["pending_advance"]["flow_run_id"] == flow_run_id and view["pending_advance"]["reason"] == "assign"

    done = subprocess.run(
        [sys.executable, "-m", "prefect", "flow-run", "execute", flow_run_id],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    view = _show(dnr)
    assert view["status"] == "assigned" and view["pending_advance"] is None


@pytest.mark.flows  # a fresh interpreter: the slow set
def test_when_the_prefect_api_does_not_answer_the_fact_stays_recorded_and_pending(sqlite_db, capsys, monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    from smtp import free_port

    _, dnr = register()
    officer()  # the account the officer is appointed as
    env = os.environ | {"PREFECT_API_URL": f"http://127.0.0.1:{free_port()}/api"}
    proc = subprocess.run(
        [sys.executable, "-m", "arende.cli", "assign", dnr, "--officer", "anna", "--date", "2022-01-20"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 0 and proc.stdout == ""
    assert proc.stderr.startswith(f"arende: warning: {dnr}: recorded, but no flow run:")
    pending = _show(dnr)["pending_advance"]
    assert pending["attempts"] == 1 and "not answering" in pending["last_error"]
    # Without the API the next run moves it on in-process and settles it.
    code, out, _ = cli(capsys, "errand", "run", dnr)
    assert (code, out) == (0, f"{dnr}: handläggare utsedd, väntar på tjänsteskrivelsen\n")
    assert _show(dnr)["pending_advance"] is None


def _show(dnr):
    import contextlib
    import io

    from arende.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["errand", "show", dnr, "--json"]) == 0
    return json.loads(out.getvalue())


def test_a_dnr_may_be_typed_without_quotes(sqlite_db, capsys):
    _, dnr = register()
    code, out, _ = cli(capsys, "errand", "show", "ALN", "2022-00001", "--json")
    assert code == 0 and json.loads(out)["dnr"] == dnr


def test_every_fact_and_start_command_has_exactly_its_models_fields():
    """The CLI is generated from the command vocabulary: no option is declared by hand,
    so the command line and the Prefect forms cannot drift apart."""
    from arende.cli import click_command
    from arende.commands.adapter import _option_name
    from arende.commands.handlers import start_commands
    from arende.commands.vocabulary import FACTS

    root = click_command()
    for model in [*FACTS, *(m for m, _ in start_commands())]:
        command = root
        for word in model.verb:
            command = command.commands[word]
        # A keyword option (`--from`) has a parameter named `from_`.
        options = {p.name.removesuffix("_") for p in command.params} - {"no_run", "help"}
        expected = {_option_name(n, f) for n, f in model.model_fields.items()}
        expected |= {
            f"{n}_file"
            for n, f in model.model_fields.items()
            if isinstance(f.json_schema_extra, dict) and f.json_schema_extra.get("cli_from_file")
        }
        assert options == expected, model.__name__
        assert ("no_run" in {p.name for p in command.params}) == getattr(model, "moves_errands", True)


def test_user_add_reads_the_password_from_stdin_and_refuses_mistakes_in_one_line(sqlite_db, capsys, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("korrekt-häst-batteri\n"))
    code, out, _ = cli(capsys, "user", "add", "sara", "--name", "Sara Holm", "--role", "sekreterare")
    assert code == 0 and out.strip() == "sara: Sara Holm (Nämndsekreterare)"
    monkeypatch.setattr("sys.stdin", io.StringIO("korrekt-häst-batteri\n"))
    assert_refused(capsys, ["user", "add", "sara", "--name", "Sara Holm", "--role", "sekreterare"], "username")
    monkeypatch.setattr("sys.stdin", io.StringIO("korrekt-häst-batteri\n"))
    assert_refused(capsys, ["user", "add", "olle", "--name", "Olle", "--role", "chef"], "role")
    monkeypatch.setattr("sys.stdin", io.StringIO("kort\n"))
    assert_refused(capsys, ["user", "add", "olle", "--name", "Olle", "--role", "lasare"], "password")
    assert_refused(capsys, ["user", "role", "nobody", "lasare"], "username")
    code, out, _ = cli(capsys, "user", "list")
    assert "sara" in out and "Nämndsekreterare" in out and "olle" not in out


def test_web_demo_of_a_folder_without_a_demo_is_one_line(capsys, tmp_path):
    code, out, err = cli(capsys, "web", "--demo", str(tmp_path))
    assert code == 2 and err.strip().startswith("arende: error: demo: ") and len(err.strip().splitlines()) == 1


def test_templates_with_a_missing_folder_says_so_in_one_line(capsys, monkeypatch, tmp_path):
    from arende.settings import reset_settings

    for folder, said in ((tmp_path / "saknas", "is not a folder"), (tmp_path, "holds no .docx templates")):
        monkeypatch.setenv("ARENDE_TEMPLATES_DIR", str(folder))
        reset_settings()
        code, _, err = cli(capsys, "templates")
        assert (
            code == 2
            and err
            == f"arende: error: ARENDE_TEMPLATES_DIR: {folder} {said}; set it to the folder of the Word templates\n"
        )
    monkeypatch.delenv("ARENDE_TEMPLATES_DIR")
    reset_settings()


def test_an_outside_sender_is_registered_by_name_and_a_mistyped_code_is_refused(db, capsys):
    from arende.services.queries import errand_view
    from db.session import session_scope

    start = ["remiss", "start", "--organ", "ALN", "--sender-dnr", "Dnr 101-1234-2022", "--title", "Remiss om vatten",
             "--received", "2022-01-19", "--reply-due", "2022-02-28", "--no-run"]  # fmt: skip
    code, out, err = cli(capsys, *start, "--sender", "Länsstyrelsen i Västra Götalands län")
    assert code == 0, err
    dnr = out.splitlines()[0]
    with session_scope() as session:
        view = errand_view(session, dnr)
        assert view.counterpart == "Länsstyrelsen i Västra Götalands län"
        assert [d["recipient"] for d in view.distribution] in ([], ["Länsstyrelsen i Västra Götalands län"])
    code, _, err = cli(capsys, *start, "--sender", "KZ")
    assert code == 2 and err.startswith("arende: error: sender:"), err


def test_the_help_line_is_swedish_on_every_command(capsys):
    for args in (["--help"], ["assign", "--help"], ["meeting", "plan", "--help"], ["user", "add", "--help"]):
        code, out, _ = cli(capsys, *args)
        assert code == 0 and "Visa den här hjälpen och avsluta." in out and "Show this message" not in out, args


def test_init_on_a_database_a_newer_version_migrated_is_one_line(capsys, monkeypatch, tmp_path):
    import sqlite3

    from arende.settings import reset_settings
    from db.session import forget_engines

    monkeypatch.setenv("ARENDE_DATABASE_URL", f"sqlite:///{tmp_path / 'a.db'}")
    monkeypatch.setenv("ARENDE_VAR_DIR", str(tmp_path / "var"))
    reset_settings()
    code, out, _ = cli(capsys, "init")
    assert code == 0 and out.splitlines()[1].startswith("organs from ") and "organs.toml" in out
    with sqlite3.connect(tmp_path / "a.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099'")
    forget_engines()
    code, _, err = cli(capsys, "init")
    from db.migrate import SCHEMA_HEAD

    assert code == 2 and err == (
        f"arende: error: database: schema 0099 is newer than this version of arende knows ({SCHEMA_HEAD}); "
        "upgrade arende\n"
    )
    forget_engines()
    monkeypatch.delenv("ARENDE_DATABASE_URL")
    reset_settings()


def test_the_extract_says_how_the_decision_is_appealed_by_its_kind(sqlite_db, capsys, tmp_path):
    """A remissyttrande cannot be appealed (KL 13:2); a § that says otherwise carries its
    own route: a laglighetsprövning once the notice is posted, with its last day."""
    from arende.documents import docx_text

    _, other = register(sender_dnr="KS 2021-00908")
    record_all_facts(other, upto="decision")
    _, dnr = register()
    record_all_facts(dnr, upto="fsg")
    assert cli(capsys, "decide", dnr, "--meeting", "2022-02-15", "--appeal", "laglighetsprövning", "--no-run")[0] == 0
    cli(capsys, "extract", dnr, "--out", str(tmp_path / "a.docx"))
    text = docx_text((tmp_path / "a.docx").read_bytes())
    assert "överklag" not in text  # before the notice is posted, nothing is said
    assert cli(capsys, "justera", "ALN", "2022-02-15", "--date", "2022-02-18", "--justerare", "Sara Holm")[0] == 0
    assert cli(capsys, "anslag", "ALN", "2022-02-15", "--date", "2022-02-21")[0] == 0
    cli(capsys, "extract", dnr, "--out", str(tmp_path / "b.docx"))
    text = docx_text((tmp_path / "b.docx").read_bytes())
    assert "laglighetsprövning enligt 13 kap. 5 § kommunallagen" in text and "senast 14 mars 2022" in text

    cli(capsys, "extract", other, "--out", str(tmp_path / "c.docx"))
    text = docx_text((tmp_path / "c.docx").read_bytes())
    assert "Beslutet är av beredande eller verkställande art och kan inte överklagas" in text
    assert "laglighetsprövning" not in text
