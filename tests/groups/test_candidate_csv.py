"""groups/candidate_csv.py: a candidates' CSV read into rows or line errors, never a 500."""

from groups.candidate_csv import parse_candidates
from members.identifiers import make_siret

HEADER = "company_name,siret,naf_code,town,postcode,leader_first_name,leader_last_name,email\n"


def test_csv_values_longer_than_the_fields_are_row_errors():
    text = HEADER + f"Forge,{make_siret(1)},25.50A,{'V' * 120},56000,A,B,{'a' * 250}@example.test\n"

    parsed = parse_candidates(text.encode())

    assert not parsed.rows
    assert [error.line for error in parsed.errors] == [2, 2]


def test_csv_with_an_unreadable_header_is_not_called_empty():
    parsed = parse_candidates(("x" * 140_000 + "\n").encode())

    assert len(parsed.errors) == 1
    assert "CSV" in str(parsed.errors[0])
