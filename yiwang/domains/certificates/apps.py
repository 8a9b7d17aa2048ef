from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "yiwang.domains.certificates"
    label = "certificates"
    verbose_name = "电子证照"

    def ready(self) -> None:
        from yiwang.domains.certificates import receivers  # noqa: F401  (connects signals)
        from yiwang.domains.certificates.wallet import register as register_wallet

        register_wallet()  # 免证办: offer certificates to the case domain (R5.8)
