from django.apps import AppConfig

# Reference data the portal's cached pages and counts show (R3.4): saving or
# deleting any of it changes the catalogue's reference token.
PORTAL_REFERENCE_MODELS = (
    "orgs.Agency",
    "orgs.Division",
    "orgs.Hall",
    "orgs.Window",
    "orgs.Role",
    "catalog.ItemType",
    "catalog.Tag",
    "catalog.Topic",
)


class CatalogConfig(AppConfig):
    name = "yiwang.domains.catalog"
    label = "catalog"
    verbose_name = "事项库"

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_delete, post_migrate, post_save

        from yiwang.domains.catalog.search_index import reference_changed
        from yiwang.domains.catalog.services import reference_sync_on_migrate

        # Item types (R3.1) and special-service tags (R3.7) are reference data.
        post_migrate.connect(reference_sync_on_migrate, sender=self)
        for label in PORTAL_REFERENCE_MODELS:
            model = apps.get_model(label)
            for signal in (post_save, post_delete):
                signal.connect(
                    reference_changed, sender=model, dispatch_uid=f"catalog-portal-{label}"
                )
