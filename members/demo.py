"""Demo data: a believable Plato 56 — CCI du Morbihan, for `make run` and screenshots.

Every SIRET is built with valid check digits (python-stdnum's Luhn), every NAF code
is a real sub-class, towns and postcodes are real Morbihan ones; companies and people
are invented. Running it again updates in place and creates nothing twice.
"""

import datetime
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from groups.enums import (
    CandidateSource,
    CohortState,
    ConflictSource,
    MembershipState,
    StaffRole,
)
from groups.models import (
    Candidate,
    Chapter,
    ChapterRole,
    Cohort,
    DeclaredConflict,
    Membership,
    Region,
    Sponsorship,
)
from meetings.enums import AttendanceStatus, TopicState
from meetings.models import ActionItem, AgendaItem, Attendance, Ballot, BallotChoice, ChapterTheme, Topic
from meetings.services import ensure_default_themes, generate_schedule
from members.demo_data import (
    CANDIDATES,
    DEMO_MINUTES,
    DEMO_TOPICS,
    LOCAL_NETWORKS,
    MORBIHAN_COMPANIES,
    SPONSOR_COMPANIES,
    DemoCompany,
)
from members.enums import SizeBand
from members.identifiers import make_siret, vat_number_for
from members.models import Company, User
from members.services import save_company

DEMO_PASSWORD = "demo-plato-56"

DEMO_ACCOUNTS = {
    "admin": "admin@plato.test",
    "coordinator": "coordinator@plato.test",
    "facilitator": "facilitator@plato.test",
    "member": "member@plato.test",
    "sponsor": "sponsor@plato.test",
    "alumni": "alumni@plato.test",
    "coordinator_35": "coordinator35@plato.test",
}


# Which companies sit where; indexes into MORBIHAN_COMPANIES.
ACTIVE_COHORT = [0, 1, 2, 3, 4, 5, 6, 8, 10, 11, 12]  # the demo member leads company 0
CLOSED_COHORT = [7, 9, 13, 14, 15, 16, 17, 18, 19, 20]  # the demo alumni leads company 7
FORMING_COHORT = [21, 22, 23, 24, 25, 26]


class DemoBuilder:
    def __init__(self, today: datetime.date):
        self.today = today

    @transaction.atomic
    def build(self) -> dict[str, User]:
        bretagne, _ = Region.objects.get_or_create(code="53")
        plato56 = self._chapter_56(bretagne)
        plato35 = self._chapter_35(bretagne)
        for chapter in (plato56, plato35):
            ensure_default_themes(chapter)

        companies = [self._company(plato56, spec, index) for index, spec in enumerate(MORBIHAN_COMPANIES, 1)]
        sponsors = [
            self._company(plato56, spec, 900 + index) for index, spec in enumerate(SPONSOR_COMPANIES, 1)
        ]
        leaders = [
            self._person(
                DEMO_ACCOUNTS["member"] if index == 0 else DEMO_ACCOUNTS["alumni"] if index == 7 else None,
                spec,
                company,
                plato56,
            )
            for index, (spec, company) in enumerate(zip(MORBIHAN_COMPANIES, companies, strict=True))
        ]
        sponsor_people = [
            self._person(DEMO_ACCOUNTS["sponsor"] if index == 0 else None, spec, company, plato56)
            for index, (spec, company) in enumerate(zip(SPONSOR_COMPANIES, sponsors, strict=True))
        ]

        admin = self._account(
            DEMO_ACCOUNTS["admin"], "Sophie", "Martin", "Responsable du réseau Plato", superuser=True
        )
        coordinator = self._account(
            DEMO_ACCOUNTS["coordinator"], "Gaëlle", "Le Nours", "Coordinatrice Plato 56", chapter=plato56
        )
        facilitator = self._account(
            DEMO_ACCOUNTS["facilitator"], "Kévin", "Le Guennec", "Animateur Plato", chapter=plato56
        )
        coordinator_35 = self._account(
            DEMO_ACCOUNTS["coordinator_35"], "Arnaud", "Pichon", "Coordinateur Plato 35", chapter=plato35
        )
        ChapterRole.objects.get_or_create(user=coordinator, chapter=plato56, role=StaffRole.COORDINATOR)
        ChapterRole.objects.get_or_create(user=facilitator, chapter=plato56, role=StaffRole.FACILITATOR)
        ChapterRole.objects.get_or_create(user=coordinator_35, chapter=plato35, role=StaffRole.COORDINATOR)

        this_autumn = datetime.date(self.today.year - (1 if self.today.month < 9 else 0), 9, 1)
        active_start = self._first_weekday(
            this_autumn.replace(year=this_autumn.year - 1), plato56.meeting_weekday
        )
        closed_start = self._first_weekday(
            this_autumn.replace(year=this_autumn.year - 4), plato56.meeting_weekday
        )
        forming_start = self._first_weekday(
            this_autumn.replace(year=this_autumn.year + 1), plato56.meeting_weekday
        )
        active = self._cohort(plato56, "Golfe du Morbihan", active_start, CohortState.ACTIVE, facilitator)
        closed = self._cohort(plato56, "Pays de Lorient", closed_start, CohortState.CLOSED, facilitator)
        forming = self._cohort(plato56, "Centre Bretagne", forming_start, CohortState.FORMING, facilitator)

        for cohort, indexes, state in (
            (active, ACTIVE_COHORT, MembershipState.ACTIVE),
            (closed, CLOSED_COHORT, MembershipState.ALUMNI),
            (forming, FORMING_COHORT, MembershipState.ACTIVE),
        ):
            for index in indexes:
                Membership.objects.update_or_create(
                    cohort=cohort,
                    company=companies[index],
                    defaults={"person": leaders[index], "state": state, "joined_on": cohort.start_date},
                )
        for cohort, sponsor_indexes in ((active, [0, 1]), (closed, [0, 2]), (forming, [2])):
            for index in sponsor_indexes:
                Sponsorship.objects.update_or_create(
                    cohort=cohort,
                    person=sponsor_people[index],
                    defaults={"company": sponsors[index], "started_on": cohort.start_date},
                )

        self._candidates(plato56)
        self._meetings(active, [leaders[index] for index in ACTIVE_COHORT], facilitator)
        self._declared_conflict(plato56, companies[0], coordinator)
        self._invoices(active, forming, coordinator)
        self._closed_cohort_history(closed, [leaders[index] for index in CLOSED_COHORT])
        self._plenaries(
            bretagne,
            plato56,
            plato35,
            active=[leaders[index] for index in ACTIVE_COHORT],
            alumni=[leaders[index] for index in CLOSED_COHORT],
            sponsors=sponsor_people,
            facilitator=facilitator,
            coordinator=coordinator,
        )
        for person in (leaders[0], leaders[1], leaders[2], sponsor_people[0]):
            person.share_email, person.share_phone = True, person is not leaders[2]
            person.save(update_fields=["share_email", "share_phone"])

        # A few companies of Ille-et-Vilaine, so that chapter scoping shows.
        for index, spec in enumerate(
            [
                DemoCompany(
                    "Rennes Data Factory",
                    "62.02A",
                    SizeBand.SMALL,
                    "10 rue de Châtillon",
                    "35000",
                    "Rennes",
                    ("Aurélie", "Gautier", "Présidente"),
                ),
                DemoCompany(
                    "Pâtisserie Malouine",
                    "10.71D",
                    SizeBand.MICRO,
                    "5 rue Porcon",
                    "35400",
                    "Saint-Malo",
                    ("Hugo", "Lemoine", "Gérant"),
                ),
            ],
            1,
        ):
            company = self._company(plato35, spec, 3500 + index)
            self._person(None, spec, company, plato35)

        return {
            "admin": admin,
            "coordinator": coordinator,
            "facilitator": facilitator,
            "member": leaders[0],
            "sponsor": sponsor_people[0],
            "alumni": leaders[7],
            "coordinator_35": coordinator_35,
        }

    def _chapter_56(self, region: Region) -> Chapter:
        # Created once: settings a coordinator edits in the demo survive the next `make run`.
        chapter, _ = Chapter.objects.get_or_create(
            code="56",
            defaults={
                "region": region,
                "name": "Plato 56 — CCI du Morbihan",
                "cci_name": "CCI du Morbihan",
                "department": "56",
                "fee": Decimal("1900.00"),
                "programme_commitment": "Une réunion mensuelle pendant deux ans, une plénière départementale et une plénière régionale par an.",
                "vat_rate": Decimal("20.00"),
                "vat_exemption_text": "",
                "issuer_legal_name": "Chambre de commerce et d'industrie du Morbihan",
                "issuer_address": "21 quai des Indes",
                "issuer_postcode": "56100",
                "issuer_town": "Lorient",
                "issuer_siret": make_siret(5600),
                "issuer_vat_number": vat_number_for(make_siret(5600)),
                "issuer_iban": "FR7630006000011234567890189",
                "issuer_bic": "AGRIFRPP",
                "invoice_prefix": "P56",
                "meeting_weekday": 1,
                "months_off": [8],
            },
        )
        return chapter

    def _chapter_35(self, region: Region) -> Chapter:
        chapter, _ = Chapter.objects.get_or_create(
            code="35",
            defaults={
                "region": region,
                "name": "Plato 35 — CCI Ille-et-Vilaine",
                "cci_name": "CCI Ille-et-Vilaine",
                "department": "35",
                "fee": Decimal("2300.00"),
                "programme_commitment": "16 demi-journées, 2 plénières départementales et 2 plénières régionales.",
                "vat_rate": Decimal("0.00"),
                "vat_exemption_text": "TVA non applicable, article 261-4-4° a du CGI (formation professionnelle continue)",
                "issuer_legal_name": "Chambre de commerce et d'industrie Ille-et-Vilaine",
                "issuer_address": "2 avenue de la Préfecture",
                "issuer_postcode": "35000",
                "issuer_town": "Rennes",
                "issuer_siret": make_siret(3500),
                "invoice_prefix": "P35",
                "meeting_weekday": 3,
                "months_off": [7, 8],
                "group_min_size": 10,
                "group_max_size": 16,
            },
        )
        return chapter

    def _company(self, chapter: Chapter, spec: DemoCompany, seed: int) -> Company:
        siret = make_siret(seed)
        company = Company.objects.filter(chapter=chapter, siret=siret).first() or Company(
            chapter=chapter, siret=siret
        )
        company.name, company.naf_code, company.size_band = spec.name, spec.naf_code, spec.size_band
        company.address, company.postcode, company.town = spec.address, spec.postcode, spec.town
        company.vat_number = vat_number_for(siret)
        company.website = f"https://www.{slugify(spec.name)}.fr"
        return save_company(company, actor=None)

    def _person(self, email: str | None, spec: DemoCompany, company: Company, chapter: Chapter) -> User:
        first_name, last_name, job_title = spec.leader
        if email is None:
            email = f"{slugify(first_name)}.{slugify(last_name)}@{slugify(spec.name)}.test"
            return self._account(
                email, first_name, last_name, job_title, chapter=chapter, company=company, password=None
            )
        return self._account(email, first_name, last_name, job_title, chapter=chapter, company=company)

    def _account(
        self,
        email,
        first_name,
        last_name,
        job_title,
        *,
        chapter=None,
        company=None,
        superuser=False,
        password=DEMO_PASSWORD,
    ) -> User:
        user, created = User.objects.update_or_create(
            email=email,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "job_title": job_title,
                "chapter": chapter,
                "company": company,
                "is_superuser": superuser,
                "is_staff": superuser,
                "phone": "02 97 00 00 00",
            },
        )
        if created:
            # Only demo accounts get a password: hashing is slow, and nobody signs in as the others.
            if password:
                user.set_password(password)
            else:
                user.set_unusable_password()
            user.save(update_fields=["password"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def _candidates(self, chapter: Chapter) -> None:
        for index, spec in enumerate(CANDIDATES, 1):
            siret = make_siret(5000 + index)
            email = f"{slugify(spec.first_name)}.{slugify(spec.last_name)}@{slugify(spec.company_name)}.test"
            Candidate.objects.update_or_create(
                chapter=chapter,
                siret=siret,
                defaults={
                    "state": spec.state,
                    "source": CandidateSource.IMPORT if index % 3 else CandidateSource.FORM,
                    "company_name": spec.company_name,
                    "naf_code": spec.naf_code,
                    "size_band": SizeBand.SMALL if index % 4 else SizeBand.MICRO,
                    "postcode": spec.postcode,
                    "town": spec.town,
                    "first_name": spec.first_name,
                    "last_name": spec.last_name,
                    "email": email,
                    "phone": f"06 {index:02d} 45 67 89",
                    "motivation": spec.motivation,
                    "decline_reason": spec.decline_reason,
                },
            )

    def _declared_conflict(self, chapter: Chapter, company: Company, coordinator: User) -> None:
        """The demo member told the CCI about a competitor whose NAF code differs from theirs."""
        other_siren, other_name = make_siret(7001)[:9], "Breizh Web Studio"
        (siren_a, name_a), (siren_b, name_b) = sorted(
            [(company.siren, company.name), (other_siren, other_name)]
        )
        DeclaredConflict.objects.update_or_create(
            chapter=chapter,
            siren_a=siren_a,
            siren_b=siren_b,
            defaults={
                "name_a": name_a,
                "name_b": name_b,
                "reason": "Même clientèle de PME vannetaises pour l'infogérance, bien que déclaré en agence web.",
                "declared_by": coordinator,
                "declared_as": ConflictSource.COORDINATOR,
            },
        )

    def _meetings(self, cohort: Cohort, members: list[User], facilitator: User) -> None:
        """Past meetings with their agenda, minutes and attendance; the next one's vote open,
        the demo member not having voted yet (something to do)."""
        meetings = generate_schedule(cohort)
        themes = {theme.name: theme for theme in ChapterTheme.objects.filter(chapter=cohort.chapter)}
        topics = []
        for index, (title, theme, description) in enumerate(DEMO_TOPICS):
            topic, _ = Topic.objects.get_or_create(
                cohort=cohort,
                title=title,
                defaults={
                    "proposed_by": members[(index * 3 + 1) % len(members)],
                    "theme": themes[theme],
                    "description": description,
                },
            )
            topics.append(topic)
        now = timezone.now()
        past = [meeting for meeting in meetings if meeting.ends_at < now]
        for meeting, topic in zip(past[-3:], topics[:3], strict=False):
            AgendaItem.objects.get_or_create(meeting=meeting, topic=topic)
            Topic.objects.filter(pk=topic.pk).update(state=TopicState.DONE, meeting=meeting)
            if not meeting.minutes:
                meeting.minutes = DEMO_MINUTES % {"topic": topic.title}
                meeting.attendance_taken_at = meeting.ends_at
                meeting.save(update_fields=["minutes", "attendance_taken_at"])
            for position, person in enumerate(members):
                status = (
                    AttendanceStatus.EXCUSED
                    if position == 3
                    else AttendanceStatus.ABSENT
                    if position == 5 and meeting == past[-1]
                    else AttendanceStatus.PRESENT
                )
                Attendance.objects.get_or_create(meeting=meeting, person=person, defaults={"status": status})
        if past:
            ActionItem.objects.get_or_create(
                meeting=past[-1],
                person=members[0],
                text="Rencontrer deux repreneurs potentiels avant la prochaine réunion",
            )
        upcoming = next((meeting for meeting in meetings if meeting.vote_closes_at > now), None)
        if upcoming is None:
            return
        if upcoming.vote_opens_at > now:  # the demo shows a vote under way, whatever today's date
            upcoming.vote_opens_at = now - datetime.timedelta(days=1)
            upcoming.save(update_fields=["vote_opens_at"])
        open_topics = topics[3:]
        for index, person in enumerate(members[1:7]):
            choice = [open_topics[index % len(open_topics)], open_topics[(index + 2) % len(open_topics)]]
            ballot, _ = Ballot.objects.get_or_create(meeting=upcoming, person=person)
            for topic in choice:
                BallotChoice.objects.get_or_create(ballot=ballot, topic=topic)

    @staticmethod
    def _invoices(cohort: Cohort, forming: Cohort, coordinator: User) -> None:
        """The active cohort's invoices, issued a week after its start: most paid, one
        overdue with a part paid, one cancelled by a credit note and issued again today
        (half paid), the demo member's paid (with its PDF, to download); and two of the
        forming cohort's, issued today, not due yet. Skipped once the chapter has invoices:
        issued invoices are never changed, so the demo keeps the first ones."""
        from billing import services as billing
        from billing.enums import PaymentMethod
        from billing.models import Invoice

        if Invoice.objects.filter(chapter=cohort.chapter).exists():
            return
        issued_on = cohort.start_date + datetime.timedelta(days=7)
        memberships = list(
            cohort.memberships.filter(state=MembershipState.ACTIVE).select_related("person").order_by("pk")
        )
        invoices = [billing.issue_invoice(m, actor=coordinator, today=issued_on) for m in memberships]
        for index, invoice in enumerate(invoices):
            if index == 2:  # cancelled (wrong address) and issued again today, not paid yet
                billing.issue_credit_note(
                    invoice, reason="Adresse de facturation erronée", actor=coordinator, today=issued_on
                )
                again = billing.issue_invoice(invoice.membership, actor=coordinator)
                billing.record_payment(  # the first half, by transfer
                    again,
                    amount=(again.total_incl_vat / 2).quantize(Decimal("0.01")),
                    method=PaymentMethod.TRANSFER,
                    received_on=again.issued_on,
                    reference="VIR ACOMPTE",
                    actor=coordinator,
                )
                continue
            if index == 3:  # overdue: nothing received
                continue
            amount = Decimal("1000.00") if index == 4 else invoice.total_incl_vat
            billing.record_payment(
                invoice,
                amount=amount,
                method=PaymentMethod.CHEQUE if index % 3 else PaymentMethod.TRANSFER,
                received_on=issued_on + datetime.timedelta(days=10 + index),
                reference=f"VIR {invoice.number}" if index % 3 == 0 else f"Chèque n° {4_812_300 + index}",
                actor=coordinator,
            )
        for membership in forming.memberships.filter(state=MembershipState.ACTIVE).order_by("pk")[:2]:
            billing.issue_invoice(membership, actor=coordinator)
        # The demo does not e-mail its invoices: they count as sent when issued.
        Invoice.objects.filter(chapter=cohort.chapter).update(emailed_at=timezone.now())

    @staticmethod
    def _closed_cohort_history(cohort: Cohort, members: list[User]) -> None:
        """The closed cohort's two years of meetings, held, with the attendance taken: the
        demo alumni's end-of-programme certificate has real counts to show."""
        if cohort.meetings.exists():
            return
        meetings = generate_schedule(cohort)
        for number, meeting in enumerate(meetings):
            meeting.minutes = DEMO_MINUTES % {"topic": "les nouvelles de chacun"}
            meeting.attendance_taken_at = meeting.ends_at
            meeting.save(update_fields=["minutes", "attendance_taken_at"])
            Attendance.objects.bulk_create(
                Attendance(
                    meeting=meeting,
                    person=person,
                    status=AttendanceStatus.PRESENT
                    if (number + position) % 7
                    else AttendanceStatus.EXCUSED
                    if position % 2
                    else AttendanceStatus.ABSENT,
                )
                for position, person in enumerate(members)
            )

    def _plenaries(
        self, region, plato56, plato35, *, active, alumni, sponsors, facilitator, coordinator
    ) -> None:
        """Plato 56's networks; a past departmental plenary the closed cohort went to; the
        coming departmental one, full, with a waiting list (the demo member may still join
        it); the Bretagne regional one where three local networks present themselves."""
        from plenaries import services as plenary_services
        from plenaries.enums import PlenaryScope, ProgramKind, RegistrationState
        from plenaries.models import LocalNetwork, Plenary, ProgramItem, Registration

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
        day = self.today + datetime.timedelta(days=24)
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
            plenary_services.register(
                departmental,
                person,
                actor=person,
                now=departmental.registration_opens_at + datetime.timedelta(hours=3, minutes=17 * minutes),
            )

        day = self.today + datetime.timedelta(days=61)
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
            plenary_services.register(
                regional,
                person,
                actor=person,
                now=regional.registration_opens_at + datetime.timedelta(minutes=minutes),
            )

    @staticmethod
    def _first_weekday(date: datetime.date, weekday: int) -> datetime.date:
        return date + datetime.timedelta(days=(weekday - date.weekday()) % 7)

    def _cohort(self, chapter, name, start, state, facilitator) -> Cohort:
        end = start.replace(year=start.year + 2) - datetime.timedelta(days=1)
        cohort, _ = Cohort.objects.update_or_create(
            chapter=chapter,
            name=name,
            defaults={"start_date": start, "end_date": end, "state": state},
        )
        cohort.facilitators.add(facilitator)
        return cohort
