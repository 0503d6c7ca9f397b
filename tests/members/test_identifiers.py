"""members/identifiers.py: the invented SIRETs and VAT numbers pass our own validators."""

import pytest

from members.identifiers import make_siret, vat_number_for
from members.validators import validate_siret, validate_vat_matches_siret, validate_vat_number


@pytest.mark.parametrize("seed", [0, 1, 97, 5600, 20_000, 99_999, 123_456_789])
def test_make_siret_gives_a_valid_siret_and_its_vat_number(seed):
    siret = make_siret(seed)

    validate_siret(siret)
    validate_vat_number(vat_number_for(siret))
    validate_vat_matches_siret(vat_number_for(siret), siret)


def test_make_siret_gives_one_company_per_seed():
    assert len({make_siret(seed)[:9] for seed in range(2_000)}) == 2_000


def test_vat_number_for_a_known_siren():
    assert vat_number_for("30326504500018") == "FR40303265045"  # the example of the VAT number's error
