import pytest

from arende.errors import InvalidInput
from arende.rules.dnr import Dnr, external_ref_key


@pytest.mark.parametrize("text", ["ALN 2022-00011 1.2.4.1", "KS 2021-00907", "ALN 2021-00124 3.4.4.25"])
def test_own_numbers_parse_and_format_back_identically(text):
    assert str(Dnr.parse(text)) == text


def test_parsed_parts_are_the_registry_year_sequence_and_code():
    dnr = Dnr.parse("ALN 2022-00011 1.2.4.1")
    assert (dnr.prefix, dnr.year, dnr.seq, dnr.code) == ("ALN", 2022, 11, "1.2.4.1")
    assert dnr.base == "ALN 2022-00011"
    assert dnr.slug == "ALN-2022-00011"


@pytest.mark.parametrize(
    "text", ["ALN 2022-11", "ALN-2022-00011", "aln 2022-00011", "ALN 2022-00011 1..2", "", "2022-00011"]
)
def test_malformed_own_numbers_are_refused_with_the_field_named(text):
    with pytest.raises(InvalidInput) as err:
        Dnr.parse(text)
    assert err.value.field == "dnr"


@pytest.mark.parametrize(
    "text", ["KS 2021-00907", "KS-2021-00907", " ks 2021-907 ", "Dnr: KS 2021-00907", "KS/2021/00907"]
)
def test_other_organs_references_match_however_they_are_written(text):
    assert external_ref_key(text) == "KS 2021-00907"


def test_an_unrecognisable_external_reference_is_still_accepted_verbatim():
    assert external_ref_key("Er ref 12/345-A") == "ER REF 12/345-A"


def test_an_empty_external_reference_is_refused():
    with pytest.raises(InvalidInput):
        external_ref_key("   ")
