"""The competitor rule itself: NAF granularity, declared conflicts, the same legal entity."""

from dataclasses import dataclass

import pytest

from groups.competition import Declaration, Rule, activity_key, activity_label, pair_key
from groups.enums import CompetitorGranularity
from members.identifiers import make_siret


@dataclass
class Party:
    name: str
    naf_code: str
    siret: str

    def __str__(self):
        return self.name


def party(name, naf_code, seed):
    return Party(name, naf_code, make_siret(seed))


BAKERY = party("Fournil de la Rabine", "10.71C", 1)
PASTRY = party("Pâtisserie Malouine", "10.71D", 2)  # same class 10.71, other sub-class
RUSK = party("Biscuiterie de Pont-Aven", "10.72Z", 3)  # same group 10.7, other class
BAKERY_TWIN = party("Boulangerie du Port", "10.71C", 4)  # same sub-class
SOFTWARE = party("Kerlann Informatique", "62.01Z", 5)


@pytest.mark.parametrize(
    ("granularity", "other", "competes"),
    [
        (CompetitorGranularity.SUBCLASS, BAKERY_TWIN, True),
        (CompetitorGranularity.SUBCLASS, PASTRY, False),
        (CompetitorGranularity.CLASS, BAKERY_TWIN, True),
        (CompetitorGranularity.CLASS, PASTRY, True),
        (CompetitorGranularity.CLASS, RUSK, False),
        (CompetitorGranularity.GROUP, PASTRY, True),
        (CompetitorGranularity.GROUP, RUSK, True),
        (CompetitorGranularity.GROUP, SOFTWARE, False),
    ],
)
def test_rule_compares_naf_codes_at_the_chapter_granularity(granularity, other, competes):
    conflict = Rule(granularity).conflict(BAKERY, other)

    assert (conflict is not None) is competes
    if competes:
        assert conflict.kind == "activity"
        assert conflict.other is other


def test_activity_refusal_names_the_member_already_there_and_the_shared_activity():
    conflict = Rule(CompetitorGranularity.CLASS).conflict(PASTRY, BAKERY)

    assert "Fournil de la Rabine" in conflict.message
    assert "Pâtisserie Malouine" in conflict.message
    assert "10.71 Fabrication de pain et de pâtisserie fraîche" in conflict.message


@pytest.mark.parametrize(
    ("granularity", "key", "label"),
    [
        (CompetitorGranularity.SUBCLASS, "10.71C", "10.71C Boulangerie et boulangerie-pâtisserie"),
        (CompetitorGranularity.CLASS, "10.71", "10.71 Fabrication de pain et de pâtisserie fraîche"),
        (
            CompetitorGranularity.GROUP,
            "10.7",
            "10.7 Fabrication de produits de boulangerie-pâtisserie et de pâtes alimentaires",
        ),
    ],
)
def test_activity_key_and_label_at_each_granularity(granularity, key, label):
    assert activity_key("1071c", granularity) == key
    assert activity_label("10.71C", granularity) == label


def test_declared_conflict_refuses_companies_of_different_activities_with_its_reason():
    rule = Rule(
        CompetitorGranularity.CLASS,
        [Declaration(SOFTWARE.siret[:9], RUSK.siret[:9], "declared by a member: same customers")],
    )

    conflict = rule.conflict(RUSK, SOFTWARE)

    assert conflict.kind == "declared"
    assert "same customers" in conflict.message
    assert "Kerlann Informatique" in conflict.message
    assert rule.conflict(SOFTWARE, RUSK) is not None  # symmetric
    assert rule.conflict(SOFTWARE, BAKERY) is None


def test_declared_conflict_applies_to_every_establishment_of_the_company():
    other_establishment = Party("Kerlann Informatique Lorient", "62.02A", SOFTWARE.siret[:9] + "00027")
    rule = Rule(
        CompetitorGranularity.CLASS, [Declaration(*pair_key(SOFTWARE.siret[:9], RUSK.siret[:9]), "x")]
    )

    assert rule.conflict(other_establishment, RUSK) is not None


def test_same_legal_entity_never_competes_with_itself():
    establishment = Party("Fournil de la Rabine — Auray", "10.71C", BAKERY.siret[:9] + "00035")

    assert Rule(CompetitorGranularity.SUBCLASS).conflict(establishment, BAKERY) is None


def test_pairs_within_finds_every_competing_pair_of_a_group():
    pairs = Rule(CompetitorGranularity.CLASS).pairs_within([BAKERY, SOFTWARE, PASTRY, BAKERY_TWIN])

    assert {frozenset((str(c.party), str(c.other))) for c in pairs} == {
        frozenset(("Fournil de la Rabine", "Pâtisserie Malouine")),
        frozenset(("Fournil de la Rabine", "Boulangerie du Port")),
        frozenset(("Pâtisserie Malouine", "Boulangerie du Port")),
    }
