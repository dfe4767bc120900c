"""The allocation rules, without a database: milliseconds each."""

import datetime as dt

from arende.rules.allocation import Allocation, Candidate, FundRule, allocate, why_not

D = dt.date.fromisoformat
GLASSES = FundRule("GLAS", frozenset({"glasögon"}), max_monthly_income=12000, max_grant=2000)
ANY = FundRule("ALLT", frozenset({"glasögon", "tandvård", "kläder"}), max_monthly_income=15000, max_grant=3000)
ELDERLY = FundRule("ALDRE", frozenset({"tandvård"}), min_age=65, residents_only=True)


def cand(i, purpose="glasögon", amount=1500, income=8000, age=40, resident=True, received="2022-03-10"):
    return Candidate(i, resident, age, income, purpose, amount, D(received))


def test_eligibility_names_the_rule_not_met():
    assert why_not(GLASSES, cand(1, purpose="tandvård")) == "ändamålet tandvård ingår inte"
    assert why_not(GLASSES, cand(1, resident=False)) == "inte bosatt i kommunen"
    assert why_not(ELDERLY, cand(1, purpose="tandvård", age=64)) == "under 65 år"
    assert why_not(GLASSES, cand(1, income=12001)) == "inkomst över fondens gräns"
    assert why_not(GLASSES, cand(1, age=17)) == "under 18 år"
    assert why_not(GLASSES, cand(1)) is None


def test_no_fund_pays_more_than_it_has():
    out = allocate([GLASSES], {"GLAS": 5000}, [cand(i, amount=2000) for i in range(1, 6)])
    paid = [a for a in out if a.fund_code]
    assert sum(a.amount for a in paid) == 5000
    assert [a.amount for a in paid] == [2000, 2000, 1000]  # the third gets what is left
    assert [a.rule for a in out if not a.fund_code] == ["fonderna som ansökan uppfyller är slut"] * 2


def test_each_application_is_paid_from_exactly_one_qualifying_fund():
    out = allocate(
        [GLASSES, ANY],
        {"GLAS": 10000, "ALLT": 10000},
        [cand(1), cand(2, purpose="kläder"), cand(3, purpose="tandvård", income=14000)],
    )
    by_id = {a.application_id: a for a in out}
    assert by_id[2].fund_code == "ALLT" and by_id[3].fund_code == "ALLT"
    assert len(out) == 3 and all(a.fund_code for a in out)


def test_the_lowest_income_per_person_is_served_first():
    out = allocate(
        [GLASSES],
        {"GLAS": 2000},
        [
            cand(1, income=9000, received="2022-03-01", amount=2000),
            cand(2, income=3000, received="2022-03-20", amount=2000),
        ],
    )
    assert [(a.application_id, a.amount) for a in out if a.fund_code] == [(2, 2000)]


def test_grants_are_capped_at_the_funds_maximum_and_the_rule_says_why():
    [a] = allocate([GLASSES], {"GLAS": 10000}, [cand(1, amount=5000)])
    assert a.amount == 2000 and "fondens högsta belopp" in a.rule


def test_an_application_no_fund_covers_says_why():
    [a] = allocate([GLASSES], {"GLAS": 10000}, [cand(1, resident=False)])
    assert (a.fund_code, a.amount) == (None, 0) and a.rule == "ingen fond: inte bosatt i kommunen"


def test_the_officers_adjustments_are_kept_and_paid_first():
    fixed = [Allocation(1, "GLAS", 1900, "justerat av handläggare")]
    out = allocate([GLASSES], {"GLAS": 3000}, [cand(1, amount=500), cand(2, amount=2000)], fixed)
    assert {a.application_id: a.amount for a in out} == {1: 1900, 2: 1100}


def test_the_same_input_gives_the_same_allocation():
    cands = [
        cand(i, purpose=p, income=inc)
        for i, (p, inc) in enumerate([("glasögon", 5000), ("kläder", 5000), ("tandvård", 9000)] * 20, start=1)
    ]
    assert allocate([GLASSES, ANY], {"GLAS": 9000, "ALLT": 20000}, cands) == allocate(
        [GLASSES, ANY], {"GLAS": 9000, "ALLT": 20000}, list(reversed(cands))
    )
