"""URLs of the bench server only (``yiwang.config.settings.bench``): the
project's URLs plus the bare view the portal load benchmark compares with."""

from django.urls import path

from yiwang.config.urls import handler403, handler404, handler500
from yiwang.config.urls import urlpatterns as project
from yiwang.web import views

urlpatterns = [path("__bench__/bare/<slug:key>/", views.bench_bare), *project]

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]
