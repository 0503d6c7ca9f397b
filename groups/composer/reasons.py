"""Why a candidate is in no proposed cohort, in a coordinator's words."""

from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from groups import competition
from groups.composer.pool import _Cohort, _Pool


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
    separator = pgettext("between the reasons of one refusal", "; ")
    return _("No group can take it: %(reasons)s.") % {"reasons": separator.join(parts)}
