"""R-FB-3, R-PRIV-1: published texts never show the sender's name, phone, address or ID
number, even when staff leave them in; any phone or ID number and email is masked too."""

from feedback.masking import MASK, mask_personal_data
from tests.feedback.helpers import SENDER


def test_the_senders_values_in_the_body_are_masked_r_fb_3():
    body = (
        "Tôi là Nguyễn Văn An, CCCD 001085012345, ở 12 Phúc Xá, Ba Đình, Hà Nội, "
        "điện thoại 0912 345 678, email an.nguyen@example.test. Văn An xin phản ánh."
    )
    masked = mask_personal_data(body, sender=SENDER)
    for value in (
        "Nguyễn Văn An",
        "001085012345",
        "12 Phúc Xá",
        "0912 345 678",
        "an.nguyen@example.test",
        "Văn An",
    ):
        assert value not in masked, value
    assert masked.startswith(f"Tôi là {MASK}, CCCD {MASK}, ở {MASK}")
    assert "xin phản ánh" in masked


def test_values_are_found_without_diacritics_or_letter_case_r_fb_3():
    masked = mask_personal_data("ong NGUYEN VAN AN va ong nguyễn văn an", sender=SENDER)
    assert masked == f"ong {MASK} va ong {MASK}"


def test_phone_and_id_numbers_of_anyone_are_masked_r_priv_1():
    text = "Gọi 0987.654.321 hoặc +84 24 3825 0000; CMND 123456789; số tiền 1.500.000 đồng."
    masked = mask_personal_data(text)
    assert "0987" not in masked and "3825" not in masked and "123456789" not in masked
    assert "1.500.000 đồng" in masked  # amounts and dates are kept


def test_first_part_of_the_address_is_masked_alone_r_fb_3():
    masked = mask_personal_data("Nhà tôi ở 12 Phúc Xá bị ngập.", sender=SENDER)
    assert masked == f"Nhà tôi ở {MASK} bị ngập."


def test_a_given_name_alone_is_kept():
    assert mask_personal_data("An toàn là trên hết", sender=SENDER) == "An toàn là trên hết"
