"""Stages 1 and 2 on OR-Tools CP-SAT: the slot model and its solve."""

from collections import defaultdict

from ortools.sat.python import cp_model

from groups.composer.pool import _Pool
from groups.composer.types import SEED


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
