"""The pool of candidates, its bounds, and the cohorts being built with their checks."""

from collections import Counter, defaultdict
from collections.abc import Sequence
from functools import cached_property

from groups import competition
from groups.composer.geography import _planar, postcode_point
from groups.composer.types import ComposerCandidate


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
