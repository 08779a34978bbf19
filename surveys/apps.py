from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self):
        from django.db.models.signals import post_migrate

        from dossiers.signals import dossier_returned
        from surveys.receivers import invite_on_return, sipas_form_after_migrate

        dossier_returned.connect(invite_on_return, dispatch_uid="surveys.invite_on_return")
        # Reference data: the default SIPAS form (surveys.seeding.sipas_form_ensure).
        post_migrate.connect(
            sipas_form_after_migrate, sender=self, dispatch_uid="surveys.sipas_form_after_migrate"
        )

    def seed_demo(self, *, desks, options, stdout):
        """Demo hook of ``manage.py seed_demo``: the survey forms and answers to about 60 %
        of the returned demo dossiers."""
        from surveys import demo, seeding

        forms = seeding.seed_survey_forms()
        stdout.write(_("Survey forms: %(n)d") % {"n": len(forms)})
        if options.get("dossiers", 1):
            made = demo.seed_demo_responses(desks=desks)
            stdout.write(_("Demo survey responses made: %(n)d") % {"n": made})
