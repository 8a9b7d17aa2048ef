from django.urls import include, path

from yiwang.web.console import audit, auth_views, views

app_name = "console"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.login_view, name="login"),
    path("logout/", auth_views.logout_view, name="logout"),
    path("orgs/", include("yiwang.web.console.orgs.urls")),
    path("calendar/", include("yiwang.web.console.calendar.urls")),
    path("audit/", audit.audit_log, name="audit"),
]
