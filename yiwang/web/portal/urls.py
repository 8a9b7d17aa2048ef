from django.urls import path

from yiwang.web.portal import accounts_views, catalog_views, powers_views, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("my/", views.my_home, name="my_home"),
    path("login/", accounts_views.login_view, name="login"),
    path("logout/", accounts_views.logout_view, name="logout"),
    path("register/", accounts_views.register_view, name="register"),
    path("my/password/", accounts_views.password_view, name="password"),
    # the catalogue (R3.4, R3.7, R6.5)
    path("items/", catalog_views.items, name="items"),
    path("items/<str:code>/", catalog_views.item_guide, name="item"),
    path("life-events/", catalog_views.life_events, name="life_events"),
    path("life-events/<slug:code>/", catalog_views.life_event, name="life_event"),
    path("themes/", catalog_views.themes, name="themes"),
    path("themes/<slug:code>/", catalog_views.theme, name="theme"),
    path("departments/", catalog_views.departments, name="departments"),
    path("lists/", catalog_views.tag_lists, name="tag_lists"),
    path("lists/<slug:code>/", catalog_views.tag_items, name="tag_items"),
    path("bundles/", catalog_views.bundles, name="bundles"),
    path("bundles/<str:code>/", catalog_views.bundle, name="bundle"),
]

# The power and responsibility lists and the sunshine lists (R4.1, R4.6, R4.7).
urlpatterns += [
    path("powers/", powers_views.power_list, name="powers"),
    path("powers/<str:code>/", powers_views.power_detail, name="power"),
    path("sunshine/funds/", powers_views.fund_list, name="sunshine_funds"),
    path("sunshine/relief/", powers_views.relief_list, name="sunshine_relief"),
]
