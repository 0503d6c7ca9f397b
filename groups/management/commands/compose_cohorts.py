"""`manage.py compose_cohorts`: propose cohorts from a CSV file of candidates, store nothing.

    python manage.py compose_cohorts --chapter 56 --candidates candidates.csv --format json

The file has the columns of the coordinator's import (groups/candidate_csv.py); the
chapter gives the group sizes and the competitor rule (granularity and declared
conflicts), and --min-size / --max-size override the sizes. JSON on stdout is meant
for scripts and keeps its shape:

    {"cohorts": [{"members": [SIRET, ...]}, ...],
     "unplaced": [{"siret": SIRET, "reason": TEXT}, ...],
     "objective": {"placed": N, "diversity": N, "bound": N, "optimal": B, "distance": KM, "seconds": S}}
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from groups import competition
from groups.candidate_csv import CandidateRow, parse_candidates
from groups.composer import ComposerCandidate, Proposal, compose
from groups.models import Chapter
from groups.selectors import competitor_rule


class Command(BaseCommand):
    help = "Propose cohorts without competitors from a CSV file of candidates (nothing is stored)."

    def add_arguments(self, parser):
        parser.add_argument("--chapter", required=True, help="The chapter's code, e.g. 56.")
        parser.add_argument(
            "--candidates", required=True, help="CSV file of candidates (the import's columns)."
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--min-size", type=int, help="Smallest group (default: the chapter's).")
        parser.add_argument("--max-size", type=int, help="Largest group (default: the chapter's).")
        parser.add_argument(
            "--time-limit", type=float, default=10.0, help="Seconds for the search (default 10)."
        )

    def handle(self, *args, **options):
        chapter = Chapter.objects.filter(code=options["chapter"]).first()
        if chapter is None:
            raise CommandError(_("No chapter has the code “%(code)s”.") % {"code": options["chapter"]})
        low = options["min_size"] if options["min_size"] is not None else chapter.group_min_size
        high = options["max_size"] if options["max_size"] is not None else chapter.group_max_size
        if low < 2:
            raise CommandError(_("The minimum group size must be at least 2."))
        if low > high:
            raise CommandError(
                _("The minimum group size (%(min)d) cannot exceed the maximum (%(max)d).")
                % {"min": low, "max": high}
            )
        if options["time_limit"] <= 0:
            raise CommandError(_("The time limit must be a positive number of seconds."))
        rows = self._read(Path(options["candidates"]))
        rule = competitor_rule(chapter)
        proposal = compose(
            [_candidate(row) for row in rows],
            rule=rule,
            min_size=low,
            max_size=high,
            time_limit=options["time_limit"],
        )
        if options["format"] == "json":
            self.stdout.write(json.dumps(_as_json(proposal), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(_as_text(chapter, rows, rule, proposal, low, high))

    def _read(self, path: Path) -> list[CandidateRow]:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror or error}
            ) from error
        parsed = parse_candidates(data)
        if not parsed.ok:
            for error in parsed.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("%(path)s cannot be used as it is: %(count)d problem(s), listed above.")
                % {"path": path, "count": len(parsed.errors)}
            )
        return parsed.rows


def _candidate(row: CandidateRow) -> ComposerCandidate:
    return ComposerCandidate(
        key=row.siret,
        siret=row.siret,
        naf_code=row.naf_code,
        postcode=row.postcode,
        town=row.town,
        name=row.company_name,
    )


def _as_json(proposal: Proposal) -> dict:
    return {
        "cohorts": [{"members": members} for members in proposal.cohorts],
        "unplaced": [{"siret": unplaced.key, "reason": unplaced.reason} for unplaced in proposal.unplaced],
        "objective": {
            "placed": proposal.placed,
            "diversity": proposal.diversity,
            "bound": proposal.bound,
            "optimal": proposal.optimal,
            "distance": proposal.distance,
            "seconds": proposal.seconds,
        },
    }


def _as_text(chapter, rows, rule, proposal: Proposal, low: int, high: int) -> str:
    by_siret = {row.siret: row for row in rows}
    lines = [
        _("%(chapter)s: %(count)d candidates, groups of %(min)d to %(max)d, competitors: %(granularity)s.")
        % {
            "chapter": chapter,
            "count": len(rows),
            "min": low,
            "max": high,
            "granularity": chapter.get_competitor_granularity_display(),
        },
        _("%(groups)d group(s) proposed, %(placed)d candidate(s) placed, %(unplaced)d not placed.")
        % {"groups": len(proposal.cohorts), "placed": proposal.placed, "unplaced": len(proposal.unplaced)},
        (
            _("Activity mix: %(diversity)d distinct divisions over the groups, the best possible (proven).")
            if proposal.optimal
            else _(
                "Activity mix: %(diversity)d distinct divisions over the groups; the best possible is at most %(bound)d."
            )
        )
        % {"diversity": proposal.diversity, "bound": proposal.bound},
        _("Distances: %(km).1f km from members to their group's centre in all. Search: %(seconds).1f s.")
        % {"km": proposal.distance, "seconds": proposal.seconds},
    ]
    for number, members in enumerate(proposal.cohorts, start=1):
        lines.append("")
        lines.append(_("Group %(number)d (%(size)d members)") % {"number": number, "size": len(members)})
        for siret in members:
            row = by_siret[siret]
            activity = competition.activity_label(row.naf_code, rule.granularity)
            lines.append(f"  {row.company_name} — {siret} — {activity} — {row.postcode} {row.town}")
    if proposal.unplaced:
        lines.append("")
        lines.append(_("Not placed (%(count)d)") % {"count": len(proposal.unplaced)})
        for unplaced in proposal.unplaced:
            row = by_siret[unplaced.key]
            lines.append(
                "  "
                + _("%(name)s — %(siret)s (line %(line)d): %(reason)s")
                % {
                    "name": row.company_name,
                    "siret": unplaced.key,
                    "line": row.line,
                    "reason": unplaced.reason,
                }
            )
    return "\n".join(lines)
