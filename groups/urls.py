from django.urls import path

from groups.views import candidates, chapters, cohorts, composer, conflicts, people

app_name = "groups"

urlpatterns = [
    path("chapters/", chapters.ChapterListView.as_view(), name="chapter_list"),
    path("chapters/<slug:code>/", chapters.ChapterDetailView.as_view(), name="chapter_detail"),
    path("chapters/<slug:code>/settings/", chapters.ChapterUpdateView.as_view(), name="chapter_update"),
    # Cohorts
    path("cohorts/", cohorts.CohortListView.as_view(), name="cohort_list"),
    path("chapters/<slug:code>/cohorts/new/", cohorts.CohortCreateView.as_view(), name="cohort_create"),
    path("cohorts/<int:pk>/", cohorts.CohortDetailView.as_view(), name="cohort_detail"),
    path("cohorts/<int:pk>/edit/", cohorts.CohortUpdateView.as_view(), name="cohort_update"),
    path("cohorts/<int:pk>/start/", cohorts.cohort_start, name="cohort_start"),
    path("cohorts/<int:pk>/close/", cohorts.cohort_close, name="cohort_close"),
    path("cohorts/<int:pk>/members/add/", cohorts.MembershipAddView.as_view(), name="membership_add"),
    path(
        "memberships/<int:pk>/withdraw/", cohorts.MembershipWithdrawView.as_view(), name="membership_withdraw"
    ),
    path("cohorts/<int:pk>/sponsors/add/", cohorts.SponsorAddView.as_view(), name="sponsorship_add"),
    path("sponsorships/<int:pk>/end/", cohorts.sponsorship_end, name="sponsorship_end"),
    path("cohorts/<int:pk>/directory/", cohorts.CohortDirectoryView.as_view(), name="cohort_directory"),
    path("cohorts/<int:pk>/competitor/", cohorts.MemberConflictView.as_view(), name="member_conflict"),
    # Declared conflicts
    path("chapters/<slug:code>/conflicts/", conflicts.ConflictListView.as_view(), name="conflict_list"),
    path("conflicts/<int:pk>/withdraw/", conflicts.conflict_withdraw, name="conflict_withdraw"),
    # Candidates
    path("apply/<slug:code>/", candidates.ApplicationView.as_view(), name="application"),
    path("apply/<slug:code>/thanks/", candidates.ApplicationThanksView.as_view(), name="application_thanks"),
    path("chapters/<slug:code>/candidates/", candidates.CandidateListView.as_view(), name="candidate_list"),
    path(
        "chapters/<slug:code>/candidates/new/",
        candidates.CandidateCreateView.as_view(),
        name="candidate_create",
    ),
    path(
        "chapters/<slug:code>/candidates/import/",
        candidates.CandidateImportView.as_view(),
        name="candidate_import",
    ),
    path("candidates/<int:pk>/", candidates.CandidateDetailView.as_view(), name="candidate_detail"),
    path("candidates/<int:pk>/edit/", candidates.CandidateUpdateView.as_view(), name="candidate_update"),
    path("candidates/<int:pk>/qualify/", candidates.candidate_qualify, name="candidate_qualify"),
    path("candidates/<int:pk>/decline/", candidates.CandidateDeclineView.as_view(), name="candidate_decline"),
    path("candidates/<int:pk>/place/", candidates.CandidatePlaceView.as_view(), name="candidate_place"),
    # The composer
    path("chapters/<slug:code>/composer/", composer.ComposerView.as_view(), name="composer"),
    path(
        "chapters/<slug:code>/composer/proposal/",
        composer.ComposerProposalView.as_view(),
        name="composer_proposal",
    ),
    path("chapters/<slug:code>/composer/move/", composer.composer_move, name="composer_move"),
    path("chapters/<slug:code>/composer/confirm/", composer.composer_confirm, name="composer_confirm"),
]

# The chapter's companies and people: groups' views (who sees them is a chapter role) that
# keep members' URL names and paths; plato/urls.py mounts them in the members namespace.
members_urlpatterns = [
    path("companies/", people.CompanyListView.as_view(), name="company_list"),
    path("companies/new/", people.CompanyCreateView.as_view(), name="company_create"),
    path("companies/<int:pk>/", people.CompanyDetailView.as_view(), name="company_detail"),
    path("companies/<int:pk>/edit/", people.CompanyUpdateView.as_view(), name="company_update"),
    path("people/", people.PersonListView.as_view(), name="person_list"),
    path("people/new/", people.PersonCreateView.as_view(), name="person_create"),
    path("people/<int:pk>/", people.PersonDetailView.as_view(), name="person_detail"),
    path("people/<int:pk>/edit/", people.PersonUpdateView.as_view(), name="person_update"),
]
