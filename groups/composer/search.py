"""Greedy start, repair and fill, and the local searches of stages 2 (mix) and 3 (distances)."""

import math
import time
from collections import Counter, defaultdict

from groups.composer.geography import _centre, _kmeans
from groups.composer.pool import _Cohort, _mix_change, _Pool, _takes_place

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
