"""/console/orgs/: divisions, agencies, centres, halls, windows and the staff
change requests (R1.3, R2.1, R2.2, R2.4)."""

from django.urls import path

from yiwang.web.console.orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.index, name="index"),
    path("divisions/", views.divisions, name="divisions"),
    path("divisions/new/", views.division_create, name="division_create"),
    path("divisions/<str:code>/", views.division, name="division"),
    path("divisions/<str:code>/edit/", views.division_edit, name="division_edit"),
    path("agencies/", views.agencies, name="agencies"),
    path("agencies/new/", views.agency_create, name="agency_create"),
    path("agencies/<int:pk>/", views.agency, name="agency"),
    path("agencies/<int:pk>/edit/", views.agency_edit, name="agency_edit"),
    path("agencies/<int:pk>/deactivate/", views.agency_deactivate, name="agency_deactivate"),
    path("agencies/<int:pk>/reactivate/", views.agency_reactivate, name="agency_reactivate"),
    path("agencies/<int:pk>/api-clients/", views.api_client_issue, name="api_client_issue"),
    path("api-clients/<int:pk>/revoke/", views.api_client_revoke, name="api_client_revoke"),
    path("centres/new/", views.centre_create, name="centre_create"),
    path("halls/new/", views.hall_create, name="hall_create"),
    path("halls/<int:pk>/", views.hall, name="hall"),
    path("halls/<int:pk>/edit/", views.hall_edit, name="hall_edit"),
    path("halls/<int:pk>/windows/new/", views.window_create, name="window_create"),
    path("windows/<int:pk>/edit/", views.window_edit, name="window_edit"),
    path("requests/", views.requests, name="requests"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/approve/", views.request_approve, name="request_approve"),
    path("requests/<int:pk>/reject/", views.request_reject, name="request_reject"),
    path("requests/<int:pk>/apply/", views.request_apply, name="request_apply"),
    path("requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
]
