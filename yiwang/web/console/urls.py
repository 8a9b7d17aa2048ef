from django.urls import include, path

from yiwang.web.console import audit, auth_views, catalog_excel, views

app_name = "console"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.login_view, name="login"),
    path("logout/", auth_views.logout_view, name="logout"),
    path("orgs/", include("yiwang.web.console.orgs.urls")),
    path("calendar/", include("yiwang.web.console.calendar.urls")),
    path("audit/", audit.audit_log, name="audit"),
    path("catalog/", include("yiwang.web.console.catalog.urls")),
    path("catalog-excel/", catalog_excel.page, name="catalog_excel"),
    path("catalog-excel/export/", catalog_excel.export, name="catalog_excel_export"),
    path("powers/", include("yiwang.web.console.powers.urls")),
    path("cases/", include("yiwang.web.console.cases.urls")),
    path("certificates/", include("yiwang.web.console.certificates.urls")),
]
