"""What the composer takes and gives: candidates in, a proposal and the unplaced out."""

from dataclasses import dataclass

# The solver's random seed: the same candidates always give the same proposal.
SEED = 56


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
