from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports.evaluations"
    label = "evaluations"
    verbose_name = _("Official evaluations")

    def ready(self):
        from django.db.models.signals import post_migrate

        from reports.evaluations import reference_data

        post_migrate.connect(
            reference_data.restore_defaults,
            sender=self,
            dispatch_uid="reports.evaluations.reference_data",
        )
