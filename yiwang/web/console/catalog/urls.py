"""/console/catalog/: items and their guides, versions and diffs, the review
queue, catalogue entries, lifecycle actions (R3.2–R3.9, R4.3)."""

from django.urls import path

from yiwang.web.console.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.index, name="index"),
    path("items/", views.items, name="items"),
    path("items/new/", views.item_new, name="item_new"),
    path("items/<int:pk>/", views.item, name="item"),
    path("items/<int:pk>/revise/", views.item_revise, name="item_revise"),
    path("items/<int:pk>/diff/", views.item_diff, name="item_diff"),
    path("items/<int:pk>/suspend/", views.item_suspend, name="item_suspend"),
    path("items/<int:pk>/resume/", views.item_resume, name="item_resume"),
    path("items/<int:pk>/cancel/", views.item_cancel, name="item_cancel"),
    path("items/<int:pk>/classify/", views.item_classify, name="item_classify"),
    path("versions/<int:pk>/", views.version, name="version"),
    path("versions/<int:pk>/edit/<str:section>/", views.version_section, name="version_section"),
    path("versions/<int:pk>/submit/", views.version_submit, name="version_submit"),
    path("versions/<int:pk>/discard/", views.version_discard, name="version_discard"),
    path("versions/<int:pk>/review/", views.version_review, name="version_review"),
    path("versions/<int:pk>/publish/", views.version_publish, name="version_publish"),
    path("review/", views.review, name="review"),
    path("entries/", views.entries, name="entries"),
    path("entries/new/", views.entry_new, name="entry_new"),
    path("entries/<int:pk>/", views.entry, name="entry"),
    path("entries/<int:pk>/revise/", views.entry_revise, name="entry_revise"),
    path("entry-versions/<int:pk>/edit/", views.entry_version_edit, name="entry_version_edit"),
    path(
        "entry-versions/<int:pk>/submit/", views.entry_version_submit, name="entry_version_submit"
    ),
    path(
        "entry-versions/<int:pk>/review/", views.entry_version_review, name="entry_version_review"
    ),
    path("entry-versions/<int:pk>/legal/", views.entry_version_legal, name="entry_version_legal"),
    path(
        "entry-versions/<int:pk>/publish/",
        views.entry_version_publish,
        name="entry_version_publish",
    ),
]
