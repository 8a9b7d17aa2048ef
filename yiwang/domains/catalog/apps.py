from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "yiwang.domains.catalog"
    label = "catalog"
    verbose_name = "事项库"
