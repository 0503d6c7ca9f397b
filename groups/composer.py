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

import csv
import math
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ortools.sat.python import cp_model

from groups import competition

POSTCODES_FILE = Path(__file__).parent / "data" / "postcodes.csv"
SEED = 56
GEO_SHARE = 0.2  # of the time limit, at most, for stage 3 (it converges far sooner)


@dataclass(frozen=True)
class ComposerCandidate:
    key: str  # unique in the pool: a SIRET for the command, "candidate-<id>" from the app
    siret: str
    naf_code: str  # canonical "62.01Z"
    postcode: str
    town: str
    name: str  # company name, for messages

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Unplaced:
    key: str
    reason: str


@dataclass
class Proposal:
    cohorts: list[list[str]]  # candidate keys per proposed cohort
    unplaced: list[Unplaced]
    placed: int
    diversity: int  # Σ over cohorts of distinct NAF divisions
    bound: int  # proven upper bound on diversity for this many placed
    optimal: bool  # placed and diversity proven best
    distance: float  # km: Σ over cohorts of members' distances to the cohort's centre
    seconds: float

    @property
    def gap(self) -> float:
        """How far diversity may be from the best possible, as a fraction of the bound."""
        return (self.bound - self.diversity) / self.bound if self.bound else 0.0


# --- Geography ---------------------------------------------------------------------------


@cache
def _postcode_points() -> dict[str, tuple[float, float]]:
    with POSTCODES_FILE.open(encoding="utf-8", newline="") as data:
        return {
            row["postcode"]: (float(row["latitude"]), float(row["longitude"])) for row in csv.DictReader(data)
        }


@cache
def _prefix_points() -> dict[str, tuple[float, float]]:
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for postcode, (latitude, longitude) in _postcode_points().items():
        for length in (2, 3, 4):
            entry = sums[postcode[:length]]
            entry[0] += latitude
            entry[1] += longitude
            entry[2] += 1
    return {prefix: (lat / count, lon / count) for prefix, (lat, lon, count) in sums.items()}


def postcode_point(postcode: str) -> tuple[float, float] | None:
    """Latitude and longitude of a postcode, or of its longest known prefix; None if unknown."""
    postcode = (postcode or "").strip()
    found = _postcode_points().get(postcode)
    if found is not None:
        return found
    for length in (4, 3, 2):
        found = _prefix_points().get(postcode[:length]) if len(postcode) >= length else None
        if found is not None:
            return found
    return None


def _planar(points: list[tuple[float, float] | None]) -> list[tuple[float, float] | None]:
    """Kilometres on a flat projection centred on the pool: within 1 % at a département's scale."""
    known = [point for point in points if point is not None]
    if not known:
        return points
    reference = math.radians(sum(lat for lat, _lon in known) / len(known))
    east = 111.32 * math.cos(reference)
    return [None if point is None else (point[1] * east, point[0] * 110.57) for point in points]


def _centre(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    if not points:
        return None
    return (sum(x for x, _y in points) / len(points), sum(y for _x, y in points) / len(points))


def _kmeans(points: list[tuple[float, float]], k: int, rounds: int = 12) -> list[tuple[float, float]]:
    """k anchors spread over the points (farthest-point start, then Lloyd): deterministic."""
    middle = _centre(points)
    first = min(points, key=lambda p: (math.dist(p, middle), p))
    anchors = [first]
    nearest = [math.dist(p, first) for p in points]
    while len(anchors) < min(k, len(set(points))):
        index = max(range(len(points)), key=lambda i: (nearest[i], -i))
        anchors.append(points[index])
        nearest = [min(d, math.dist(p, points[index])) for d, p in zip(nearest, points, strict=True)]
    for _round in range(rounds):
        members: list[list[tuple[float, float]]] = [[] for _anchor in anchors]
        for point in points:
            members[min(range(len(anchors)), key=lambda a: math.dist(point, anchors[a]))].append(point)
        anchors = [_centre(group) or anchor for group, anchor in zip(members, anchors, strict=True)]
    while len(anchors) < k:  # fewer distinct places than cohorts
        anchors.append(anchors[len(anchors) % max(1, len(anchors))])
    return anchors


# --- The pool ----------------------------------------------------------------------------


class _Pool:
    """The candidates in key order, with what the model and the messages need about each."""

    def __init__(self, candidates: Sequence[ComposerCandidate], rule: competition.Rule, low: int, high: int):
        self.candidates = sorted(candidates, key=lambda candidate: candidate.key)
        keys = [candidate.key for candidate in self.candidates]
        if len(set(keys)) != len(keys):
            raise ValueError("Candidate keys must be unique in a pool.")
        self.rule, self.low, self.high = rule, low, high
        self.size = len(self.candidates)
        self.activity = [competition.activity_key(c.naf_code, rule.granularity) for c in self.candidates]
        self.division = [competition.division_of(c.naf_code) for c in self.candidates]
        self.siren = [competition.siren_of(c.siret) for c in self.candidates]
        present = set(self.siren)
        # Declared conflicts between two legal entities both in the pool, by SIREN.
        partners: dict[str, set[str]] = defaultdict(set)
        for siren_a, siren_b in rule.declared:
            if siren_a != siren_b and siren_a in present and siren_b in present:
                partners[siren_a].add(siren_b)
                partners[siren_b].add(siren_a)
        self.partners = dict(partners)
        self.activity_count = Counter(self.activity)
        self.siren_count = Counter(self.siren)
        self.division_count = Counter(self.division)
        # Candidates whose only ties are their activity key are interchangeable in stages 1–2.
        self.special = [self.siren_count[s] > 1 or s in self.partners for s in self.siren]
        self.points = _planar([postcode_point(c.postcode) for c in self.candidates])

    def capacity(self, cohorts: int) -> int:
        """At most this many candidates fit in that many cohorts (one per activity, per company)."""
        return min(
            cohorts * self.high,
            sum(min(count, cohorts) for count in self.activity_count.values()),
            sum(min(count, cohorts) for count in self.siren_count.values()),
        )

    @cached_property
    def possible_cohort_counts(self) -> list[int]:
        return [k for k in range(1, self.size // self.low + 1) if self.capacity(k) >= k * self.low]

    def placed_bound(self) -> int:
        return max((self.capacity(k) for k in self.possible_cohort_counts), default=0)

    def diversity_bound(self, placed: int) -> int:
        """No proposal placing `placed` candidates has a wider activity mix than this."""
        return max(
            (
                min(placed, sum(min(count, k) for count in self.division_count.values()))
                for k in self.possible_cohort_counts
                if k * self.low <= placed <= min(k * self.high, self.capacity(k))
            ),
            default=0,
        )


class _Cohort:
    """A cohort being built: members and the sets the conflict checks need."""

    def __init__(self, pool: _Pool, members: Sequence[int] = ()):
        self.pool = pool
        self.members: list[int] = []
        self.activities: set[str] = set()
        self.sirens: set[str] = set()
        self.divisions: Counter[str] = Counter()
        for member in members:
            self.add(member)

    def __len__(self) -> int:
        return len(self.members)

    def fits(self, index: int) -> bool:
        pool = self.pool
        siren = pool.siren[index]
        return (
            len(self.members) < pool.high
            and pool.activity[index] not in self.activities
            and siren not in self.sirens
            and not (pool.partners.get(siren, set()) & self.sirens)
        )

    def add(self, index: int) -> None:
        self.members.append(index)
        self.activities.add(self.pool.activity[index])
        self.sirens.add(self.pool.siren[index])
        self.divisions[self.pool.division[index]] += 1

    def remove(self, index: int) -> None:
        self.members.remove(index)
        self.activities.discard(self.pool.activity[index])
        self.sirens.discard(self.pool.siren[index])
        self.divisions[self.pool.division[index]] -= 1
        if not self.divisions[self.pool.division[index]]:
            del self.divisions[self.pool.division[index]]


def _takes_place(pool: _Pool, cohort: _Cohort, new: int, old: int) -> bool:
    """May `new` take `old`'s seat in the cohort without a competitor or a second establishment?"""
    activity, siren = pool.activity[new], pool.siren[new]
    if activity in cohort.activities and activity != pool.activity[old]:
        return False
    if siren in cohort.sirens and siren != pool.siren[old]:
        return False
    partners = pool.partners.get(siren)
    return not (partners and partners & (cohort.sirens - {pool.siren[old]}))


def _mix_change(pool: _Pool, cohort: _Cohort, gone: int, come: int | None) -> int:
    """How the cohort's number of divisions changes when `gone` leaves and `come` (if any) joins."""
    left, joined = pool.division[gone], None if come is None else pool.division[come]
    if left == joined:
        return 0
    return (joined is not None and cohort.divisions[joined] == 0) - (cohort.divisions[left] == 1)


def _diversity(pool: _Pool, cohorts: list[list[int]]) -> int:
    return sum(len({pool.division[i] for i in cohort}) for cohort in cohorts)


def _score(pool: _Pool, cohorts: list[list[int]]) -> tuple[int, int]:
    return sum(len(cohort) for cohort in cohorts), _diversity(pool, cohorts)


# --- Greedy: the hint, and the answer when it reaches the bounds ----------------------------


def _greedy(pool: _Pool, k: int) -> list[list[int]]:
    """k cohorts filled most-constrained activity first, each member where its division is new."""
    selected: dict[str, list[int]] = defaultdict(list)
    for index in sorted(range(pool.size), key=lambda i: (not pool.special[i], i)):
        if len(selected[pool.activity[index]]) < k:
            selected[pool.activity[index]].append(index)
    excess = sum(map(len, selected.values())) - k * pool.high
    while excess > 0:  # drop where the mix loses least: the most crowded division, its largest activity
        division_size: Counter[str] = Counter()
        for members in selected.values():
            if members:
                division_size[pool.division[members[0]]] += len(members)
        division = max(division_size, key=lambda d: (division_size[d], d))
        activity = max(
            (a for a, m in selected.items() if m and pool.division[m[0]] == division),
            key=lambda a: (len(selected[a]), a),
        )
        selected[activity].pop()
        excess -= 1
    cohorts = [_Cohort(pool) for _slot in range(k)]
    for activity in sorted(selected, key=lambda a: (-pool.activity_count[a], a)):
        for index in selected[activity]:
            open_cohorts = [c for c in range(k) if cohorts[c].fits(index)]
            if not open_cohorts:
                continue  # left for the repair
            division = pool.division[index]
            best = min(open_cohorts, key=lambda c: (cohorts[c].divisions[division] > 0, len(cohorts[c]), c))
            cohorts[best].add(index)
    return _repair(pool, [cohort.members for cohort in cohorts])


def _repair(pool: _Pool, cohorts: list[list[int]]) -> list[list[int]]:
    """Bring every cohort to the minimum size or dissolve it, then place whoever still fits."""
    built = [_Cohort(pool, members) for members in cohorts if members]
    while True:
        placed = {i for cohort in built for i in cohort.members}
        unplaced = [i for i in range(pool.size) if i not in placed]
        short = [cohort for cohort in built if len(cohort) < pool.low]
        if not short:
            break
        cohort = min(short, key=len)
        for index in unplaced:
            if len(cohort) < pool.low and cohort.fits(index):
                cohort.add(index)
        for donor in sorted(built, key=len, reverse=True):
            for index in list(donor.members):
                if len(cohort) >= pool.low or len(donor) <= pool.low or donor is cohort:
                    break
                if cohort.fits(index):
                    donor.remove(index)
                    cohort.add(index)
        if len(cohort) < pool.low:
            built.remove(cohort)
    return _fill(pool, [cohort.members for cohort in built])


def _fill(pool: _Pool, cohorts: list[list[int]]) -> list[list[int]]:
    """Add every unplaced candidate who fits somewhere, then form cohorts from the rest if possible."""
    built = [_Cohort(pool, members) for members in cohorts]
    placed = {i for cohort in cohorts for i in cohort}
    for index in range(pool.size):
        if index in placed:
            continue
        division = pool.division[index]
        open_cohorts = [c for c in built if c.fits(index)]
        if open_cohorts:
            min(open_cohorts, key=lambda c: (c.divisions[division] > 0, len(c))).add(index)
            placed.add(index)
    while True:  # a new cohort among the unplaced (only when a stage stopped short of the optimum)
        fresh = _Cohort(pool)
        for index in range(pool.size):
            if index not in placed and fresh.fits(index):
                fresh.add(index)
        if len(fresh) < pool.low:
            break
        built.append(fresh)
        placed.update(fresh.members)
    return [cohort.members for cohort in built]


def _widen_mix(pool: _Pool, cohorts: list[list[int]], deadline: float) -> list[list[int]]:
    """Swaps and moves that add a division to the mix, as many placed, until none is left.

    A cheap polish of the greedy solution before CP-SAT, which on large pools with many
    declared conflicts may need all its time to presolve.
    """
    built = [_Cohort(pool, members) for members in cohorts]
    where = {i: c for c, cohort in enumerate(built) for i in cohort.members}
    improved = True
    while improved and time.monotonic() < deadline:
        improved = False
        for index in sorted(where):
            here = where[index]
            origin = built[here]
            move = _widening_move(pool, built, where, index, here)
            if move is None:
                continue
            improved = True
            there, other = move
            origin.remove(index)
            if other is not None:  # out before in: the sets hold one member per activity
                if there is not None:
                    built[there].remove(other)
                origin.add(other)
                where[other] = here
            if there is None:
                del where[index]
            else:
                built[there].add(index)
                where[index] = there
            if time.monotonic() > deadline:
                break
    return [cohort.members for cohort in built]


def _widening_move(
    pool: _Pool, built: list[_Cohort], where: dict[int, int], index: int, here: int
) -> tuple[int | None, int | None] | None:
    """(cohort or None for unplaced, candidate or None for a plain move) that widens the mix."""
    origin, division = built[here], pool.division[index]
    for other in range(pool.size):
        there = where.get(other)
        if other == index or there == here:
            continue
        if there is None:
            if _mix_change(pool, origin, index, other) > 0 and _takes_place(pool, origin, other, index):
                return None, other
            continue
        target = built[there]
        if (
            _mix_change(pool, origin, index, other) + _mix_change(pool, target, other, index) > 0
            and _takes_place(pool, origin, other, index)
            and _takes_place(pool, target, index, other)
        ):
            return there, other
    if len(origin) > pool.low and origin.divisions[division] > 1:
        for there, target in enumerate(built):
            if there != here and target.divisions[division] == 0 and target.fits(index):
                return there, None
    return None


# --- CP-SAT ------------------------------------------------------------------------------


def _solver(seconds: float, workers: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.interleave_search = workers > 1
    solver.parameters.random_seed = SEED
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    return solver


class _SlotModel:
    """Stages 1 and 2: plain candidates counted per activity key and slot, the others one by one."""

    def __init__(self, pool: _Pool, slots: int):
        self.pool, self.slots = pool, slots
        model = self.model = cp_model.CpModel()
        self.plain: dict[str, list[int]] = defaultdict(list)
        for index in range(pool.size):
            if not pool.special[index]:
                self.plain[pool.activity[index]].append(index)
        specials = [i for i in range(pool.size) if pool.special[i]]
        # The most common plain activity fills a prefix of the slots: breaks slot symmetry.
        self.leading = max(self.plain, key=lambda a: (len(self.plain[a]), a), default=None)
        self.used = [model.new_bool_var(f"used{j}") for j in range(slots)]
        self.grouped = {(a, j): model.new_bool_var(f"w{a}_{j}") for a in self.plain for j in range(slots)}
        self.single = {(i, j): model.new_bool_var(f"x{i}_{j}") for i in specials for j in range(slots)}
        by_activity: dict[tuple[str, int], list] = defaultdict(list)
        by_division: dict[tuple[str, int], list] = defaultdict(list)
        by_siren: dict[tuple[str, int], list] = defaultdict(list)
        by_slot: dict[int, list] = defaultdict(list)
        for (activity, j), var in self.grouped.items():
            by_activity[activity, j].append(var)
            by_division[pool.division[self.plain[activity][0]], j].append(var)
            by_slot[j].append(var)
        for (i, j), var in self.single.items():
            by_activity[pool.activity[i], j].append(var)
            by_division[pool.division[i], j].append(var)
            by_siren[pool.siren[i], j].append(var)
            by_slot[j].append(var)
        for activity, members in self.plain.items():
            model.add(sum(self.grouped[activity, j] for j in range(slots)) <= len(members))
        for i in specials:
            model.add_at_most_one(self.single[i, j] for j in range(slots))
        for terms in by_activity.values():
            if len(terms) > 1:
                model.add_at_most_one(terms)
        for (siren, j), terms in by_siren.items():
            if len(terms) > 1:
                model.add_at_most_one(terms)
            for partner in pool.partners.get(siren, ()):
                if siren < partner:
                    model.add_at_most_one(terms + by_siren[partner, j])
        self.sizes = []
        for j in range(slots):
            size = sum(by_slot[j])
            model.add(size >= pool.low * self.used[j])
            model.add(size <= pool.high * self.used[j])
            self.sizes.append(size)
            if j + 1 < slots:
                model.add_implication(self.used[j + 1], self.used[j])
                if self.leading is not None:
                    model.add_implication(self.grouped[self.leading, j + 1], self.grouped[self.leading, j])
        self.mix = {key: model.new_bool_var(f"z{key[0]}_{key[1]}") for key in by_division}
        for key, var in self.mix.items():
            model.add(var <= sum(by_division[key]))
        self.placed = sum(self.sizes)
        self.diversity = sum(self.mix.values())

    def hint(self, cohorts: list[list[int]]) -> None:
        pool = self.pool
        ordered = sorted(
            cohorts,
            key=lambda c: not any(pool.activity[i] == self.leading and not pool.special[i] for i in c),
        )
        slot_of = {i: j for j, members in enumerate(ordered) for i in members}
        activities = [{pool.activity[i] for i in members if not pool.special[i]} for members in ordered]
        divisions = [{pool.division[i] for i in members} for members in ordered]
        model = self.model
        model.clear_hints()
        for j, var in enumerate(self.used):
            model.add_hint(var, j < len(ordered))
        for (activity, j), var in self.grouped.items():
            model.add_hint(var, j < len(ordered) and activity in activities[j])
        for (i, j), var in self.single.items():
            model.add_hint(var, slot_of.get(i) == j)
        for (division, j), var in self.mix.items():
            model.add_hint(var, j < len(ordered) and division in divisions[j])

    def solution(self, solver: cp_model.CpSolver, previous: list[list[int]]) -> list[list[int]]:
        """Cohorts of candidates; plain candidates placed before are the first ones kept placed."""
        pool = self.pool
        cohorts: list[list[int]] = [[] for _slot in range(self.slots)]
        for (i, j), var in self.single.items():
            if solver.value(var):
                cohorts[j].append(i)
        for activity, members in self.plain.items():
            slots = [j for j in range(self.slots) if solver.value(self.grouped[activity, j])]
            before = [i for cohort in previous for i in cohort if pool.activity[i] == activity]
            order = before + [i for i in members if i not in before]
            order = [i for i in order if not pool.special[i]]
            for j, index in zip(slots, order, strict=False):
                cohorts[j].append(index)
        return [sorted(cohort) for cohort in cohorts if cohort]


def _solve(
    model: _SlotModel, objective, seconds: float, workers: int
) -> tuple[cp_model.CpSolver, int] | None:
    model.model.maximize(objective)
    solver = _solver(seconds, workers)
    status = solver.solve(model.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return solver, status


# --- Stage 3: towns close together ----------------------------------------------------------


def _match_anchors(
    pool: _Pool, cohorts: list[list[int]], anchors: list[tuple[float, float]]
) -> list[list[int]]:
    """The cohorts reordered so that cohort j is the one closest to anchor j (greedy matching)."""

    def cost(cohort: list[int], anchor: tuple[float, float]) -> float:
        return sum(math.dist(pool.points[i], anchor) for i in cohort if pool.points[i] is not None)

    pairs = sorted(
        (cost(cohort, anchor), c, a) for c, cohort in enumerate(cohorts) for a, anchor in enumerate(anchors)
    )
    order: list[list[int] | None] = [None] * len(anchors)
    done: set[int] = set()
    for _cost, c, a in pairs:
        if c not in done and order[a] is None:
            order[a] = cohorts[c]
            done.add(c)
    return [cohort or [] for cohort in order]


def _geographic(
    pool: _Pool, cohorts: list[list[int]], deadline: float, from_anchors: bool
) -> list[list[int]]:
    """Stage 3: local search, members swapped or moved towards cohort centres; placed and mix kept.

    Every move keeps the sizes within bounds, keeps competitors apart and never narrows a
    cohort's mix, so objectives 1 and 2 stay where stages 1 and 2 left them. Each pass
    makes, for each candidate, the move (swap with a member of a cohort whose centre is
    nearer, move there if sizes allow, or swap with an unplaced candidate nearer the
    centre) that shortens distances to the centres most; centres are then recomputed.
    With `from_anchors`, the first pass pulls towards k-means anchors of the whole pool
    instead of the cohorts' own centres, which all start near the pool's middle.
    """
    points = pool.points
    known = [point for point in points if point is not None]
    if len(cohorts) < 2 or not known:
        return cohorts
    if from_anchors:
        anchors = _kmeans(known, len(cohorts))
        cohorts = _match_anchors(pool, cohorts, anchors)
        centres = list(anchors)
    built = [_Cohort(pool, members) for members in cohorts]
    if not from_anchors:
        centres = [_centre([points[i] for i in c.members if points[i] is not None]) or (0, 0) for c in built]
    where = {i: c for c, cohort in enumerate(built) for i in cohort.members}
    unplaced = [i for i in range(pool.size) if i not in where and points[i] is not None]
    best = ([list(cohort.members) for cohort in built], _spread(pool, [c.members for c in built]))
    moved, passes = True, 0
    # Centres move after each pass, so a pass can lengthen the true spread: keep the best
    # state and stop once a pass brings nothing better.
    while moved and time.monotonic() < deadline:
        moved, passes = False, passes + 1
        for index in range(pool.size):
            here = where.get(index)
            if here is None or points[index] is None or time.monotonic() > deadline:
                continue
            move = _best_move(pool, built, centres, unplaced, index, here)
            if move is None:
                continue
            moved = True
            _gain, there, other = move
            origin = built[here]
            origin.remove(index)
            if there is None:  # an unplaced candidate takes the seat
                origin.add(other)
                unplaced.remove(other)
                unplaced.append(index)
                del where[index]
                where[other] = here
                continue
            if other is not None:  # out before in: the sets hold one member per activity
                built[there].remove(other)
                origin.add(other)
                where[other] = here
            built[there].add(index)
            where[index] = there
        centres = [
            _centre([points[i] for i in cohort.members if points[i] is not None]) or centre
            for cohort, centre in zip(built, centres, strict=True)
        ]
        spread = _spread(pool, [cohort.members for cohort in built])
        if spread < best[1] - 1e-6:
            best = ([list(cohort.members) for cohort in built], spread)
        elif passes > 1:
            break
    return best[0]


def _best_move(
    pool: _Pool,
    built: list[_Cohort],
    centres: list[tuple[float, float]],
    unplaced: list[int],
    index: int,
    here: int,
) -> tuple[float, int | None, int | None] | None:
    """The move of `index` that most shortens distances to the centres: (gain, cohort, other)."""
    points = pool.points
    origin = built[here]
    point = points[index]
    distance_here = math.dist(point, centres[here])
    best = None
    for there, cohort in enumerate(built):
        if there == here:
            continue
        gain_moving = distance_here - math.dist(point, centres[there])
        if gain_moving <= 0:
            continue
        for other in cohort.members:
            if points[other] is None:
                continue
            gain = (
                gain_moving
                + math.dist(points[other], centres[there])
                - math.dist(points[other], centres[here])
            )
            if (
                gain > 1e-9
                and (best is None or gain > best[0])
                and _takes_place(pool, origin, other, index)
                and _takes_place(pool, cohort, index, other)
                and _mix_change(pool, origin, index, other) + _mix_change(pool, cohort, other, index) >= 0
            ):
                best = (gain, there, other)
        if (
            len(origin) > pool.low
            and (best is None or gain_moving > best[0])
            and cohort.fits(index)
            and (cohort.divisions[pool.division[index]] == 0) - (origin.divisions[pool.division[index]] == 1)
            >= 0
        ):
            best = (gain_moving, there, None)
    for other in unplaced:
        gain = distance_here - math.dist(points[other], centres[here])
        if (
            gain > 1e-9
            and (best is None or gain > best[0])
            and _takes_place(pool, origin, other, index)
            and _mix_change(pool, origin, index, other) >= 0
        ):
            best = (gain, None, other)
    return best


def _spread(pool: _Pool, cohorts: list[list[int]]) -> float:
    total = 0.0
    for cohort in cohorts:
        points = [pool.points[i] for i in cohort if pool.points[i] is not None]
        centre = _centre(points)
        total += sum(math.dist(point, centre) for point in points) if centre else 0.0
    return total


# --- Reasons -----------------------------------------------------------------------------


def _names(pool: _Pool, indices) -> str:
    names = sorted({str(pool.candidates[i]) for i in indices})
    return ", ".join(names[:3]) + (", …" if len(names) > 3 else "")


def _reason(pool: _Pool, index: int, cohorts: list[_Cohort], most_cohorts: int) -> str:
    """Why this candidate is in no proposed cohort: true of this proposal, in a coordinator's words."""
    candidate = pool.candidates[index]
    activity = competition.activity_label(candidate.naf_code, pool.rule.granularity)
    if pool.size < pool.low:
        return ngettext(
            "Only %(count)d qualified candidate: a group needs at least %(min)d.",
            "Only %(count)d qualified candidates: a group needs at least %(min)d.",
            pool.size,
        ) % {"count": pool.size, "min": pool.low}
    if not cohorts:
        if len(pool.activity_count) < pool.low:
            return _(
                "No group can be formed: the %(total)d candidates have only %(count)d different activities "
                "between them, and a group needs at least %(min)d."
            ) % {"total": pool.size, "count": len(pool.activity_count), "min": pool.low}
        return _(
            "No group of at least %(min)d candidates without competitors (same activity, same company "
            "or a declared conflict) could be formed."
        ) % {"min": pool.low}
    siren, own_activity = pool.siren[index], pool.activity[index]
    blocked: dict[str, list[_Cohort]] = defaultdict(list)
    others: dict[str, set[int]] = defaultdict(set)
    for cohort in cohorts:
        if own_activity in cohort.activities:
            blocked["activity"].append(cohort)
        elif siren in cohort.sirens:
            blocked["company"].append(cohort)
            others["company"].update(i for i in cohort.members if pool.siren[i] == siren)
        elif pool.partners.get(siren, set()) & cohort.sirens:
            blocked["declared"].append(cohort)
            others["declared"].update(i for i in cohort.members if pool.siren[i] in pool.partners[siren])
        else:
            blocked["full"].append(cohort)
    groups = len(cohorts)
    if len(blocked["activity"]) == groups:
        values = {"count": pool.activity_count[own_activity], "activity": activity, "groups": groups}
        if groups == most_cohorts:
            return (
                ngettext(
                    "%(count)d candidates share the same activity (%(activity)s) and only %(groups)d group "
                    "can be formed: at most one per group.",
                    "%(count)d candidates share the same activity (%(activity)s) and only %(groups)d groups "
                    "can be formed: at most one per group.",
                    groups,
                )
                % values
            )
        return (
            ngettext(
                "%(count)d candidates share the same activity (%(activity)s) and the proposal has "
                "%(groups)d group: at most one per group.",
                "%(count)d candidates share the same activity (%(activity)s) and the proposal has "
                "%(groups)d groups: at most one per group.",
                groups,
            )
            % values
        )
    if len(blocked["full"]) == groups:
        return _("No room left: every group is full (%(max)d).") % {"max": pool.high}
    if len(blocked["declared"]) == groups:
        count = len({pool.siren[i] for i in others["declared"]})
        return ngettext(
            "A declared conflict with %(others)s leaves no group for it.",
            "Declared conflicts with %(others)s leave no group for it.",
            count,
        ) % {"others": _names(pool, others["declared"])}
    if len(blocked["company"]) == groups:
        return _(
            "Another establishment of the same company (%(others)s) is in every group: one place per "
            "company in a group."
        ) % {"others": _names(pool, others["company"])}
    parts = []
    if blocked["activity"]:
        count = len(blocked["activity"])
        parts.append(
            ngettext(
                "%(count)d group already has its activity (%(activity)s)",
                "%(count)d groups already have its activity (%(activity)s)",
                count,
            )
            % {"count": count, "activity": activity}
        )
    if blocked["company"]:
        count = len(blocked["company"])
        parts.append(
            ngettext(
                "%(count)d group has another establishment of the company (%(others)s)",
                "%(count)d groups have another establishment of the company (%(others)s)",
                count,
            )
            % {"count": count, "others": _names(pool, others["company"])}
        )
    if blocked["declared"]:
        count = len(blocked["declared"])
        parts.append(
            ngettext(
                "%(count)d group has a declared conflict (%(others)s)",
                "%(count)d groups have a declared conflict (%(others)s)",
                count,
            )
            % {"count": count, "others": _names(pool, others["declared"])}
        )
    if blocked["full"]:
        count = len(blocked["full"])
        parts.append(
            ngettext("%(count)d group is full (%(max)d)", "%(count)d groups are full (%(max)d)", count)
            % {"count": count, "max": pool.high}
        )
    return _("No group can take it: %(reasons)s.") % {"reasons": "; ".join(parts)}


# --- Entry point ---------------------------------------------------------------------------


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
