from django.urls import path

from yiwang.web.portal import accounts_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("my/", views.my_home, name="my_home"),
    path("login/", accounts_views.login_view, name="login"),
    path("logout/", accounts_views.logout_view, name="logout"),
    path("register/", accounts_views.register_view, name="register"),
    path("my/password/", accounts_views.password_view, name="password"),
]
