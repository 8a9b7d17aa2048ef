from django.urls import include, path

from yiwang.web import views
from yiwang.web.api.api import api

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("api/", api.urls),
    path("console/", include("yiwang.web.console.urls")),
    path("", include("yiwang.web.portal.urls")),
]

handler404 = "yiwang.web.views.page_not_found"
handler500 = "yiwang.web.views.server_error"
handler403 = "yiwang.web.views.permission_denied"
