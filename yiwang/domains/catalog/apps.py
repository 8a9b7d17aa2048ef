from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "yiwang.domains.catalog"
    label = "catalog"
    verbose_name = "事项库"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from yiwang.domains.catalog.services import reference_sync_on_migrate

        # Item types (R3.1) and special-service tags (R3.7) are reference data.
        post_migrate.connect(reference_sync_on_migrate, sender=self)
