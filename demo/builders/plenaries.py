"""The demo's plenaries and local networks: Plato 56's networks, a past departmental plenary
the closed cohort went to, the coming one (full, with a waiting list) and the regional one
where local networks present themselves."""

import datetime

from django.utils import timezone

from demo.data import LOCAL_NETWORKS
from groups.enums import CohortState
from groups.models import Chapter, Region
from members.models import User
from plenaries import services
from plenaries.enums import PlenaryScope, ProgramKind, RegistrationState
from plenaries.models import LocalNetwork, Plenary, ProgramItem, Registration


def plenaries(
    region: Region,
    plato56: Chapter,
    plato35: Chapter,
    *,
    today: datetime.date,
    active: list[User],
    alumni: list[User],
    sponsors: list[User],
    facilitator: User,
    coordinator: User,
) -> None:
    """Plato 56's networks; a past departmental plenary the closed cohort went to; the
    coming departmental one, full, with a waiting list (the demo member may still join
    it); the Bretagne regional one where three local networks present themselves."""
    chapters = {"56": plato56, "35": plato35}
    networks = []
    for code, name, purpose, audience, contact, email, website in LOCAL_NETWORKS:
        network, _ = LocalNetwork.objects.update_or_create(
            chapter=chapters[code],
            name=name,
            defaults={
                "purpose": purpose,
                "audience": audience,
                "contact_name": contact,
                "contact_email": email,
                "website": website,
            },
        )
        networks.append(network)
    if Plenary.objects.filter(region=region).exists():
        return

    zone = timezone.get_current_timezone()

    def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)

    # Two years ago: the closed cohort's departmental plenary, attendance kept at the door.
    past_day = alumni[0].memberships.get(cohort__state=CohortState.CLOSED).cohort.start_date
    past_day = past_day.replace(year=past_day.year + 1, month=3, day=19)
    past = Plenary.objects.create(
        scope=PlenaryScope.DEPARTMENTAL,
        region=region,
        chapter=plato56,
        title=f"Plénière départementale Plato 56 — {past_day.year}",
        starts_at=at(past_day, 17, 30),
        ends_at=at(past_day, 21),
        venue_name="Palais des Arts et des Congrès",
        venue_address="Place de Bretagne",
        venue_postcode="56000",
        venue_town="Vannes",
        capacity=120,
        registration_opens_at=at(past_day - datetime.timedelta(days=45), 9),
        registration_closes_at=at(past_day - datetime.timedelta(days=5), 12),
    )
    closed = alumni[0].memberships.get(cohort__state=CohortState.CLOSED).cohort
    for position, person in enumerate(alumni):
        Registration.objects.create(
            plenary=past,
            person=person,
            attendee="member",
            cohort=closed,
            state=RegistrationState.REGISTERED,
            queued_at=past.registration_opens_at + datetime.timedelta(hours=position),
            checked_in_at=None
            if position in (3, 6)
            else past.starts_at + datetime.timedelta(minutes=position),
            checked_in_by=coordinator,
        )

    now = timezone.now()
    day = today + datetime.timedelta(days=24)
    departmental = Plenary.objects.create(
        scope=PlenaryScope.DEPARTMENTAL,
        region=region,
        chapter=plato56,
        title=f"Plénière départementale Plato 56 — {day.year}",
        description=(
            "La soirée annuelle des groupes Plato du Morbihan : un témoignage, des ateliers entre "
            "groupes et la présentation d’un réseau local, puis un cocktail."
        ),
        starts_at=at(day, 17, 30),
        ends_at=at(day, 21),
        venue_name="Palais des Arts et des Congrès",
        venue_address="Place de Bretagne",
        venue_postcode="56000",
        venue_town="Vannes",
        capacity=14,
        registration_opens_at=now - datetime.timedelta(days=12),
        registration_closes_at=at(day - datetime.timedelta(days=5), 12),
    )
    for starts, ends, kind, title, speakers, network in (
        ((17, 30), (18, 0), ProgramKind.BREAK, "Accueil", "", None),
        (
            (18, 0),
            (18, 45),
            ProgramKind.TALK,
            "Recruter en 2027 : ce que font autrement les PME du Morbihan",
            "Anne Rouxel, dirigeante de Rouxel Menuiseries",
            None,
        ),
        (
            (18, 45),
            (19, 45),
            ProgramKind.EXCHANGE,
            "Ateliers entre groupes Plato",
            "Les animateurs",
            None,
        ),
        ((19, 45), (20, 15), ProgramKind.NETWORK, networks[0].name, "Nolwenn Le Berre", networks[0]),
        ((20, 15), (21, 0), ProgramKind.BREAK, "Cocktail", "", None),
    ):
        ProgramItem.objects.create(
            plenary=departmental,
            starts_at=datetime.time(*starts),
            ends_at=datetime.time(*ends),
            kind=kind,
            title=title,
            speakers=speakers,
            network=network,
        )
    # Full, with three on the waiting list; the demo member (active[0]) and the demo
    # alumni (alumni[0]) have not answered: each may still join the waiting list.
    crowd = [*active[1:], sponsors[1], facilitator, *alumni[1:6]]
    for minutes, person in enumerate(crowd):
        services.register(
            departmental,
            person,
            actor=person,
            now=departmental.registration_opens_at + datetime.timedelta(hours=3, minutes=17 * minutes),
        )

    day = today + datetime.timedelta(days=61)
    regional = Plenary.objects.create(
        scope=PlenaryScope.REGIONAL,
        region=region,
        organiser=plato56,  # Plato 35 sees it and manages its own people's registrations
        title=f"Plénière régionale Plato Bretagne — {day.year}",
        description=(
            "Les groupes Plato de Bretagne se retrouvent : témoignages, échanges entre départements "
            "et trois réseaux locaux qui présentent ce qu’ils proposent aux dirigeants après Plato."
        ),
        starts_at=at(day, 14),
        ends_at=at(day, 18, 30),
        venue_name="Couvent des Jacobins — Centre des congrès",
        venue_address="20 place Sainte-Anne",
        venue_postcode="35000",
        venue_town="Rennes",
        capacity=250,
        registration_opens_at=now - datetime.timedelta(days=3),
        registration_closes_at=at(day - datetime.timedelta(days=10), 12),
    )
    for starts, ends, kind, title, speakers, network in (
        (
            (14, 0),
            (14, 30),
            ProgramKind.TALK,
            "Ouverture : dix ans de Plato en Bretagne",
            "Les CCI de Bretagne",
            None,
        ),
        (
            (14, 30),
            (15, 45),
            ProgramKind.EXCHANGE,
            "Échanges entre groupes des quatre départements",
            "",
            None,
        ),
        ((16, 0), (16, 20), ProgramKind.NETWORK, networks[1].name, "Catherine Jaffré", networks[1]),
        ((16, 20), (16, 40), ProgramKind.NETWORK, networks[2].name, "Thierry Le Corre", networks[2]),
        ((16, 40), (17, 0), ProgramKind.NETWORK, networks[3].name, "Bruno Hamon", networks[3]),
        ((17, 0), (18, 30), ProgramKind.BREAK, "Cocktail", "", None),
    ):
        ProgramItem.objects.create(
            plenary=regional,
            starts_at=datetime.time(*starts),
            ends_at=datetime.time(*ends),
            kind=kind,
            title=title,
            speakers=speakers,
            network=network,
        )
    for minutes, person in enumerate([sponsors[0], *active[2:6], facilitator]):
        services.register(
            regional,
            person,
            actor=person,
            now=regional.registration_opens_at + datetime.timedelta(minutes=minutes),
        )
