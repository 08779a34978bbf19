"""Plain data shared by the dossier tests (fixtures stay in conftest.py)."""

APPLICANT = {
    "name": "Nguyễn Văn An",
    "id_number": "001085012345",
    "phone": "0912 345 678",
    "email": "an.nguyen@example.test",
    "address": "12 Phúc Xá, Ba Đình, Hà Nội",
}
