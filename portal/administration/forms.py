"""Forms of the administration pages: they read and convert input; the rules (scope, hours,
duplicates, the last administrator) are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import CalendarOverride, Department, Role
from portal.strict_input import BoundedDateField


def time_input():
    return forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class DeskForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    opening_hours = forms.CharField(
        label=_("Opening hours (as shown to citizens)"),
        max_length=200,
        required=False,
        help_text=_("e.g. Monday to Friday, 7:30–11:30 and 13:30–17:00"),
    )
    opens_at = forms.TimeField(label=_("Opens at"), widget=time_input())
    lunch_starts_at = forms.TimeField(
        label=_("Lunch break starts"), widget=time_input(), required=False
    )
    lunch_ends_at = forms.TimeField(
        label=_("Lunch break ends"), widget=time_input(), required=False
    )
    closes_at = forms.TimeField(
        label=_("Closing hour"),
        widget=time_input(),
        help_text=_("A due date ends at this hour."),
    )
    paper_handover_cutoff = forms.TimeField(
        label=_("Paper handover cut-off"),
        widget=time_input(),
        required=False,
        help_text=_("Empty: the rule set's hour (15:00)."),
    )
    is_active = forms.BooleanField(label=_("Open (active)"), required=False, initial=True)


class DepartmentForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"), max_length=32, help_text=_("Letters, digits and dashes, e.g. tu-phap.")
    )
    name = forms.CharField(label=_("Name"), max_length=200)


class DepartmentEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    is_active = forms.BooleanField(label=_("Active"), required=False)


def _role_fields(form, *, unit, can_cover: bool):
    form.fields["department"].queryset = Department.objects.filter(
        desk__unit=unit, is_active=True
    ).select_related("desk")
    if not can_cover:
        del form.fields["covers_descendants"]


class RoleFields(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    department = forms.ModelChoiceField(
        label=_("Department (officers)"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("None"),
    )
    covers_descendants = forms.BooleanField(
        label=_("Also for the units under this one"), required=False
    )

    def __init__(self, *args, unit, can_cover, **kwargs):
        super().__init__(*args, **kwargs)
        _role_fields(self, unit=unit, can_cover=can_cover)


class StaffAccountForm(RoleFields):
    username = forms.CharField(label=_("User name"), max_length=150)
    first_name = forms.CharField(label=_("Given name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Family name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    password = forms.CharField(
        label=_("First password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; tell it to the person, who can change it."),
    )

    field_order = ["username", "last_name", "first_name", "email", "password", "role"]


class GrantRoleForm(RoleFields):
    username = forms.CharField(
        label=_("User name of the account"),
        max_length=150,
        help_text=_("An existing account; to make a new one, add a staff member instead."),
    )

    field_order = ["username", "role"]


class AccountForm(forms.Form):
    last_name = forms.CharField(label=_("Family name"), max_length=150, required=False)
    first_name = forms.CharField(label=_("Given name"), max_length=150, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    is_active = forms.BooleanField(
        label=_("Can sign in (active)"),
        required=False,
        help_text=_("Switch off for someone who left: their history stays."),
    )


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=_("New password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class CalendarOverrideForm(forms.Form):
    date = BoundedDateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarOverride.Kind.choices)
    name = forms.CharField(label=_("Reason"), max_length=200)
