from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = _("Portal core")

    def ready(self):
        from portal.api_fields import install_strict_text
        from portal.model_display import install_choice_labels_once

        install_strict_text()
        install_choice_labels_once()
        self._forget_memberships_on_change()

    @staticmethod
    def _forget_memberships_on_change():
        """A membership (or a unit's path) changed in this request: the memberships it
        remembered (``portal.request_memo``) are read again."""
        from django.db.models.signals import post_delete, post_save

        from portal import request_memo
        from portal.models import AdministrativeUnit, Membership

        def forget(**kwargs):
            request_memo.forget("memberships")

        for model in (Membership, AdministrativeUnit):
            for signal in (post_save, post_delete):
                signal.connect(forget, sender=model, weak=False, dispatch_uid=f"memo-{model}")
