"""``get_<field>_display()`` without translating every label of the field on each call (issue 14).

Django builds ``dict(make_hashable(field.flatchoices))`` on every call, and hashing a lazy label
translates it: a work queue of 25 rows asked for a status label 25 times and translated every
status label each time (430 translations per page). The mapping from value to (lazy) label does
not depend on the language, so it is built once per field and reused while the field's choices
are the same object; the label itself is still translated on each call, in the language then
active. Choices given as a callable are read every time, as Django does.
"""

from functools import partialmethod

from django.apps import apps
from django.db.models import Model
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable

_ATTRIBUTE = "_portal_display_choices"


def _get_field_display(self, field):
    value = getattr(self, field.attname)
    choices = field.choices
    cached = field.__dict__.get(_ATTRIBUTE)
    if cached is None or cached[0] is not choices:
        cached = (choices, dict(make_hashable(field.flatchoices)))
        if not isinstance(choices, CallableChoiceIterator):
            field.__dict__[_ATTRIBUTE] = cached
    return force_str(cached[1].get(make_hashable(value), value), strings_only=True)


def install_choice_labels_once() -> None:
    """Point every model's ``get_<field>_display`` that Django made at the function above
    (Django binds them when the model class is made, so patching ``Model`` would be too late);
    a model's own ``get_<field>_display`` is left alone."""
    django_s = Model._get_FIELD_display
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.fields:
            name = f"get_{field.name}_display"
            method = model.__dict__.get(name)
            if isinstance(method, partialmethod) and method.func is django_s:
                setattr(model, name, partialmethod(_get_field_display, field=field))
