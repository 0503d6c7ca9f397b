"""The chapter's declared conflicts: declaring one between cohort mates says they already sit together."""

from django.contrib.messages import get_messages
from django.urls import reverse

from groups.models import Membership
from tests import factories


def test_declaring_a_conflict_between_cohort_mates_says_they_already_sit_together(
    chapter, cohort, member_membership, coordinator, login
):
    mate = factories.MembershipFactory(
        cohort=cohort, company__naf_code="73.11Z", company__name="Agence Vannetaise"
    )

    response = login(coordinator).post(
        reverse("groups:conflict_list", kwargs={"code": chapter.code}),
        {
            "party": member_membership.company.siren,
            "other_party": mate.company.siren,
            "reason": "Mêmes clients",
        },
    )

    (message,) = [m for m in get_messages(response.wsgi_request)]
    assert message.level_tag == "warning"
    assert "Golfe du Morbihan" in str(message)
    assert Membership.objects.filter(cohort=cohort).count() == 2  # declaring moves nobody
