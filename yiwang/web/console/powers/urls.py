"""/console/powers/: the power and responsibility lists, their change
requests and queues, comments, the violations report (R4.1–R4.6) and the
sunshine lists (R4.7)."""

from django.urls import path

from yiwang.web.console.powers import views

app_name = "powers"

urlpatterns = [
    path("", views.power_list, name="list"),
    path("new/", views.power_new, name="new"),
    path("<int:pk>/", views.power_detail, name="detail"),
    path("<int:pk>/request/<slug:kind>/", views.power_request_new, name="request_new"),
    path("<int:pk>/publish/", views.power_publish, name="publish"),
    path("<int:pk>/confirm/", views.power_confirm, name="confirm"),
    path("<int:pk>/basis-changed/", views.power_basis_changed, name="basis_changed"),
    path("requests/", views.requests, name="requests"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/review/", views.request_review, name="request_review"),
    path("requests/<int:pk>/decide/", views.request_decide, name="request_decide"),
    path("requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("comments/", views.comments, name="comments"),
    path("comments/<int:pk>/", views.comment_reply, name="comment_reply"),
    path("violations/", views.violations, name="violations"),
    path("sunshine/funds/", views.funds, name="funds"),
    path("sunshine/funds/new/", views.fund_edit, name="fund_new"),
    path("sunshine/funds/<int:pk>/", views.fund_edit, name="fund_edit"),
    path("sunshine/funds/<int:pk>/publish/", views.fund_publish, name="fund_publish"),
    path("sunshine/relief/", views.relief, name="relief"),
    path("sunshine/relief/new/", views.relief_edit, name="relief_new"),
    path("sunshine/relief/<int:pk>/", views.relief_edit, name="relief_edit"),
    path("sunshine/relief/<int:pk>/publish/", views.relief_publish, name="relief_publish"),
]
