"""Validators shared by models and forms: SIRET, SIREN, VAT number, NAF code.

Each error says what is wrong with what was typed, in the user's language.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from stdnum import luhn
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren, siret, tva

from members import naf


def normalize_siret(value: str) -> str:
    return siret.compact(value or "")


def validate_siret(value: str) -> None:
    compact = normalize_siret(value)
    # str.isdigit() also accepts "²" and Arabic-Indic digits, which stdnum then refuses.
    if not (compact.isascii() and compact.isdigit()):
        raise ValidationError(
            _("A SIRET contains only digits; “%(value)s” has other characters."),
            code="siret_format",
            params={"value": value},
        )
    if len(compact) != 14:
        raise ValidationError(
            _("A SIRET has 14 digits (9 for the SIREN, 5 for the establishment); you typed %(count)d."),
            code="siret_length",
            params={"count": len(compact)},
        )
    if compact != value:
        raise ValidationError(
            _("Write the SIRET as 14 digits without spaces, e.g. %(compact)s."),
            code="siret_spacing",
            params={"compact": compact},
        )
    try:
        siren.validate(compact[:9])
    except StdnumError:
        raise ValidationError(
            _(
                "The SIREN part %(siren)s of this SIRET is not valid (wrong check digit): check the first 9 digits."
            ),
            code="siren_checksum",
            params={"siren": compact[:9]},
        ) from None
    try:
        siret.validate(compact)
    except InvalidChecksum:
        raise ValidationError(
            _("The SIRET %(value)s is not valid (wrong check digit): check the last 5 digits."),
            code="siret_checksum",
            params={"value": compact},
        ) from None
    except StdnumError:
        raise ValidationError(
            _("The SIRET %(value)s is not valid."), code="siret_invalid", params={"value": compact}
        ) from None


def validate_siren(value: str) -> None:
    compact = siren.compact(value or "")
    if not (compact.isascii() and compact.isdigit()) or len(compact) != 9:
        raise ValidationError(
            _("A SIREN has 9 digits; “%(value)s” does not."), code="siren_length", params={"value": value}
        )
    if not luhn.is_valid(compact):
        raise ValidationError(
            _("The SIREN %(value)s is not valid (wrong check digit)."),
            code="siren_checksum",
            params={"value": compact},
        )


def normalize_vat_number(value: str) -> str:
    """ "fr 40 303 265 045" → "FR40303265045"; another country's number is left as typed
    (compacted), for the validator to refuse with its own message."""
    raw = "".join((value or "").split()).replace(".", "").replace("-", "").upper()
    if not raw:
        return ""
    if raw[:2].isalpha() and not raw.startswith("FR"):
        return raw
    return f"FR{tva.compact(raw)}"


def validate_vat_number(value: str) -> None:
    """French intra-community VAT number: FR + 2-character key + SIREN."""
    compact = normalize_vat_number(value)
    if not compact.startswith("FR"):
        raise ValidationError(
            _("Only French VAT numbers are accepted here: they start with FR, e.g. FR40303265045."),
            code="vat_country",
        )
    try:
        tva.validate(compact)
    except (InvalidFormat, InvalidLength):
        raise ValidationError(
            _("A French VAT number is FR, a 2-character key and the 9-digit SIREN, e.g. FR40303265045."),
            code="vat_format",
        ) from None
    except InvalidChecksum:
        raise ValidationError(
            _("The VAT number %(value)s is not valid: its key does not match the SIREN."),
            code="vat_checksum",
            params={"value": compact},
        ) from None
    except StdnumError:
        raise ValidationError(
            _("A French VAT number is FR, a 2-character key and the 9-digit SIREN, e.g. FR40303265045."),
            code="vat_format",
        ) from None
    if compact != value:
        raise ValidationError(
            _("Write the VAT number without spaces, e.g. %(compact)s."),
            code="vat_spacing",
            params={"compact": compact},
        )


def validate_naf_code(value: str) -> None:
    if not naf.CANONICAL_CODE.match(value or ""):
        raise ValidationError(
            _(
                "A NAF/APE code is written as 2 digits, a dot, 2 digits and a letter, e.g. 62.01Z; “%(value)s” is not."
            ),
            code="naf_format",
            params={"value": value},
        )
    if naf.lookup(value) is None:
        raise ValidationError(
            _(
                "%(value)s is not a code of the NAF rév. 2 nomenclature (732 sub-classes): check it on the company's Kbis or INSEE notice."
            ),
            code="naf_unknown",
            params={"value": value},
        )


validate_postcode = RegexValidator(
    r"^\d{5}$", _("A French postcode has 5 digits, e.g. 56000."), code="postcode_format"
)


def validate_vat_matches_siret(vat_number: str, siret_value: str) -> None:
    """A French VAT number ends with the company's SIREN (Factur-X checks it too)."""
    if vat_number and siret_value and vat_number[4:] != siret_value[:9]:
        raise ValidationError(
            _(
                "The VAT number %(vat)s belongs to SIREN %(vat_siren)s, not to this company's SIREN %(siren)s."
            ),
            code="vat_siren_mismatch",
            params={"vat": vat_number, "vat_siren": vat_number[4:], "siren": siret_value[:9]},
        )
