from django.urls import path

from groups import views
from groups.views import people

app_name = "groups"

urlpatterns = [
    path("chapters/", views.ChapterListView.as_view(), name="chapter_list"),
    path("chapters/<slug:code>/", views.ChapterDetailView.as_view(), name="chapter_detail"),
    path("chapters/<slug:code>/settings/", views.ChapterUpdateView.as_view(), name="chapter_update"),
    # Cohorts
    path("cohorts/", views.CohortListView.as_view(), name="cohort_list"),
    path("chapters/<slug:code>/cohorts/new/", views.CohortCreateView.as_view(), name="cohort_create"),
    path("cohorts/<int:pk>/", views.CohortDetailView.as_view(), name="cohort_detail"),
    path("cohorts/<int:pk>/edit/", views.CohortUpdateView.as_view(), name="cohort_update"),
    path("cohorts/<int:pk>/start/", views.cohort_start, name="cohort_start"),
    path("cohorts/<int:pk>/close/", views.cohort_close, name="cohort_close"),
    path("cohorts/<int:pk>/members/add/", views.MembershipAddView.as_view(), name="membership_add"),
    path(
        "memberships/<int:pk>/withdraw/", views.MembershipWithdrawView.as_view(), name="membership_withdraw"
    ),
    path("cohorts/<int:pk>/sponsors/add/", views.SponsorAddView.as_view(), name="sponsorship_add"),
    path("sponsorships/<int:pk>/end/", views.sponsorship_end, name="sponsorship_end"),
    path("cohorts/<int:pk>/directory/", views.CohortDirectoryView.as_view(), name="cohort_directory"),
    path("cohorts/<int:pk>/competitor/", views.MemberConflictView.as_view(), name="member_conflict"),
    # Declared conflicts
    path("chapters/<slug:code>/conflicts/", views.ConflictListView.as_view(), name="conflict_list"),
    path("conflicts/<int:pk>/withdraw/", views.conflict_withdraw, name="conflict_withdraw"),
    # Candidates
    path("apply/<slug:code>/", views.ApplicationView.as_view(), name="application"),
    path("apply/<slug:code>/thanks/", views.ApplicationThanksView.as_view(), name="application_thanks"),
    path("chapters/<slug:code>/candidates/", views.CandidateListView.as_view(), name="candidate_list"),
    path(
        "chapters/<slug:code>/candidates/new/", views.CandidateCreateView.as_view(), name="candidate_create"
    ),
    path(
        "chapters/<slug:code>/candidates/import/",
        views.CandidateImportView.as_view(),
        name="candidate_import",
    ),
    path("candidates/<int:pk>/", views.CandidateDetailView.as_view(), name="candidate_detail"),
    path("candidates/<int:pk>/edit/", views.CandidateUpdateView.as_view(), name="candidate_update"),
    path("candidates/<int:pk>/qualify/", views.candidate_qualify, name="candidate_qualify"),
    path("candidates/<int:pk>/decline/", views.CandidateDeclineView.as_view(), name="candidate_decline"),
    path("candidates/<int:pk>/place/", views.CandidatePlaceView.as_view(), name="candidate_place"),
    # The composer
    path("chapters/<slug:code>/composer/", views.ComposerView.as_view(), name="composer"),
    path(
        "chapters/<slug:code>/composer/proposal/",
        views.ComposerProposalView.as_view(),
        name="composer_proposal",
    ),
    path("chapters/<slug:code>/composer/move/", views.composer_move, name="composer_move"),
    path("chapters/<slug:code>/composer/confirm/", views.composer_confirm, name="composer_confirm"),
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
