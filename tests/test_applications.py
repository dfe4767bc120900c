"""One row of the e-service's export, as the pure rules read it: clean values out, or
the column and the problem, never the personal data itself."""

from __future__ import annotations

import datetime as dt

import pytest

from arende.rules.applications import COLUMNS, parse_application

ROW = dict(
    zip(
        COLUMNS,
        "2022-03-02;Hemlig Testperson;19811218-9876;Allégatan 1;50332;Borås;Borås;2;14000;"
        "glasögon;1800;8327-9 123 456 789-0".split(";"),
        strict=True,
    )
)
WINDOW_CLOSES = dt.date(2022, 3, 31)


def test_a_good_row_gives_the_values_the_rules_need():
    v = parse_application(ROW, WINDOW_CLOSES)
    assert (v["pnr"], v["age"], v["household"], v["income"], v["purpose"], v["amount"]) == (
        "19811218-9876",  # compact() keeps the separator
        40,
        2,
        14000,
        "glasögon",
        1800,
    )
    assert v["account"] == "832791234567890" and v["address"] == "Allégatan 1 50332 Borås"


@pytest.mark.parametrize(
    ("column", "value", "problem"),
    [
        ("namn", "Hemlig\x00Testperson", "namn: contains a control character"),
        ("namn", "Hemlig\nTestperson", "namn: contains a control character"),
        ("adress", "Allégatan 1\u202e", "adress: contains a control character"),
        ("personnummer", "19811218-9877", "personnummer: not a valid personnummer"),
        ("syfte", "semester", "syfte: not one of"),
        ("konto", "123", "konto: not a Swedish bank account"),
        ("inkomst", "-5", "inkomst: not a whole number from 0 to 1000000000"),
        ("belopp", "99999999999999999999", "belopp: not a whole number from 1 to 1000000"),
        ("hushall", "9223372036854775808", "hushall: not a whole number from 1 to 99"),
        ("belopp", "٣٠٠", "belopp: not a whole number"),
        ("inkommen", "2022-02-30", "inkommen: not a date"),
        ("namn", "  ", "namn: missing"),
    ],
)
def test_a_bad_row_names_the_column_and_never_the_value(column, value, problem):
    with pytest.raises(ValueError) as err:
        parse_application(ROW | {column: value}, WINDOW_CLOSES)
    assert str(err.value).startswith(problem)
    assert value.strip() == "" or value not in str(err.value)
