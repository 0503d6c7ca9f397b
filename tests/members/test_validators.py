"""SIRET and NAF validation: what is refused, with which message, and what is normalised."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from members import naf
from members.fields import NafCodeFormField, SiretFormField
from members.identifiers import make_siret
from members.models import Company
from members.validators import validate_naf_code, validate_siret
from tests import factories
from tests.french import (
    NAF_FORMAT,
    NAF_UNKNOWN,
    SIREN_CHECK_DIGIT,
    SIRET_CHECK_DIGIT,
    SIRET_LENGTH,
    SIRET_LETTERS,
    SIRET_SPACING,
    en,
    fr,
)

VALID_SIRET = make_siret(1)  # 31423845200010
BAD_SIREN_CHECK_DIGIT = VALID_SIRET[:8] + str((int(VALID_SIRET[8]) + 1) % 10) + VALID_SIRET[9:]
BAD_SIRET_CHECK_DIGIT = VALID_SIRET[:13] + str((int(VALID_SIRET[13]) + 1) % 10)

INVALID_SIRETS = [
    # (typed, error code, msgid, params)
    pytest.param("5521005540001", "siret_length", SIRET_LENGTH, {"count": 13}, id="13-digits"),
    pytest.param("552100554000130", "siret_length", SIRET_LENGTH, {"count": 15}, id="15-digits"),
    pytest.param("5521005540001A", "siret_format", SIRET_LETTERS, {"value": "5521005540001A"}, id="letters"),
    pytest.param(
        BAD_SIREN_CHECK_DIGIT,
        "siren_checksum",
        SIREN_CHECK_DIGIT,
        {"siren": BAD_SIREN_CHECK_DIGIT[:9]},
        id="siren-check-digit",
    ),
    pytest.param(
        BAD_SIRET_CHECK_DIGIT,
        "siret_checksum",
        SIRET_CHECK_DIGIT,
        {"value": BAD_SIRET_CHECK_DIGIT},
        id="siret-check-digit",
    ),
    pytest.param(
        "55210055400016",
        "siret_checksum",
        SIRET_CHECK_DIGIT,
        {"value": "55210055400016"},
        id="danone-wrong-establishment-digit",
    ),
]

INVALID_NAF_CODES = [
    pytest.param("6201", "naf_format", NAF_FORMAT, {"value": "6201"}, id="no-letter"),
    pytest.param("62.01", "naf_format", NAF_FORMAT, {"value": "62.01"}, id="class-not-subclass"),
    pytest.param("6201z", "naf_format", NAF_FORMAT, {"value": "6201z"}, id="loose-spelling-in-model"),
    pytest.param("62.99Z", "naf_unknown", NAF_UNKNOWN, {"value": "62.99Z"}, id="unknown"),
    pytest.param("00.00Z", "naf_unknown", NAF_UNKNOWN, {"value": "00.00Z"}, id="unknown-zeros"),
    pytest.param("62.01ZZ", "naf_format", NAF_FORMAT, {"value": "62.01ZZ"}, id="too-long"),
]


def _error(validator, value) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validator(value)
    return caught.value


# --- SIRET -----------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "code", "msgid", "params"), INVALID_SIRETS)
def test_validate_siret_refuses_with_specific_english_message(typed, code, msgid, params):
    with translation.override("en"):
        error = _error(validate_siret, typed)

        assert error.code == code
        assert error.messages == [en(msgid, **params)]


@pytest.mark.parametrize(("typed", "code", "msgid", "params"), INVALID_SIRETS)
def test_validate_siret_refuses_with_specific_french_message(typed, code, msgid, params):
    with translation.override("fr"):
        error = _error(validate_siret, typed)

        assert error.messages == [fr(msgid, **params)]


def test_validate_siret_refuses_spaces_at_model_level_and_says_how_to_write_it():
    with translation.override("en"):
        error = _error(validate_siret, "552 100 554 00013")

        assert error.code == "siret_spacing"
        assert error.messages == [en(SIRET_SPACING, compact="55210055400013")]


def test_validate_siret_refuses_spaces_at_model_level_in_french():
    with translation.override("fr"):
        error = _error(validate_siret, "552 100 554 00013")

        assert error.messages == [fr(SIRET_SPACING, compact="55210055400013")]


@pytest.mark.parametrize(
    "siret",
    [
        "55210055400013",  # Danone's head office
        "73282932000074",  # Apple France
        "35600000000048",  # La Poste: its SIRETs follow their own check rule
        VALID_SIRET,
    ],
)
def test_validate_siret_accepts_valid_numbers(siret):
    validate_siret(siret)  # raises if refused


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("552 100 554 00013", "55210055400013"),
        (" 552.100.554.00013 ", "55210055400013"),
    ],
)
def test_siret_form_field_normalises_loose_spellings(typed, normalised):
    assert SiretFormField().clean(typed) == normalised
    validate_siret(normalised)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_siret_help_text_example_is_a_valid_siret(language):
    """The example shown under the field must pass our own validator."""
    with translation.override(language):
        help_text = str(Company._meta.get_field("siret").help_text)
    example = re.search(r"\d{3} \d{3} \d{3} \d{5}", help_text)

    assert example, help_text
    validate_siret(SiretFormField().clean(example.group()))


# --- NAF -------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "code", "msgid", "params"), INVALID_NAF_CODES)
def test_validate_naf_code_refuses_with_specific_english_message(typed, code, msgid, params):
    with translation.override("en"):
        error = _error(validate_naf_code, typed)

        assert error.code == code
        assert error.messages == [en(msgid, **params)]


@pytest.mark.parametrize(("typed", "code", "msgid", "params"), INVALID_NAF_CODES)
def test_validate_naf_code_refuses_with_specific_french_message(typed, code, msgid, params):
    with translation.override("fr"):
        error = _error(validate_naf_code, typed)

        assert error.messages == [fr(msgid, **params)]


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("6201z", "62.01Z"),
        ("62.01z", "62.01Z"),
        ("62 01 Z", "62.01Z"),
        ("62-01Z", "62.01Z"),
        (" 10.71c ", "10.71C"),
        ("62.01Z", "62.01Z"),
    ],
)
def test_naf_form_field_normalises_loose_spellings(typed, normalised):
    assert NafCodeFormField().clean(typed) == normalised
    validate_naf_code(normalised)


def test_naf_nomenclature_has_every_level_of_naf_rev2():
    entries = naf.nomenclature().values()

    assert len(entries) == 732
    assert len({entry.class_code for entry in entries}) == 615
    assert len({entry.group_code for entry in entries}) == 272
    assert len({entry.division_code for entry in entries}) == 88
    assert len({entry.section_code for entry in entries}) == 21


def test_naf_lookup_gives_the_hierarchy_of_a_subclass():
    entry = naf.lookup("6201z")

    assert entry.code == "62.01Z"
    assert entry.class_code == "62.01"
    assert entry.group_code == "62.0"
    assert entry.division_code == "62"
    assert entry.section_code == "J"
    assert "informatique" in entry.label.lower()


# --- Model layer (full_clean) -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("typed", "code", "msgid", "params"), INVALID_SIRETS)
def test_company_full_clean_refuses_invalid_siret_with_one_specific_error(
    typed, code, msgid, params, chapter
):
    company = factories.CompanyFactory.build(chapter=chapter, siret=typed)

    with pytest.raises(ValidationError) as caught:
        company.full_clean()

    assert list(caught.value.error_dict) == ["siret"]
    assert [error.code for error in caught.value.error_dict["siret"]] == [code]


@pytest.mark.django_db
@pytest.mark.parametrize(("typed", "code", "msgid", "params"), INVALID_NAF_CODES)
def test_company_full_clean_refuses_invalid_naf_code_with_one_specific_error(
    typed, code, msgid, params, chapter
):
    company = factories.CompanyFactory.build(chapter=chapter, naf_code=typed)

    with pytest.raises(ValidationError) as caught:
        company.full_clean()

    assert list(caught.value.error_dict) == ["naf_code"]
    assert [error.code for error in caught.value.error_dict["naf_code"]] == [code]


@pytest.mark.django_db
@pytest.mark.parametrize(("typed", "code", "msgid", "params"), INVALID_SIRETS)
def test_company_full_clean_refuses_invalid_siret_in_french(typed, code, msgid, params, chapter):
    company = factories.CompanyFactory.build(chapter=chapter, siret=typed)

    with translation.override("fr"), pytest.raises(ValidationError) as caught:
        company.full_clean()

    assert caught.value.message_dict == {"siret": [fr(msgid, **params)]}


@pytest.mark.django_db
@pytest.mark.parametrize(("typed", "code", "msgid", "params"), INVALID_NAF_CODES)
def test_company_full_clean_refuses_invalid_naf_code_in_french(typed, code, msgid, params, chapter):
    company = factories.CompanyFactory.build(chapter=chapter, naf_code=typed)

    with translation.override("fr"), pytest.raises(ValidationError) as caught:
        company.full_clean()

    assert caught.value.message_dict == {"naf_code": [fr(msgid, **params)]}


@pytest.mark.django_db
def test_company_full_clean_accepts_a_factory_company(chapter):
    company = factories.CompanyFactory.build(chapter=chapter)

    company.full_clean()  # raises if refused
