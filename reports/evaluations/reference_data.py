"""Reference data of the evaluations, restored after every ``migrate`` and ``flush`` (Django's
``post_migrate``, like ``reports.reference_data``): the Circular 01/2018 rule set and the two
Decision 766 profiles of ``../shared/EVALUATIONS.md`` §1. Only what is missing is added (by
code), so an administrator's edits and new versions are never changed.

Profiles (EVALUATIONS.md §1, §4.3: where sources conflict both readings are kept):

- ``qd766-portal-2026`` (active): how the national portal scores today [A4][A7]: the online
  group 2 + 4 + 6 (profile ``qd766-online-v1``), digitised dossiers linear, payment C
  ``2.5·C`` uncapped, no PAKN → 6 + 6.
- ``qd766-spec-a3a5`` (inactive, selectable): the other readings: the whole online group on
  fully online dossiers [A3], digitised dossiers full from 80 % [A5], payment C capped at 2,
  no PAKN → its points split between PAKN on time and dossier satisfaction [A3].
"""

import datetime as dt
from decimal import Decimal

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, router

C01_CODE = "tt01-2018"
C01 = {
    "name": "Thông tư 01/2018/TT-VPCP",
    "legal_basis": "Thông tư 01/2018/TT-VPCP ngày 23/11/2018, Điều 13–15",
    "effective_from": dt.date(2019, 1, 6),
    "verified": True,
    "notes": (
        "Art. 13–15 as codified (Bộ Pháp điển, Điều 3.3.TT.34.12–15). Whether Decree "
        "118/2025/NĐ-CP and Circular 03/2025/TT-VPCP keep the nine indices and the bands is "
        "unconfirmed: set an end date when the province decides."
    ),
}

PORTAL = "qd766-portal-2026"
SPEC = "qd766-spec-a3a5"
FROM_766 = dt.date(2022, 8, 1)  # official operation began 01/08/2022 [A1]

E, C = "entered", "computed"


def _item(group, code, name, weight, *, source=E, target=100, capped=True, computation="",
          no_data="zero", redistribute_to="", times_item="", description="", sources="",
          verified=False):  # fmt: skip
    return {
        "group": group,
        "code": code,
        "name": name,
        "weight": Decimal(str(weight)),
        "target": Decimal(str(target)),
        "capped": capped,
        "source": source,
        "computation": computation,
        "no_data": no_data,
        "redistribute_to": redistribute_to,
        "times_item": times_item,
        "description": description,
        "sources": sources,
        "verified": verified,
    }


TRANSPARENCY = [
    _item(
        "transparency",
        "PUBLISH_ON_TIME",
        "Tỷ lệ TTHC công bố đúng hạn",
        6,
        description="Thủ tục công bố đúng hạn ÷ thủ tục công bố trong kỳ (QĐ công bố ≤ ngày "
        "hiệu lực của căn cứ pháp lý − 5 ngày làm việc đối với tỉnh).",
        sources="A3 A4 A5 A7",
        verified=True,
    ),
    _item(
        "transparency",
        "PUBLIC_UPDATE_ON_TIME",
        "Tỷ lệ TTHC được cập nhật, công khai đúng hạn trên CSDLQG",
        4,
        description="Thủ tục công khai trong 5 ngày làm việc (tỉnh) kể từ QĐ công bố ÷ thủ "
        "tục phải công khai; chỉ tính ở cấp tỉnh.",
        sources="A2 A3 A4 A5",
        verified=True,
    ),
    _item(
        "transparency",
        "PUBLIC_CONTENT_FULL",
        "Tỷ lệ TTHC công khai đầy đủ nội dung",
        2,
        description="Thủ tục đủ 7 bộ phận (NĐ 63/2010 Đ.8.2) ÷ thủ tục công khai; tính tại "
        "thời điểm hiện tại.",
        sources="A3 A4 A5",
        verified=True,
    ),
    _item(
        "transparency",
        "DOSSIER_SYNC",
        "Tỷ lệ hồ sơ đồng bộ lên Cổng DVCQG",
        6,
        description="Hồ sơ đồng bộ có ngày tiếp nhận trong kỳ ÷ max(hồ sơ theo BCQG, theo DVCQG).",
        sources="A3 A4 A5",
        verified=True,
    ),
]
PROGRESS = [
    _item(
        "progress",
        "PROGRESS_ON_TIME",
        "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn",
        20,
        source=C,
        computation="progress_on_time",
        description="(Hồ sơ hoàn thành trước hạn, đúng hạn + hồ sơ đang xử lý còn hạn) ÷ hồ "
        "sơ tiếp nhận hoặc xử lý trong kỳ.",
        sources="A3 A4 A5",
        verified=True,
    ),
]
ONLINE_COMPONENTS = [
    _item(
        "online",
        "ONLINE_PROCEDURES",
        "Tỷ lệ TTHC cung cấp DVCTT",
        2,
        target=80,
        source=C,
        computation="procedures_online",
        description="Thủ tục có DVC trực tuyến một phần hoặc toàn trình ÷ thủ tục thuộc thẩm "
        "quyền (danh mục hiện tại của bộ phận một cửa).",
        sources="A4 A5 A7",
    ),
    _item(
        "online",
        "ONLINE_SERVICES_USED",
        "Tỷ lệ DVCTT có phát sinh hồ sơ",
        4,
        source=C,
        computation="online_services_used",
        description="DVC trực tuyến có hồ sơ nộp trực tuyến trong kỳ ÷ DVC trực tuyến.",
        sources="A4 A5 A7",
    ),
    _item(
        "online",
        "ONLINE_DOSSIERS",
        "Tỷ lệ hồ sơ nộp trực tuyến",
        6,
        target=50,
        source=C,
        computation="dossiers_online",
        description="Hồ sơ tiếp nhận trực tuyến ÷ hồ sơ tiếp nhận (theo [A5] còn nhân với tỷ "
        "lệ đồng bộ; cổng chấm theo số liệu của cổng).",
        sources="A4 A5 A7",
    ),
]
ONLINE_FULLY = [
    _item(
        "online",
        "FULLY_ONLINE_DOSSIERS",
        "Tỷ lệ hồ sơ DVCTT toàn trình ÷ hồ sơ của TTHC đủ điều kiện toàn trình",
        12,
        source=C,
        computation="fully_online",
        description="Cách đọc của [A3]: cả 12 điểm cho một chỉ tiêu (chỉ cấp tỉnh).",
        sources="A3",
    ),
]
PAYMENT = [
    _item(
        "payment",
        "PAYMENT_DOSSIERS",
        "Tỷ lệ hồ sơ thanh toán trực tuyến",
        6,
        description="Hồ sơ thanh toán trực tuyến thành công ÷ hồ sơ có nghĩa vụ tài chính "
        "(trừ hồ sơ phí bằng 0); 0 điểm khi mẫu số bằng 0.",
        sources="A4 A5 A7",
        verified=True,
    ),
    _item(
        "payment",
        "PAYMENT_PROCEDURES",
        "Tỷ lệ TTHC có giao dịch thanh toán trực tuyến",
        2,
        target=80,
        description="Thủ tục có giao dịch thanh toán trực tuyến ÷ thủ tục có phí "
        "(totalFeeFormality, [A4]).",
        sources="A4 A7",
        verified=True,
    ),
    _item(
        "payment",
        "PAYMENT_INTEGRATED",
        "Tỷ lệ TTHC có nghĩa vụ tài chính được tích hợp trên Cổng DVCQG",
        2,
        target=80,
        capped=False,
        description="Thủ tục có hồ sơ đồng bộ phí khác 0 ÷ thủ tục có thông tin "
        "phí trong CSDL TTHC; cổng chấm 2,5·C không giới hạn.",
        sources="A4 A7",
        verified=True,
    ),
]
DIGITISATION_COMMON = [
    _item(
        "digitisation",
        "ORIGINAL_RESULT_AVAILABLE",
        "Tỷ lệ hồ sơ TTHC có cấp kết quả điện tử",
        6,
        sources="A3 A4 A5",
        verified=True,
        description="Hồ sơ có tệp kết quả đồng bộ ÷ hồ sơ của thủ tục phải trả kết quả.",
    ),
    None,  # SO_HOA_GIAY_TO_GIAI_QUYET differs between the profiles
    _item(
        "digitisation",
        "ELECTRONIC_CERTIFIED_COPY",
        "Tỷ lệ cung cấp dịch vụ chứng thực bản sao điện tử từ bản chính",
        2,
        description="Xã cung cấp dịch vụ ÷ xã thuộc quyền quản lý.",
        sources="A3 A4",
        verified=True,
    ),
    _item(
        "digitisation",
        "REUSED_DIGITIZED_DATA",
        "Tỷ lệ hồ sơ khai thác, sử dụng lại dữ liệu số hóa",
        2,
        target=80,
        description="Hồ sơ có thành phần tái sử dụng ÷ hồ sơ tiếp nhận trong kỳ.",
        sources="A3 A4 A5",
        verified=True,
    ),
    _item(
        "digitisation",
        "SYNCED_WITH_DVCQG_PERSONAL_STORAGE",
        "Tỷ lệ hồ sơ số hóa có kết nối, chia sẻ dữ liệu phục vụ tái sử dụng",
        4,
        description="Hồ sơ lấy từ kho dữ liệu cá nhân hoặc đồng bộ kết quả vào kho ÷ hồ sơ "
        "tiếp nhận (độ dốc chưa kiểm chứng).",
        sources="A3 A4 A5",
    ),
    _item(
        "digitisation",
        "CITIZEN_DATA_CONNECTED_DOSSIER",
        "Tỷ lệ hồ sơ TTHC có sử dụng dữ liệu dân cư",
        2,
        description="Hồ sơ xác thực VNeID hoặc dùng CSDL dân cư ÷ hồ sơ (chỉ cấp tỉnh).",
        sources="A3 A4 A5",
        verified=True,
    ),
    _item(
        "digitisation",
        "CITIZEN_DATA_CONNECTED_FORMALITY",
        "Tỷ lệ TTHC triển khai kết nối, chia sẻ dữ liệu dân cư",
        2,
        description="Thủ tục có hồ sơ như trên ÷ thủ tục dành cho công dân (chỉ cấp tỉnh).",
        sources="A3 A4 A5",
        verified=True,
    ),
]
DIGITISED_LINEAR = _item(
    "digitisation", "SO_HOA_GIAY_TO_GIAI_QUYET", "Tỷ lệ hồ sơ TTHC thực hiện số hóa", 4,
    description="Hồ sơ có tệp thành phần (và kết quả điện tử nếu thủ tục yêu cầu) ÷ hồ sơ "
    "thuộc thẩm quyền; cổng chấm tuyến tính.", sources="A4", verified=True,
)  # fmt: skip
DIGITISED_80 = dict(DIGITISED_LINEAR, target=Decimal(80), sources="A5", verified=False,
                    description="Như trên; theo đặc tả [A5] đạt 80 % là tối đa.")  # fmt: skip
SATISFACTION_PORTAL = [
    _item(
        "satisfaction",
        "PETITION_PROCESSING_ON_TIME",
        "Tỷ lệ PAKN xử lý đúng hạn",
        6,
        source=C,
        computation="feedback_on_time",
        no_data="full",
        description="(PAKN xử lý đúng hạn + đang xử lý còn hạn) ÷ PAKN tiếp nhận hoặc xử lý "
        "trong kỳ; đủ 6 điểm khi không có PAKN.",
        sources="A3 A4 A5",
        verified=True,
    ),
    _item(
        "satisfaction",
        "PETITION_HANDLING_SATISFACTION",
        "Tỷ lệ hài lòng trong xử lý PAKN",
        6,
        source=C,
        computation="feedback_satisfaction",
        no_data="full",
        description="(PAKN − PAKN quá hạn − PAKN bị phản ánh lại) ÷ PAKN tiếp nhận lần đầu "
        "trong kỳ; đủ 6 điểm khi không có PAKN.",
        sources="A3 A4 A5",
        verified=True,
    ),
    _item(
        "satisfaction",
        "DOSSIER_RECEIVING_SATISFACTION",
        "Tỷ lệ hài lòng trong tiếp nhận, giải quyết TTHC",
        6,
        target=90,
        source=C,
        computation="dossier_satisfaction",
        description="(Hồ sơ − hồ sơ trễ hạn − hồ sơ bị PAKN) ÷ hồ sơ; đủ điểm từ 90 %; 0 điểm "
        "khi mẫu số bằng 0.",
        sources="A2 A3 A4 A5",
        verified=True,
    ),
]


def _spec_satisfaction():
    rows = [dict(r) for r in SATISFACTION_PORTAL]
    rows[1].update(
        no_data="redistribute",
        redistribute_to="PETITION_PROCESSING_ON_TIME,DOSSIER_RECEIVING_SATISFACTION",
        sources="A3",
        verified=False,
        description=rows[1]["description"].replace(
            "đủ 6 điểm khi không có PAKN", "khi không có PAKN, điểm chia đều cho 02 chỉ tiêu [A3]"
        ),
    )
    return rows


def profile_items(code: str) -> list[dict]:
    digitisation = list(DIGITISATION_COMMON)
    if code == PORTAL:
        digitisation[1] = DIGITISED_LINEAR
        online = ONLINE_COMPONENTS
        payment = PAYMENT
        satisfaction = SATISFACTION_PORTAL
    else:
        digitisation[1] = DIGITISED_80
        online = ONLINE_FULLY
        payment = [dict(r) for r in PAYMENT]
        payment[1]["description"] = (
            "Thủ tục có giao dịch thanh toán trực tuyến ÷ thủ tục có phí có phát sinh hồ sơ "
            "(totalFeeDossierFormalityDistinct, giao diện [A7])."
        )
        payment[2] = dict(payment[2], capped=True, verified=False)
        satisfaction = _spec_satisfaction()
    rows = [*TRANSPARENCY, *PROGRESS, *online, *payment, *satisfaction, *digitisation]
    return [dict(row, order=n) for n, row in enumerate(rows, start=1)]


PROFILES = {
    PORTAL: {
        "name": "Bộ chỉ số 766 – cách chấm của Cổng DVCQG (2026)",
        "effective_from": FROM_766,
        "is_active": True,
        "notes": (
            "Reverse-engineered scores of dichvucong.gov.vn (Phú Thọ, 2026) [A4], payment split "
            "and online profile qd766-online-v1 [A7]; sub-indicators from [A3][A5]. Not the "
            "official annex (EVALUATIONS.md §4)."
        ),
    },
    SPEC: {
        "name": "Bộ chỉ số 766 – cách đọc theo đặc tả [A3][A5]",
        "effective_from": FROM_766,
        "is_active": False,
        "notes": (
            "The readings that conflict with the portal's scores: fully online dossiers for the "
            "whole online group [A3], digitised dossiers full from 80 % [A5], payment C capped, "
            "no PAKN split between two sub-items [A3]."
        ),
    },
}


def restore_defaults(sender=None, *, apps=global_apps, using=DEFAULT_DB_ALIAS, **kwargs):
    try:
        RuleSet = apps.get_model("evaluations", "Circular01RuleSet")
        Profile = apps.get_model("evaluations", "Index766Profile")
        Item = apps.get_model("evaluations", "Index766Item")
    except LookupError:
        return
    if not router.allow_migrate_model(using, RuleSet):
        return
    if not RuleSet.objects.using(using).filter(code=C01_CODE).exists():
        RuleSet.objects.using(using).get_or_create(code=C01_CODE, defaults=dict(C01))
    for code, fields in PROFILES.items():
        profile, created = Profile.objects.using(using).get_or_create(code=code, defaults=fields)
        if created:
            Item.objects.using(using).bulk_create(
                Item(profile=profile, **row) for row in profile_items(code)
            )
