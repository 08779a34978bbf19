"""factory_boy factories shared by all tests."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from portal.models import (
    AdministrativeUnit,
    CalendarOverride,
    Department,
    Membership,
    Role,
    ServiceDesk,
    UnitLevel,
    UnitTree,
)


class UnitTreeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitTree
        django_get_or_create = ("code",)

    code = "legacy"
    name = "Ba cấp (trước 01/07/2025)"
    levels = 3
    valid_to = dt.date(2025, 6, 30)


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit

    tree = factory.SubFactory(UnitTreeFactory)
    parent = None
    level = UnitLevel.CITY
    code = factory.Sequence(lambda n: f"{n + 100:05d}")
    name = factory.Sequence(lambda n: f"Đơn vị {n}")


class DeskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceDesk

    unit = factory.SubFactory(UnitFactory)
    name = factory.LazyAttribute(lambda o: f"Bộ phận một cửa {o.unit.name}")
    address = "1 Đường Lê Lợi"
    phone = "024 3825 0000"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    desk = factory.SubFactory(DeskFactory)
    code = factory.Sequence(lambda n: f"dept-{n}")
    name = factory.Sequence(lambda n: f"Phòng {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Văn A"
    last_name = "Nguyễn"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.test")
    password = factory.django.Password("correct-horse-battery-9")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Role.RECEPTIONIST
    covers_descendants = False


class CalendarOverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarOverride

    date = dt.date(2026, 1, 2)
    kind = CalendarOverride.Kind.DAY_OFF
    name = "Nghỉ bù"


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "dossiers.Procedure"
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"1.{n + 1000:06d}")
    name = factory.Sequence(lambda n: f"Thủ tục {n}")
    field = "Hộ tịch"
    level = UnitLevel.COMMUNE
    time_unit = "days"
    processing_time = 5
    fee_vnd = 0
    return_modes = ["desk", "post"]

    @factory.post_generation
    def offered_at(self, create, extracted, **kwargs):
        if create and extracted:
            self.desks.add(*extracted)


# --- surveys ---------------------------------------------------------------------------------
class SurveyFormFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "surveys.SurveyForm"

    code = factory.Sequence(lambda n: f"form-{n}")
    version = 1
    name_vi = factory.Sequence(lambda n: f"Phiếu khảo sát {n}")
    name_en = factory.Sequence(lambda n: f"Survey form {n}")
    scale = "five_level"
    is_published = True


class SurveyAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "surveys.Area"

    form = factory.SubFactory(SurveyFormFactory)
    code = factory.Sequence(lambda n: f"area-{n}")
    name_vi = factory.Sequence(lambda n: f"Lĩnh vực {n}")
    name_en = factory.Sequence(lambda n: f"Area {n}")
    order = factory.Sequence(lambda n: n)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "surveys.Criterion"

    area = factory.SubFactory(SurveyAreaFactory)
    code = factory.Sequence(lambda n: f"C{n}")
    text_vi = factory.Sequence(lambda n: f"Tiêu chí {n}")
    text_en = factory.Sequence(lambda n: f"Criterion {n}")
    order = factory.Sequence(lambda n: n)


class ExtraQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "surveys.ExtraQuestion"

    form = factory.SubFactory(SurveyFormFactory)
    code = factory.Sequence(lambda n: f"q-{n}")
    text_vi = factory.Sequence(lambda n: f"Câu hỏi {n}")
    options = factory.LazyFunction(
        lambda: [
            {"code": "none", "label_vi": "Không có", "label_en": "None"},
            {"code": "some", "label_vi": "Một vài lần", "label_en": "Some"},
            {"code": "many", "label_vi": "Nhiều lần", "label_en": "Many"},
        ]
    )
    order = factory.Sequence(lambda n: n)
