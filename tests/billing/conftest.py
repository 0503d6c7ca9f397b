"""Billing's world: Plato 56 with its invoicing details, members of its active cohort."""

import pytest
from django.core.exceptions import ValidationError

from members.demo import make_siret
from tests import factories


def vat_number(siret: str) -> str:
    siren = int(siret[:9])
    return f"FR{(12 + 3 * (siren % 97)) % 97:02d}{siret[:9]}"


@pytest.fixture
def invoicing_chapter(chapter):
    """Plato 56 as a CCI fills it in: legal name, address, SIRET and VAT number, 20 % VAT."""
    siret = make_siret(1)
    chapter.issuer_legal_name = "Chambre de commerce et d'industrie du Morbihan"
    chapter.issuer_address = "21 quai des Indes"
    chapter.issuer_postcode = "56100"
    chapter.issuer_town = "Lorient"
    chapter.issuer_siret = siret
    chapter.issuer_vat_number = vat_number(siret)
    chapter.issuer_iban = "FR7630006000011234567890189"
    chapter.issuer_bic = "AGRIFRPP"
    chapter.programme_commitment = "16 demi-journées de réunion, 2 plénières départementales et 2 régionales."
    try:
        chapter.full_clean()
    except ValidationError as error:  # the fixture itself must be a valid chapter
        pytest.fail(f"invalid invoicing chapter: {error}")
    chapter.save()
    return chapter


@pytest.fixture
def buyer(invoicing_chapter, member_membership):
    """The member's company, with a full address."""
    company = member_membership.company
    company.address = "4 rue du Port"
    company.postcode = "56000"
    company.town = "Vannes"
    company.save()
    return member_membership


@pytest.fixture
def memberships(invoicing_chapter, cohort):
    return [factories.MembershipFactory(cohort=cohort) for _ in range(3)]
