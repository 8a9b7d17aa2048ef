"""/console/calendar/: the working-day calendar's years, their days, defining
a year by hand and loading one from the package."""

from django.urls import path

from yiwang.web.console.calendar import views

app_name = "calendar"

urlpatterns = [
    path("", views.years, name="years"),
    path("define/", views.define, name="define"),
    path("load/", views.load, name="load"),
    path("<int:year>/", views.year, name="year"),
]
