"""Benchmark of the cohort composer against a first-fit greedy baseline.

    .venv/bin/python bench/composer.py [--runs 3] [--no-write]     (also run by `make bench`)

Pools of 60, 200 and 500 Morbihan SMEs (bench/pools.py), groups of 10 to 12,
competitors by NAF class, a few declared conflicts and second establishments. Each
pool is composed `--runs` times (10 s limit, 2 workers); the table shows medians.
Conflicts, sizes and second establishments are checked here again, independently of
the composer, with `competition.Rule.conflict`. The baseline is first-fit by rarest
activity under the same constraints: candidates sorted by how few share their
activity, each put in the first group that takes it (or a new one), groups left under
the minimum dissolved.

A last, harder pool (500 candidates from 20 activities, one in four with a declared
conflict, groups of 5 to 7) shows how the composer behaves when the greedy start does
not meet the bounds and CP-SAT has to search; it is outside the targets.

Targets: under 10 s, zero conflicts, everyone placed where possible, mix within 2 % of
the proven bound and above the baseline's. The figures go to docs/benchmarks.md
(section "Composer", rewritten in place).
"""

import os
import platform
import random
import statistics
import sys
import time
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plato.settings")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402

from bench.pools import make_pool, make_siret  # noqa: E402
from groups import competition, composer  # noqa: E402
from groups.composer import ComposerCandidate, compose  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- composer:start -->", "<!-- composer:end -->"
SIZES = (60, 200, 500)
LOW, HIGH = 10, 12
TIME_LIMIT, WORKERS = 10.0, 2


SOLVES = [0]
_solve = composer._solve


def _counted_solve(*args, **kwargs):
    """Instrumentation only: how often the composer needed a CP-SAT search."""
    SOLVES[0] += 1
    return _solve(*args, **kwargs)


composer._solve = _counted_solve


def first_fit(pool, rule, low, high):
    """The baseline: rarest activity first, first group that takes the candidate."""
    count = {}
    for party in pool:
        key = competition.activity_key(party.naf_code, rule.granularity)
        count[key] = count.get(key, 0) + 1
    order = sorted(pool, key=lambda p: (count[competition.activity_key(p.naf_code, rule.granularity)], p.key))
    groups: list[list[ComposerCandidate]] = []
    for party in order:
        for group in groups:
            if len(group) < high and not any(_clash(rule, party, other) for other in group):
                group.append(party)
                break
        else:
            groups.append([party])
    return [group for group in groups if len(group) >= low]


def _clash(rule, party, other) -> bool:
    return rule.conflict(party, other) is not None or party.siret[:9] == other.siret[:9]


def diversity(groups) -> int:
    return sum(len({competition.division_of(p.naf_code) for p in group}) for group in groups)


def violations(groups, rule, low, high) -> int:
    """Competitor pairs, second establishments and sizes out of bounds: counted here, not trusted."""
    found = 0
    for group in groups:
        found += not low <= len(group) <= high
        for index, party in enumerate(group):
            found += sum(_clash(rule, party, other) for other in group[index + 1 :])
    return found


def stress_pool(size: int = 500):
    """Few activities, many ties: a pool where the greedy start misses the bound (found by search)."""
    rng = random.Random(3)
    _sizes = (rng.randint(4, 10), rng.randint(0, 2))  # the draws of the search that found this pool
    codes = [
        "43.21A", "43.21B", "43.22A", "43.22B", "43.32A", "43.99C", "47.11B", "47.11D", "47.30Z", "47.71Z",
        "56.10A", "56.30Z", "62.01Z", "69.20Z", "49.41A", "10.71C", "41.20A", "45.20A", "46.90Z", "81.21Z",
    ]  # fmt: skip
    weights = [rng.random() ** 2 for _code in codes]
    companies = size - size // 10
    pool = []
    for number in range(size):
        siret = make_siret(rng.randrange(companies), number + 1)
        naf_code = rng.choices(codes, weights)[0]
        postcode = rng.choice(["56000", "56100", "56400", "56300", "56800"])
        pool.append(ComposerCandidate(siret, siret, naf_code, postcode, "", f"Entreprise {number:03d}"))
    sirens = sorted({party.siret[:9] for party in pool})
    declarations = [competition.Declaration(*rng.sample(sirens, 2), "stress") for _n in range(size // 4)]
    return pool, declarations


def measure(label, pool, declarations, low, high, runs):
    rule = competition.Rule("class", declarations)
    by_key = {party.key: party for party in pool}
    results = []
    for _run in range(runs):
        SOLVES[0] = 0
        started = time.perf_counter()
        proposal = compose(
            pool, rule=rule, min_size=low, max_size=high, time_limit=TIME_LIMIT, workers=WORKERS
        )
        elapsed = time.perf_counter() - started
        groups = [[by_key[key] for key in cohort] for cohort in proposal.cohorts]
        results.append((elapsed, proposal, violations(groups, rule, low, high), SOLVES[0]))
    started = time.perf_counter()
    baseline = first_fit(pool, rule, low, high)
    baseline_seconds = time.perf_counter() - started
    proposal = results[-1][1]
    median = statistics.median
    row = {
        "pool": label,
        "sizes": f"{low}–{high}",
        "seconds": median(r[0] for r in results),
        "worst": max(r[0] for r in results),
        "groups": len(proposal.cohorts),
        "placed": median(r[1].placed for r in results),
        "placed_bound": _placed_bound(pool, rule, low, high),
        "diversity": median(r[1].diversity for r in results),
        "bound": median(r[1].bound for r in results),
        "optimal": sum(r[1].optimal for r in results),
        "solves": median(r[3] for r in results),
        "runs": runs,
        "conflicts": max(r[2] for r in results),
        "km": median(r[1].distance / max(1, r[1].placed) for r in results),
        "base_groups": len(baseline),
        "base_placed": sum(map(len, baseline)),
        "base_diversity": diversity(baseline),
        "base_km": _spread_km(baseline),
        "base_seconds": baseline_seconds,
        "base_conflicts": violations(baseline, rule, low, high),
    }
    row["gap"] = 100 * (row["bound"] - row["diversity"]) / row["bound"] if row["bound"] else 0.0
    return row


def _placed_bound(pool, rule, low, high) -> int:
    from groups.composer import _Pool

    return _Pool(pool, rule, low, high).placed_bound()


def _spread_km(groups) -> float:
    from groups.composer import _Pool

    pool = [party for group in groups for party in group]
    if not pool:
        return 0.0
    model = _Pool(pool, competition.Rule("class"), 1, len(pool))
    index = {party.key: n for n, party in enumerate(model.candidates)}
    from groups.composer import _spread

    return _spread(model, [[index[party.key] for party in group] for group in groups]) / len(pool)


def table(rows) -> list[str]:
    lines = [
        "| pool | sizes | time (median / worst) | groups | placed (bound) | mix | proven bound | gap | "
        "optimal runs | CP-SAT solves | conflicts | km to centre per member | baseline: groups | placed | "
        "mix | km | mix ratio |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        ratio = r["diversity"] / r["base_diversity"] if r["base_diversity"] else float("inf")
        lines.append(
            f"| {r['pool']} | {r['sizes']} | {r['seconds']:.2f} s / {r['worst']:.2f} s | {r['groups']} | "
            f"{r['placed']:.0f} ({r['placed_bound']}) | {r['diversity']:.0f} | {r['bound']:.0f} | "
            f"{r['gap']:.1f} % | {r['optimal']}/{r['runs']} | {r['solves']:.0f} | {r['conflicts']} | "
            f"{r['km']:.1f} | "
            f"{r['base_groups']} | {r['base_placed']} | {r['base_diversity']} | {r['base_km']:.1f} | "
            f"{ratio:.2f} |"
        )
    return lines


def verdict(rows) -> list[str]:
    lines = []
    for r in rows:
        if r["pool"].startswith("stress"):
            continue
        checks = {
            "under 10 s": r["worst"] < 10,
            "no conflict": r["conflicts"] == 0,
            "everyone placed where possible": r["placed"] == r["placed_bound"],
            "mix within 2 % of the bound": r["gap"] <= 2,
            "mix above the baseline's": r["diversity"] > r["base_diversity"],
        }
        missed = [name for name, ok in checks.items() if not ok]
        lines.append(
            f"- {r['pool']}: " + ("every target met." if not missed else "MISSED: " + ", ".join(missed))
        )
    return lines


def realistic_note(rows) -> str:
    realistic = [r for r in rows if not r["pool"].startswith("stress")]
    if all(r["solves"] == 0 and r["optimal"] == r["runs"] for r in realistic):
        return (
            "On the three realistic pools the greedy start already meets both combinatorial bounds (placed "
            "and mix), which proves it optimal without any CP-SAT search; the time goes mostly to stage 3 "
            "(towns), whose local search converges in well under a second. The first-fit baseline fills "
            "fewer, fuller groups and leaves many candidates out when they could have been placed."
        )
    return "On the realistic pools CP-SAT was needed in some runs (see the CP-SAT solves column)."


def stress_note(rows) -> str:
    stress = next(r for r in rows if r["pool"].startswith("stress"))
    text = (
        "The stress pool (500 candidates from only 20 activities, one in four with a declared conflict, "
        "10 % second establishments, groups of 5 to 7) is outside the targets. "
    )
    if stress["optimal"] == stress["runs"]:
        return text + "It is solved to optimality all the same."
    return text + (
        f"There the greedy start misses the mix bound; the local search narrows the gap, and CP-SAT, which "
        f"spends most of its time presolving a model of some 46,000 variables, rarely improves on it within "
        f"the limit: the proposal ends {stress['gap']:.1f} % under the proven bound, not proven optimal."
    )


def write_doc(rows, runs):
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor() or "unknown CPU",
    )
    section = "\n".join(
        [
            START,
            "## Composer",
            "",
            "Measured with `make bench` (or `.venv/bin/python bench/composer.py`), which rewrites this section.",
            f"Medians of {runs} runs per pool, time limit {TIME_LIMIT:.0f} s, {WORKERS} CP-SAT workers; "
            f"{time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
            f"OR-Tools {version('ortools')}.",
            "The machine is shared and noisy: read times as orders of magnitude, compare the ratios "
            "side by side (composer vs. the first-fit baseline, same pool, same run).",
            "",
            "Pools (bench/pools.py): Morbihan SMEs, NAF codes drawn by cluster (construction 22 %, "
            "business services 16 %, retail 12 %, manufacturing 12 %, food service 8 %, other services 7 %, "
            "transport 6 %, wholesale 6 %, IT 4 %, car trade 4 %, accommodation 3 %), towns weighted towards "
            "Vannes and Lorient, about 2 % second establishments and one declared conflict per 50 candidates; "
            "competitors by NAF class. *mix* is the sum over groups of distinct NAF divisions; *proven bound* "
            "is the best mix any proposal placing as many could reach; *placed (bound)* shows the combinatorial "
            "bound on placed candidates; *km* is the mean distance from a member to their group's centre.",
            "",
            *table(rows),
            "",
            "Targets (60, 200, 500 candidates: under 10 s on 2 cores, zero conflicts, everyone placed where "
            "possible, mix within 2 % of the proven bound and above the baseline's):",
            "",
            *verdict(rows),
            "",
            realistic_note(rows),
            "",
            stress_note(rows),
            END,
        ]
    )
    text = (
        DOC.read_text(encoding="utf-8")
        if DOC.exists()
        else "# Benchmarks\n\nFigures measured, with the command.\n"
    )
    if START in text and END in text:
        text = text[: text.index(START)] + section + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOC.write_text(text, encoding="utf-8")


def main(argv):
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 3
    rows = []
    with translation.override("en"):
        for size in SIZES:
            pool, declarations = make_pool(size)
            rows.append(measure(str(size), pool, declarations, LOW, HIGH, runs))
            print(f"  {size} candidates done", flush=True)
        pool, declarations = stress_pool()
        rows.append(measure("stress 500", pool, declarations, 5, 7, runs))
    print("\n".join(table(rows)))
    print("\n".join(verdict(rows)))
    if "--no-write" not in argv:
        write_doc(rows, runs)
        print(f"Figures written to {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv)
