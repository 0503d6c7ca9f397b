"""demo/data.py: the demo's companies have valid identifiers and real NAF codes."""

import pytest

from demo.data import MORBIHAN_COMPANIES, SPONSOR_COMPANIES
from members.identifiers import make_siret, vat_number_for
from members.validators import validate_naf_code, validate_siret, validate_vat_number


def _demo_seeds():
    """The seeds the demo's builders (demo/builders/) give make_siret."""
    return (
        list(range(1, len(MORBIHAN_COMPANIES) + 1))
        + [900 + index for index in range(1, len(SPONSOR_COMPANIES) + 1)]
        + [3501, 3502, 3500, 5600]
    )


@pytest.mark.parametrize("seed", _demo_seeds())
def test_demo_siret_and_vat_number_are_valid(seed):
    siret = make_siret(seed)

    validate_siret(siret)
    validate_vat_number(vat_number_for(siret))


@pytest.mark.parametrize(
    "spec", MORBIHAN_COMPANIES + SPONSOR_COMPANIES, ids=lambda spec: spec.naf_code + " " + spec.name
)
def test_demo_naf_code_is_a_real_subclass(spec):
    validate_naf_code(spec.naf_code)
