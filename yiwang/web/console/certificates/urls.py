"""/console/certificates/: certificate types, seals, the certificates an
agency issued, issuing by hand, status changes, renewal and the Excel import
of legacy certificates (R7.2, R7.3, R7.6)."""

from django.urls import path

from yiwang.web.console.certificates import views

app_name = "certificates"

urlpatterns = [
    path("", views.index, name="index"),
    path("list/", views.certificates, name="list"),
    path("issue/", views.issue, name="issue"),
    path("import/", views.import_page, name="import"),
    path("import/template/", views.import_template, name="import_template"),
    path("types/", views.types, name="types"),
    path("types/new/", views.type_new, name="type_new"),
    path("types/<int:pk>/", views.type_detail, name="type"),
    path("types/<int:pk>/edit/", views.type_edit, name="type_edit"),
    path("types/<int:pk>/link/", views.type_link, name="type_link"),
    path("seals/", views.seals, name="seals"),
    path("seals/new/", views.seal_new, name="seal_new"),
    path("seals/<int:pk>/", views.seal_detail, name="seal"),
    path("seals/<int:pk>/revoke/", views.seal_revoke, name="seal_revoke"),
    path("<int:pk>/", views.certificate, name="certificate"),
    path("<int:pk>/file.pdf", views.certificate_pdf, name="pdf"),
    path("<int:pk>/status/", views.certificate_status, name="status"),
    path("<int:pk>/renew/", views.certificate_renew, name="renew"),
]
