"""Vietnamese date formats for the portal, over Django's own ``vi`` formats.

Vietnamese write dates day first (02/01/2026 is 2 January). Django's ``vi`` locale defines no
input formats, so forms fell back to the American month-first ``%m/%d/%Y`` and read 02/01/2026
as 1 February. The first input format is also what the admin's calendar widget writes.
"""

DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # '25/10/2006'
    "%d-%m-%Y",  # '25-10-2006'
    "%d/%m/%y",  # '25/10/06'
    "%Y-%m-%d",  # '2006-10-25' (ISO, from date pickers and the API)
]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
FIRST_DAY_OF_WEEK = 1  # Monday
