"""The cohort composer: a pool of candidates in, proposed cohorts out (pure, no database).

Rules every proposal keeps: each cohort holds between `min_size` and `max_size`
candidates, and no two of them compete (the chapter's `competition.Rule`: same
activity at its granularity, or a declared conflict). The composer is stricter than the
rule on one point: two establishments of one company (same SIREN) never share a
cohort, although the rule does not call them competitors, because a cohort has one
place per legal entity.

What is best, in strict order:

1. as many candidates placed as possible;
2. then the widest activity mix: the sum over cohorts of their distinct NAF divisions;
3. then towns close together: the sum over cohorts of each member's distance (km) to
   the cohort's centre, postcodes placed with ``data/postcodes.csv`` (GeoNames, see
   ``data/build_postcodes.py``; an unknown postcode takes the mean point of the known
   postcodes sharing its longest prefix, its département at worst).

How, in three stages, each keeping what the previous one reached:

* A greedy pass fills k cohorts (for the few largest possible k), most constrained
  activity first, each candidate where its division is still missing, then repairs
  cohorts left short. On realistic pools it already meets both bounds below, and the
  stages it meets are proven without a solver.
* Stage 1 (OR-Tools CP-SAT) maximises placed candidates, seeded with the greedy
  solution as a hint. Candidates of one activity key who have no other tie (their
  SIREN is alone in the pool and in no declared conflict) are interchangeable for
  objectives 1 and 2, so the model counts them per activity key and cohort slot (one
  0/1 variable each) instead of one variable per candidate and slot; the others keep
  their own. There are as many slots as the activities allow cohorts (see below),
  used slots first and the most common activity in a prefix, against symmetry.
* Stage 2 fixes that number and maximises the mix: first a cheap local search
  (swaps and moves that add a division), then CP-SAT on the same model.
* Stage 3 keeps both and shortens distances by local search: swaps between cohorts,
  moves, swaps with unplaced candidates, each allowed only if it keeps sizes, keeps
  competitors apart and narrows no mix. It starts from k-means anchors of the pool,
  then from the cohorts' own centres, and keeps the better. It is time-boxed (a fifth
  of the time limit at most; it converges in well under a second for 500 candidates).

Bounds: with k cohorts, an activity key of c candidates places at most min(c, k) of
them, so at most min(k × max_size, Σ min(c, k)) are placed (likewise per SIREN);
k is possible only if that reaches k × min_size. Diversity is at most
Σ over divisions of min(count, k), and at most the number placed. `Proposal.bound`
is the smaller of that and CP-SAT's proven bound: no valid proposal placing as many
candidates has a wider mix. `optimal` says placed and mix are both proven best.

Determinism: inputs are sorted by key, the greedy and local searches are
deterministic, CP-SAT runs with a fixed seed in its deterministic parallel mode
(``interleave_search``). The same input gives the same proposal whenever no stage is
cut short by the time limit; a stage cut short may end elsewhere from run to run.
"""

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

from groups import competition
from groups.composer.geography import POSTCODES_FILE, postcode_point
from groups.composer.pool import _Cohort, _Pool, _score
from groups.composer.reasons import _reason
from groups.composer.search import _fill, _geographic, _greedy, _spread, _widen_mix
from groups.composer.types import SEED, ComposerCandidate, Proposal, Unplaced

__all__ = [
    "GEO_SHARE",
    "POSTCODES_FILE",
    "SEED",
    "ComposerCandidate",
    "Proposal",
    "Unplaced",
    "compose",
    "postcode_point",
]


GEO_SHARE = 0.2  # of the time limit, at most, for stage 3 (it converges far sooner)


@dataclass
class _Progress:
    cohorts: list[list[int]]
    placed_proven: bool = False
    diversity_proven: bool = False
    solver_bound: int | None = None


def compose(
    candidates: Sequence[ComposerCandidate],
    *,
    rule: competition.Rule,
    min_size: int,
    max_size: int,
    time_limit: float = 10.0,
    workers: int = 2,
) -> Proposal:
    """The best cohorts found within `time_limit` seconds, and why anyone is left out."""
    # OR-Tools is loaded by the first composition, not by every web process that starts.
    from ortools.sat.python import cp_model

    from groups.composer.model import _SlotModel, _solve

    started = time.monotonic()
    if min_size < 1 or max_size < min_size:
        raise ValueError("Group sizes need 1 <= min_size <= max_size.")
    pool = _Pool(candidates, rule, min_size, max_size)
    deadline = started + time_limit
    counts = pool.possible_cohort_counts
    most_cohorts = max(counts, default=0)
    placed_bound = pool.placed_bound()

    # Greedy start: a few cohort counts near the most, the best one kept.
    progress = _Progress([])
    for k in sorted(counts, reverse=True)[:4]:
        found = _greedy(pool, k)
        if _score(pool, found) > _score(pool, progress.cohorts):
            progress.cohorts = found
    placed, diversity = _score(pool, progress.cohorts)
    progress.placed_proven = placed == placed_bound

    if most_cohorts and not progress.placed_proven:
        slots = _SlotModel(pool, most_cohorts)
        slots.model.add(slots.placed <= placed_bound)
        slots.hint(progress.cohorts)
        budget = min(0.4 * time_limit, deadline - time.monotonic() - GEO_SHARE * time_limit)
        solved = _solve(slots, slots.placed, budget, workers) if budget > 0.1 else None
        if solved is not None:
            solver, status = solved
            found = slots.solution(solver, progress.cohorts)
            if _score(pool, found) > _score(pool, progress.cohorts):
                progress.cohorts = found
            placed = _score(pool, progress.cohorts)[0]
            progress.placed_proven = placed >= math.floor(solver.best_objective_bound + 1e-6)

    placed, diversity = _score(pool, progress.cohorts)
    combinatorial = pool.diversity_bound(placed)
    if diversity < combinatorial:
        polish_deadline = min(deadline - GEO_SHARE * time_limit, time.monotonic() + 0.1 * time_limit)
        progress.cohorts = _widen_mix(pool, progress.cohorts, polish_deadline)
        placed, diversity = _score(pool, progress.cohorts)
    progress.diversity_proven = diversity >= combinatorial
    if most_cohorts and placed and not progress.diversity_proven:
        slots = _SlotModel(pool, most_cohorts)
        slots.model.add(slots.placed == placed)
        slots.model.add(slots.diversity <= combinatorial)
        slots.hint(progress.cohorts)
        budget = deadline - time.monotonic() - GEO_SHARE * time_limit
        solved = _solve(slots, slots.diversity, budget, workers) if budget > 0.1 else None
        if solved is not None:
            solver, status = solved
            found = slots.solution(solver, progress.cohorts)
            if _score(pool, found) > _score(pool, progress.cohorts):
                progress.cohorts = found
            progress.solver_bound = math.floor(solver.best_objective_bound + 1e-6)
            progress.diversity_proven = status == cp_model.OPTIMAL

    before_geography = _score(pool, progress.cohorts)
    geo_budget = max(0.0, min(GEO_SHARE * time_limit, deadline - time.monotonic() - 0.05))
    best_spread = _spread(pool, progress.cohorts)
    for from_anchors in (True, False):
        found = _geographic(pool, progress.cohorts, time.monotonic() + geo_budget / 2, from_anchors)
        found = [cohort for cohort in found if cohort]
        placed_found, diversity_found = _score(pool, found)
        if placed_found == before_geography[0] and diversity_found >= before_geography[1]:
            spread = _spread(pool, found)
            if spread < best_spread - 1e-9:
                progress.cohorts, best_spread = found, spread
    final = _fill(pool, [cohort for cohort in progress.cohorts if cohort])
    placed, diversity = _score(pool, final)

    bound = pool.diversity_bound(placed)
    if placed == before_geography[0] and progress.solver_bound is not None:
        bound = min(bound, progress.solver_bound)
    bound = max(bound, diversity)
    optimal = progress.placed_proven and placed == before_geography[0] and diversity >= bound

    built = [_Cohort(pool, members) for members in final]
    in_cohort = {i for cohort in final for i in cohort}
    unplaced = [
        Unplaced(pool.candidates[i].key, _reason(pool, i, built, most_cohorts))
        for i in range(pool.size)
        if i not in in_cohort
    ]
    ordered = sorted(sorted(pool.candidates[i].key for i in cohort) for cohort in final)
    return Proposal(
        cohorts=ordered,
        unplaced=unplaced,
        placed=placed,
        diversity=diversity,
        bound=bound,
        optimal=optimal,
        distance=round(_spread(pool, final), 1),
        seconds=round(time.monotonic() - started, 3),
    )
