"""Attachments: the content is sniffed, not trusted from the name or the browser's type;
photos are re-encoded so their location metadata is gone; size and count are limited; the
files of a refused submission are not kept; they live outside the media and static files."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from feedback.attachments import attachment_clean, attachments_clean
from feedback.exceptions import InvalidAttachment, InvalidSender
from feedback.models import Attachment
from tests.feedback.helpers import database_snapshot, stored_files

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def jpeg_with_location():
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (21.0, 2.0, 0.0), 3: "E", 4: (105.0, 50.0, 0.0)}  # GPS
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_photo_loses_its_location_metadata():
    raw = jpeg_with_location()
    assert Image.open(io.BytesIO(raw)).getexif().get(0x8825)
    clean = attachment_clean(upload("anh.jpg", raw, "image/jpeg"))
    assert clean.content_type == "image/jpeg"
    image = Image.open(io.BytesIO(clean.content))
    assert not image.getexif()
    assert image.size == (64, 48)
    assert b"PhoneMaker" not in clean.content


def test_an_executable_renamed_pdf_is_refused():
    with pytest.raises(InvalidAttachment) as refused:
        attachment_clean(upload("don.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf"))
    assert list(refused.value.fields) == ["attachments"]


def test_the_sniffed_type_wins_over_the_name_and_the_browsers_type():
    clean = attachment_clean(upload("anh.jpg", PDF, "image/jpeg"))
    assert (clean.content_type, clean.original_name) == ("application/pdf", "anh.pdf")


def test_a_broken_pdf_or_image_is_refused():
    with pytest.raises(InvalidAttachment):
        attachment_clean(upload("a.pdf", b"%PDF-1.4 truncated"))
    with pytest.raises(InvalidAttachment):
        attachment_clean(upload("a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50))


def test_a_zero_byte_file_is_refused():
    with pytest.raises(InvalidAttachment) as refused:
        attachment_clean(upload("rong.pdf", b""))
    assert "rong.pdf" in str(refused.value)


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.FEEDBACK_ATTACHMENT_MAX_BYTES = 1000
    with pytest.raises(InvalidAttachment):
        attachment_clean(upload("lon.pdf", PDF + b"%" * 2000 + b"\n%%EOF\n"))


def test_eleven_files_are_refused():
    with pytest.raises(InvalidAttachment) as refused:
        attachments_clean([upload(f"{n}.pdf", PDF) for n in range(11)])
    assert "10" in str(refused.value)


def test_files_are_stored_privately_with_their_checksum(submit, private_files, settings):
    item, _pin = submit(attachments=[upload("anh.jpg", jpeg_with_location(), "image/jpeg")])
    attachment = Attachment.objects.get(item=item)
    assert (attachment.content_type, attachment.original_name) == ("image/jpeg", "anh.jpg")
    files = stored_files(private_files)
    assert len(files) == 1
    assert not str(files[0]).startswith(str(settings.MEDIA_ROOT))
    import hashlib

    assert hashlib.sha256(files[0].read_bytes()).hexdigest() == attachment.sha256
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018 - no public URL


def test_a_refused_submission_keeps_no_file(submit, private_files):
    before = database_snapshot()
    with pytest.raises(InvalidSender):
        submit(
            kind="complaint",
            sender={},
            attachments=[upload("a.pdf", PDF)],
        )
    assert database_snapshot() == before
    assert stored_files(private_files) == []


def test_files_are_deleted_when_the_transaction_fails_after_storing(
    submit, private_files, monkeypatch
):
    from feedback import notifications

    def boom(item):
        raise RuntimeError("outbox down")

    monkeypatch.setattr(notifications, "item_received", boom)
    with pytest.raises(RuntimeError):
        submit(attachments=[upload("a.pdf", PDF)])
    assert stored_files(private_files) == []
    assert Attachment.objects.count() == 0
