from django.urls import path

from yiwang.web.portal import (
    accounts_views,
    bundle_cases_views,
    cases_views,
    catalog_views,
    certificates_views,
    powers_views,
    views,
    wallet_views,
)

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
    path("items/<str:code>/apply/", cases_views.apply, name="case_apply"),
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

# Case handling for applicants (R5.1, R5.4, R5.7, R6.4) and document verification.
urlpatterns += [
    path("my/cases/", cases_views.my_cases, name="my_cases"),
    path("my/cases/<str:number>/", cases_views.case_detail, name="case_detail"),
    path(
        "my/cases/<str:number>/documents/<int:doc_id>.pdf",
        cases_views.document_pdf,
        name="case_document",
    ),
    path("my/cases/<str:number>/withdraw/", cases_views.case_withdraw, name="case_withdraw"),
    path("my/cases/<str:number>/correct/", cases_views.case_correct, name="case_correct"),
    path("my/cases/<str:number>/supply/", cases_views.case_supply, name="case_supply"),
    path("my/notifications/", cases_views.notifications, name="notifications"),
    path("my/notifications/read/", cases_views.notification_read, name="notification_read"),
    path("verify/<str:code>/", cases_views.verify, name="verify"),
]

# Applying for a 一件事 and following it (R6.5).
urlpatterns += [
    path("bundles/<str:code>/apply/", bundle_cases_views.bundle_apply, name="bundle_apply"),
    path("my/bundles/<str:number>/", bundle_cases_views.bundle_case, name="bundle_case"),
]

# The holder's wallet: certificates, their uses, 授权使用 (R5.8, R7.5).
urlpatterns += [
    path("my/certificates/", wallet_views.wallet_list, name="wallet"),
    path("my/certificates/<int:pk>/", wallet_views.wallet_detail, name="wallet_detail"),
    path("my/certificates/<int:pk>/file.pdf", wallet_views.wallet_pdf, name="wallet_pdf"),
    path("my/certificates/<int:pk>/grant/", wallet_views.wallet_grant, name="wallet_grant"),
]

# Certificates: public verification and the catalogue of types (R7.2, R7.4, R7.5).
urlpatterns += [
    path("certificates/verify/", certificates_views.verify_form, name="certificate_verify_form"),
    path(
        "certificates/verify/<str:identifier>/",
        certificates_views.verify,
        name="certificate_verify",
    ),
    path("certificates/types/", certificates_views.types, name="certificate_types"),
]
