"""Accent-insensitive text search for Vietnamese names.

Staff often type names without diacritics ("phuc xa" for "Phường Phúc Xá"). ``FoldAccents``
folds a text column in the database to lower-case ASCII letters for the Vietnamese alphabet
(ă â ê ô ơ ư đ and the five tones, precomposed or decomposed), and ``fold_accents`` folds the
search term the same way in Python, so ``Contains(FoldAccents("name"), fold_accents(q))``
matches either spelling. It needs no database extension: PostgreSQL uses ``TRANSLATE``; SQLite
(the demo run) calls the same folding in Python.
"""

import unicodedata

from django.db.models import CharField, Func, Value
from django.db.models.functions import Lower

# The combining marks of Vietnamese: circumflex, breve, horn and the five tone marks.
_MARKS = "\u0302\u0306\u031b\u0300\u0301\u0303\u0309\u0323"


def _vietnamese_letters():
    letters = {"đ": "d", "Đ": "d"}
    for codepoint in [*range(0x00C0, 0x0250), *range(0x1EA0, 0x1F00)]:
        char = chr(codepoint)
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], decomposed[1:]
        if base in "aeiouyAEIOUY" and marks and all(m in _MARKS for m in marks):
            letters[char] = base.lower()
    return letters


_LETTERS = _vietnamese_letters()
# TRANSLATE(text, from, to) deletes the characters of ``from`` beyond the length of ``to``:
# the decomposed marks go last so that they are removed.
_FROM = "".join(_LETTERS) + _MARKS
_TO = "".join(_LETTERS.values())
_TABLE = str.maketrans("".join(_LETTERS), _TO, _MARKS)


def fold_accents(text: str) -> str:
    """``"Phường Phúc Xá"`` → ``"phuong phuc xa"``; spaces collapsed."""
    return " ".join(text.translate(_TABLE).lower().split())


class _Translate(Func):
    function = "TRANSLATE"
    output_field = CharField()

    def __init__(self, expression, **extra):
        super().__init__(expression, Value(_FROM), Value(_TO), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite has no TRANSLATE (and chokes on 150 nested REPLACEs): register the Python
        # folding as a function of this connection, the one that runs the query.
        connection.ensure_connection()
        connection.connection.create_function(
            "portal_fold_accents", 1, _translate_or_none, deterministic=True
        )
        sql, params = compiler.compile(self.source_expressions[0])
        return f"portal_fold_accents({sql})", params


def _translate_or_none(text):
    return None if text is None else text.translate(_TABLE)


class FoldAccents(Lower):
    """The column folded like ``fold_accents``: lower-case, without Vietnamese diacritics."""

    def __init__(self, expression, **extra):
        super().__init__(_Translate(expression), **extra)
