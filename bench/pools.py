"""Realistic candidate pools for the composer's benchmark: SMEs of the Morbihan.

NAF codes are drawn from clusters weighted the way a département's SMEs of 10–250
staff are spread (rough shares from INSEE's Sirene counts for Brittany, rounded; a
benchmark's pool, not a statistic):

    construction 41–43  22 %    retail 47                12 %
    business services   16 %    (69–74: accounting, law, architecture, advertising…)
    manufacturing       12 %    (fish and food processing, boats, metal, plastics)
    food service 56      8 %    other services           7 %  (cleaning, landscaping, temps…)
    transport 49, 52     6 %    wholesale 46              6 %
    IT 62–63             4 %    car trade and repair 45   4 %
    accommodation 55     3 %

Within a cluster the common activities weigh more (electricians, plumbers, bakers).
Towns are real Morbihan postcodes from groups/data/postcodes.csv, the larger towns
weighted more (Vannes, Lorient…). About 2 % of companies have a second establishment
in the pool and about one candidate in 50 has a declared conflict, so that the
composer's special cases are exercised as they would be in real life.
"""

import csv
import random
import sys
from collections import Counter
from pathlib import Path

from stdnum import luhn

if __name__ == "__main__":  # `make bench` runs every bench/*.py: this one describes its pools
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from groups import competition
from groups.composer import ComposerCandidate

POSTCODES = Path(__file__).resolve().parent.parent / "groups" / "data" / "postcodes.csv"

# cluster: (weight in %, {NAF sub-class: relative weight})
CLUSTERS: dict[str, tuple[int, dict[str, int]]] = {
    "construction": (
        22,
        {
            "43.21A": 6, "43.22A": 5, "43.22B": 3, "43.32A": 4, "43.31Z": 2, "43.34Z": 3, "43.91A": 2,
            "43.91B": 2, "43.99C": 3, "43.32B": 1, "41.20A": 3, "41.20B": 1, "42.11Z": 1, "43.12A": 2,
        },
    ),
    "retail": (
        12,
        {
            "47.11B": 2, "47.11D": 2, "47.11F": 1, "47.30Z": 1, "47.52A": 2, "47.52B": 1, "47.59B": 2,
            "47.71Z": 3, "47.73Z": 2, "47.76Z": 2, "47.78C": 2,
        },
    ),
    "business services": (
        16,
        {
            "69.10Z": 2, "69.20Z": 4, "70.22Z": 4, "70.21Z": 1, "71.11Z": 2, "71.12B": 3, "71.20B": 1,
            "73.11Z": 2, "73.12Z": 1, "74.10Z": 1, "74.90B": 1,
        },
    ),
    "manufacturing": (
        12,
        {
            "10.71C": 3, "10.20Z": 2, "10.13A": 1, "10.51C": 1, "10.89Z": 1, "25.62B": 2, "25.11Z": 2,
            "28.30Z": 1, "30.11Z": 1, "30.12Z": 2, "16.23Z": 1, "22.29A": 2, "33.12Z": 1, "33.15Z": 1,
            "11.05Z": 1, "18.12Z": 1,
        },
    ),
    "food service": (8, {"56.10A": 5, "56.10C": 2, "56.21Z": 1, "56.30Z": 2}),
    "other services": (
        7,
        {
            "81.21Z": 3, "81.30Z": 3, "82.99Z": 1, "77.11A": 1, "78.20Z": 1, "96.02A": 2, "68.31Z": 2,
            "66.22Z": 2, "85.59A": 1,
        },
    ),
    "transport": (6, {"49.41A": 5, "49.41B": 1, "49.39A": 1, "49.32Z": 1, "52.29B": 1}),
    "wholesale": (6, {"46.38A": 1, "46.39B": 1, "46.69B": 1, "46.73A": 1, "46.90Z": 1}),
    "IT": (4, {"62.01Z": 3, "62.02A": 2, "63.12Z": 1}),
    "car trade": (4, {"45.11Z": 2, "45.20A": 3}),
    "accommodation": (3, {"55.10Z": 3, "55.30Z": 1}),
}  # fmt: skip

# Larger towns weigh more; every other Morbihan postcode weighs 1.
TOWN_WEIGHTS = {
    "56000": 14, "56100": 10, "56600": 5, "56300": 5, "56400": 5, "56700": 4, "56800": 4,
    "56270": 3, "56850": 3, "56890": 3, "56860": 2, "56450": 2, "56230": 2, "56500": 2,
    "56340": 2, "56170": 2, "56530": 2, "56250": 2,
}  # fmt: skip


def make_siret(siren_seed: int, establishment: int = 1) -> str:
    """A SIRET with valid SIREN and SIRET check digits."""
    body = f"{(siren_seed * 7919 + 41_421_356) % 100_000_000:08d}"
    siren = body + luhn.calc_check_digit(body)
    nic = f"{establishment:04d}"
    return siren + nic + luhn.calc_check_digit(siren + nic)


def _morbihan() -> list[tuple[str, str]]:
    with POSTCODES.open(encoding="utf-8", newline="") as data:
        return [(row["postcode"], row["town"]) for row in csv.DictReader(data) if row["postcode"][:2] == "56"]


def make_pool(size: int, seed: int = 0) -> tuple[list[ComposerCandidate], list[competition.Declaration]]:
    """`size` candidates and the declared conflicts between some of them."""
    rng = random.Random(f"pool-{size}-{seed}")
    towns = _morbihan()
    town_weights = [TOWN_WEIGHTS.get(postcode, 1) for postcode, _town in towns]
    clusters = list(CLUSTERS.values())
    candidates: list[ComposerCandidate] = []
    company = 0
    while len(candidates) < size:
        company += 1
        _weight, codes = rng.choices(clusters, weights=[weight for weight, _codes in clusters])[0]
        naf_code = rng.choices(list(codes), weights=list(codes.values()))[0]
        postcode, town = rng.choices(towns, weights=town_weights)[0]
        establishments = 2 if rng.random() < 0.02 and len(candidates) + 2 <= size else 1
        for establishment in range(1, establishments + 1):
            siret = make_siret(10_000 * seed + company, establishment)
            if establishment > 1:  # a second site, often in another town, sometimes another activity
                postcode, town = rng.choices(towns, weights=town_weights)[0]
                naf_code = rng.choice([naf_code, *codes])
            candidates.append(
                ComposerCandidate(
                    key=siret,
                    siret=siret,
                    naf_code=naf_code,
                    postcode=postcode,
                    town=town,
                    name=f"Entreprise {company:03d}" + (f" ({town})" if establishments > 1 else ""),
                )
            )
    sirens = sorted({candidate.siret[:9] for candidate in candidates})
    declarations = [
        competition.Declaration(*rng.sample(sirens, 2), "declared by a member: former partners")
        for _n in range(max(1, size // 50))
    ]
    return candidates, declarations


def describe(size: int) -> str:
    candidates, declarations = make_pool(size)
    divisions = Counter(competition.division_of(candidate.naf_code) for candidate in candidates)
    towns = Counter(candidate.town for candidate in candidates)
    companies = len({candidate.siret[:9] for candidate in candidates})
    return (
        f"{size} candidates, {companies} companies, {len(declarations)} declared conflicts, "
        f"{len({c.naf_code for c in candidates})} NAF codes; divisions: "
        + ", ".join(f"{division} ×{count}" for division, count in divisions.most_common(6))
        + "; towns: "
        + ", ".join(f"{town} ×{count}" for town, count in towns.most_common(4))
    )


if __name__ == "__main__":
    for pool_size in (60, 200, 500):
        print(describe(pool_size))
