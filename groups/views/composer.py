"""The composer, for a coordinator: propose cohorts from the qualified candidates, adjust, confirm.

The proposal lives in the coordinator's session (candidate ids only) until it is
confirmed: nothing is written before. Every move asks the competitor rule again.
"""

from collections import Counter
from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView, View

from groups import competition, permissions, selectors
from groups.enums import CandidateState
from groups.forms.composer import ComposeForm, ConfirmCompositionForm
from groups.models import Candidate, Cohort
from groups.services.composer import ProposedCohort, confirm_composition, propose_cohorts
from groups.views.mixins import ChapterFromUrlMixin
from plato.permissions import PlatoPermissionMixin
from plato.views.actions import add_service_error, post_action

OUT = "out"


def _session_key(chapter) -> str:
    return f"composer:{chapter.pk}"


class _ComposerMixin(PlatoPermissionMixin, ChapterFromUrlMixin):
    def has_permission(self):
        return permissions.is_any_coordinator(self.request.user)

    @property
    def stored(self) -> dict | None:
        return self.request.session.get(_session_key(self.chapter))

    def store(self, proposal: dict) -> None:
        self.request.session[_session_key(self.chapter)] = proposal

    def proposal_url(self) -> str:
        return reverse("groups:composer_proposal", kwargs={"code": self.chapter.code})

    def no_proposal(self, *, level=messages.INFO):
        """Back to the composer, saying why: the proposal was confirmed or dropped meanwhile
        (another tab), or the session that held it ended."""
        messages.add_message(self.request, level, _("Run the composer first."))
        return redirect(reverse("groups:composer", kwargs={"code": self.chapter.code}))


class ComposerView(_ComposerMixin, FormView):
    template_name = "groups/composer.html"
    form_class = ComposeForm

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"chapter": self.chapter}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        qualified = selectors.qualified_candidates(self.chapter)
        context["qualified"] = qualified
        context["divisions"] = len({competition.division_of(candidate.naf_code) for candidate in qualified})
        context["has_proposal"] = self.stored is not None
        return context

    def form_valid(self, form):
        proposal = propose_cohorts(
            self.chapter, min_size=form.cleaned_data["min_size"], max_size=form.cleaned_data["max_size"]
        )
        self.store(
            {
                "min_size": form.cleaned_data["min_size"],
                "max_size": form.cleaned_data["max_size"],
                "groups": [[int(key) for key in keys] for keys in proposal.cohorts],
                "unplaced": [[int(item.key), item.reason] for item in proposal.unplaced],
                "objective": {
                    "placed": proposal.placed,
                    "diversity": proposal.diversity,
                    "bound": proposal.bound,
                    "optimal": proposal.optimal,
                    "seconds": round(proposal.seconds, 1),
                },
                "moved": False,
            }
        )
        return redirect(self.proposal_url())


class ComposerProposalView(_ComposerMixin, TemplateView):
    template_name = "groups/composer_proposal.html"

    def get(self, request, *args, **kwargs):
        if self.stored is None:
            return self.no_proposal()
        return super().get(request, *args, **kwargs)

    @cached_property
    def candidates(self) -> dict[int, Candidate]:
        stored = self.stored
        ids = [pk for group in stored["groups"] for pk in group] + [pk for pk, _reason in stored["unplaced"]]
        return {
            candidate.pk: candidate
            for candidate in Candidate.objects.filter(chapter=self.chapter, pk__in=ids)
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stored = self.stored
        rule = selectors.competitor_rule(self.chapter)
        groups = []
        for index, ids in enumerate(stored["groups"]):
            members = [self.candidates[pk] for pk in ids if pk in self.candidates]
            towns = Counter(candidate.town for candidate in members)
            groups.append(
                {
                    "index": index,
                    "number": index + 1,
                    "members": members,
                    "size": len(members),
                    "divisions": len({competition.division_of(candidate.naf_code) for candidate in members}),
                    "towns": towns.most_common(3),
                    "below_min": len(members) < stored["min_size"],
                    "conflicts": rule.pairs_within(members),
                }
            )
        stale = [
            candidate for candidate in self.candidates.values() if candidate.state != CandidateState.QUALIFIED
        ]
        missing = len([pk for group in stored["groups"] for pk in group if pk not in self.candidates])
        confirm_form = kwargs.get("confirm_form") or ConfirmCompositionForm(
            group_count=len(groups),
            chapter=self.chapter,
            initial=_suggested_names(self.chapter, groups),
        )
        for group in groups:
            group["name_field"] = confirm_form[f"name_{group['index']}"]
        context |= {
            "groups": groups,
            "unplaced": [
                (self.candidates[pk], reason) for pk, reason in stored["unplaced"] if pk in self.candidates
            ],
            "objective": stored["objective"],
            "min_size": stored["min_size"],
            "max_size": stored["max_size"],
            "moved": stored["moved"],
            "stale": stale or missing,
            "gap": _gap(stored["objective"]),
            "confirm_form": confirm_form,
            "targets": [
                (str(group["index"]), _("Group %(number)d") % {"number": group["number"]}) for group in groups
            ]
            + [(OUT, _("Not placed"))],
        }
        return context


def _gap(objective: dict) -> float:
    bound = objective["bound"]
    return 0.0 if not bound else round(100 * (bound - objective["diversity"]) / bound, 1)


def _suggested_names(chapter, groups) -> dict:
    """ "Vannes 2027", "Lorient 2027": the main town of each group and next year, unique in the chapter."""
    year = timezone.localdate().year + 1
    taken = {name.lower() for name in Cohort.objects.filter(chapter=chapter).values_list("name", flat=True)}
    names = {}
    for group in groups:
        town = group["towns"][0][0] if group["towns"] else chapter.name
        name, suffix = f"{town} {year}", 2
        while name.lower() in taken:
            name, suffix = f"{town} {year} ({suffix})", suffix + 1
        taken.add(name.lower())
        names[f"name_{group['index']}"] = name
    return names


class ComposerMoveView(_ComposerMixin, View):
    """POST only: move one candidate to another proposed group (or out); the rule is asked."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        stored = self.stored
        if stored is None:
            return self.no_proposal(level=messages.ERROR)

        def move():
            self._move(stored, request.POST.get("candidate", ""), request.POST.get("target", ""))
            stored["moved"] = True
            self.store(stored)

        # `_move` says what it did (moved, set aside); a refusal is the error message.
        return post_action(request, move, then=self.proposal_url())

    def _move(self, stored: dict, candidate_value: str, target: str) -> None:
        if not candidate_value.isascii() or not candidate_value.isdigit():
            raise ValidationError(_("Choose a candidate of the proposal."))
        candidate_id = int(candidate_value)
        source = next((index for index, ids in enumerate(stored["groups"]) if candidate_id in ids), None)
        unplaced_ids = [pk for pk, _reason in stored["unplaced"]]
        if source is None and candidate_id not in unplaced_ids:
            raise ValidationError(_("Choose a candidate of the proposal."))
        candidate = Candidate.objects.filter(chapter=self.chapter, pk=candidate_id).first()
        if candidate is None:
            raise ValidationError(_("This candidate no longer exists: run the composer again."))
        if target == OUT:
            if source is None:
                return
            stored["groups"][source].remove(candidate_id)
            stored["unplaced"].append([candidate_id, _("Set aside by the coordinator.")])
            messages.success(self.request, _("%(name)s is set aside.") % {"name": candidate})
            return
        if not target.isascii() or not target.isdigit() or int(target) >= len(stored["groups"]):
            raise ValidationError(_("Choose a group of the proposal."))
        destination = int(target)
        if destination == source:
            return
        members = list(Candidate.objects.filter(pk__in=stored["groups"][destination]))
        conflicts = selectors.competitor_rule(self.chapter).conflicts(candidate, members)
        if conflicts:
            raise ValidationError([conflict.message for conflict in conflicts])
        if len(members) >= stored["max_size"]:
            raise ValidationError(
                _("Group %(number)d is full (%(max)d): move someone out of it first.")
                % {"number": destination + 1, "max": stored["max_size"]}
            )
        if source is None:
            stored["unplaced"] = [item for item in stored["unplaced"] if item[0] != candidate_id]
        else:
            stored["groups"][source].remove(candidate_id)
        stored["groups"][destination].append(candidate_id)
        messages.success(
            self.request,
            _("%(name)s moved to group %(number)d.") % {"name": candidate, "number": destination + 1},
        )


composer_move = ComposerMoveView.as_view()


class ComposerConfirmView(ComposerProposalView):
    """POST only: create the proposed cohorts (forming) and place their candidates, all or nothing."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        stored = self.stored
        if stored is None:
            return self.no_proposal(level=messages.ERROR)
        form = ConfirmCompositionForm(request.POST, group_count=len(stored["groups"]), chapter=self.chapter)
        if form.is_valid():
            proposed = [
                ProposedCohort(name=name, candidate_ids=ids)
                for name, ids in zip(form.names(), stored["groups"], strict=True)
                if ids
            ]
            try:
                cohorts = confirm_composition(
                    self.chapter,
                    proposed,
                    actor=request.user,
                    start_date=form.cleaned_data["start_date"],
                    min_size=stored["min_size"],
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                del request.session[_session_key(self.chapter)]
                messages.success(
                    request,
                    ngettext(
                        "%(count)d cohort was created, forming: %(names)s.",
                        "%(count)d cohorts were created, forming: %(names)s.",
                        len(cohorts),
                    )
                    % {"count": len(cohorts), "names": ", ".join(cohort.name for cohort in cohorts)},
                )
                return redirect(reverse("groups:cohort_list") + f"?chapter={self.chapter.pk}&state=forming")
        return self.render_to_response(self.get_context_data(confirm_form=form))


composer_confirm = ComposerConfirmView.as_view()
