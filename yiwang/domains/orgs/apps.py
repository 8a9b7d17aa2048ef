from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "yiwang.domains.orgs"
    label = "orgs"
    verbose_name = "组织机构"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from yiwang.domains.orgs.services import roles_sync_on_migrate

        post_migrate.connect(roles_sync_on_migrate, sender=self)
