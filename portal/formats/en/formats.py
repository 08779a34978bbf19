"""English date formats for the portal: day first, as in Vietnamese.

The portal serves Vietnam, where dates are written day first in both languages (an English page
that showed 12/03/2026 for 3 December would be misread by every reader). Django's ``en`` formats
are American (month first, 12-hour clock); these replace them. Input accepts the same day-first
shapes as Vietnamese (``portal/formats/vi/formats.py``), plus ISO from date pickers and the API.
"""

from portal.formats.vi.formats import DATE_INPUT_FORMATS, DATETIME_INPUT_FORMATS  # noqa: F401

DATE_FORMAT = "j F Y"  # 3 December 2026
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "H:i, j F Y"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"  # 03/12/2026
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
FIRST_DAY_OF_WEEK = 1  # Monday
