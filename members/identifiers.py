"""Invented but valid French company identifiers, for the demo, the benchmarks and the tests.

`make_siret(seed)` gives a SIRET whose SIREN and SIRET check digits are right (Luhn), so that
a made-up company passes `validate_siret`; `vat_number_for(siret)` gives the French VAT
number of its SIREN (FR, the two-digit key, the SIREN), which `validate_vat_number` accepts.
"""

from stdnum import luhn


def make_siret(seed: int) -> str:
    """A SIRET with valid SIREN and SIRET check digits, derived from a seed."""
    siren_body = f"{(seed * 7919 + 31_415_926) % 100_000_000:08d}"
    siren = siren_body + luhn.calc_check_digit(siren_body)
    nic_body = f"{seed % 10_000:04d}"
    return siren + nic_body + luhn.calc_check_digit(siren + nic_body)


def vat_number_for(siret: str) -> str:
    """The French VAT number of the SIRET's company: FR, the key (12 + 3 × SIREN mod 97) mod 97, the SIREN."""
    siren = int(siret[:9])
    return f"FR{(12 + 3 * (siren % 97)) % 97:02d}{siret[:9]}"
