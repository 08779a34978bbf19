"""Seed the default survey forms (R-SUR-1); safe to run again."""

from django.core.management.base import BaseCommand

from surveys.seeding import seed_survey_forms


class Command(BaseCommand):
    help = "Create or refresh the default SIPAS survey form and the M-Score example form."

    def handle(self, *args, **options):
        for code, form in seed_survey_forms().items():
            areas = form.areas.count()
            criteria = sum(a.criteria.count() for a in form.areas.all())
            self.stdout.write(
                f"{code} v{form.version}: {areas} areas, {criteria} criteria, "
                f"{form.extra_questions.count()} extra questions, "
                f"{'published' if form.is_published else 'not published'}"
            )
