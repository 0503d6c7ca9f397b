"""Demo data: a believable Plato 56 — CCI du Morbihan, for `make run` and screenshots.

One builder per app (members, groups, meetings, billing, plenaries), called in order by
`build_demo`. Every SIRET is built with valid check digits (members.identifiers), every
NAF code is a real sub-class, towns and postcodes are real Morbihan ones; companies and
people are invented (demo/data.py). Running it again updates in place and creates nothing
twice.
"""

import datetime

from django.db import transaction

from demo.builders import billing, groups, meetings, members, plenaries
from demo.data import MORBIHAN_COMPANIES, SPONSOR_COMPANIES
from members.models import User


@transaction.atomic
def build_demo(today: datetime.date) -> dict[str, User]:
    """Build (or refresh) the demo; the demo accounts by role."""
    bretagne = groups.bretagne()
    plato56 = groups.chapter_56(bretagne)
    plato35 = groups.chapter_35(bretagne)
    for chapter in (plato56, plato35):
        meetings.themes(chapter)

    companies = [members.company(plato56, spec, index) for index, spec in enumerate(MORBIHAN_COMPANIES, 1)]
    sponsors = [
        members.company(plato56, spec, 900 + index) for index, spec in enumerate(SPONSOR_COMPANIES, 1)
    ]
    leaders = [
        members.person(
            members.DEMO_ACCOUNTS["member"]
            if index == 0
            else members.DEMO_ACCOUNTS["alumni"]
            if index == 7
            else None,
            spec,
            company,
            plato56,
        )
        for index, (spec, company) in enumerate(zip(MORBIHAN_COMPANIES, companies, strict=True))
    ]
    sponsor_people = [
        members.person(members.DEMO_ACCOUNTS["sponsor"] if index == 0 else None, spec, company, plato56)
        for index, (spec, company) in enumerate(zip(SPONSOR_COMPANIES, sponsors, strict=True))
    ]
    staff = members.staff(plato56, plato35)
    groups.staff_roles(plato56, plato35, staff)

    cohorts = groups.cohorts(plato56, today, staff["facilitator"])
    active, closed, forming = cohorts
    groups.memberships(cohorts, companies, leaders, sponsors, sponsor_people)
    active_leaders = [leaders[index] for index in groups.ACTIVE_COHORT]
    closed_leaders = [leaders[index] for index in groups.CLOSED_COHORT]

    groups.candidates(plato56)
    meetings.meetings(active, active_leaders, staff["facilitator"])
    groups.declared_conflict(plato56, companies[0], staff["coordinator"])
    billing.invoices(active, forming, staff["coordinator"])
    meetings.closed_cohort_history(closed, closed_leaders)
    plenaries.plenaries(
        bretagne,
        plato56,
        plato35,
        today=today,
        active=active_leaders,
        alumni=closed_leaders,
        sponsors=sponsor_people,
        facilitator=staff["facilitator"],
        coordinator=staff["coordinator"],
    )
    members.share_contact_details(
        [leaders[0], leaders[1], leaders[2], sponsor_people[0]], without_phone=leaders[2]
    )
    members.ille_et_vilaine(plato35)

    return {
        "admin": staff["admin"],
        "coordinator": staff["coordinator"],
        "facilitator": staff["facilitator"],
        "member": leaders[0],
        "sponsor": sponsor_people[0],
        "alumni": leaders[7],
        "coordinator_35": staff["coordinator_35"],
    }
