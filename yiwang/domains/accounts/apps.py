from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "yiwang.domains.accounts"
    label = "accounts"
    verbose_name = "申请人账户"
