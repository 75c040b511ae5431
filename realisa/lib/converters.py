"""Path converters for a month in a URL: a year of four digits, a month of one or two.

Django's ``int`` takes any number of digits, and ``date(2147483648, 1, 1)`` raises an
``OverflowError`` where a view expects a ``ValueError``; bounded here, such a URL matches
no pattern and is a plain 404. ``MONTH`` is the path of a dossier's month.
"""

from __future__ import annotations

from django.urls import register_converter


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:04d}"


class MonthConverter:
    regex = "[0-9]{1,2}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(YearConverter, "year")
register_converter(MonthConverter, "month")

MONTH = "<str:number>/<year:year>/<month:month>/"
