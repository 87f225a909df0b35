"""Date windows the tasks speak of (quarters, seasons, months, "the past N months"), as inclusive date ranges.

The definitions are the "Domain Details" text every task carries (``DOMAIN_DETAILS``), so the agent and the
ground truth read the same rules.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from pydantic import BaseModel

MONTHS = list(calendar.month_name)[1:]
SEASONS = {"Winter": (12, 2), "Spring": (3, 5), "Summer": (6, 8), "Autumn": (9, 11)}

DOMAIN_DETAILS = """# Domain Details
- Q1: January 1 to March 31; Q2: April 1 to June 30; Q3: July 1 to September 30; Q4: October 1 to December 31.
- Winter YYYY: December 1 of YYYY to the end of February of YYYY+1. Spring: March 1 to May 31. Summer: June 1 to \
August 31. Autumn: September 1 to November 30.
- "The past N months" (or N quarters = 3N months): from the same day N months before today's date to today's date.
- A case belongs to a period when its CreatedDate falls in it (dates inclusive).
- "Significantly more than other months": one month has more cases than every other month of the period."""


class Period(BaseModel):
    """An inclusive date range and how a question says it."""

    start: date
    end: date
    phrase: str

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def as_strings(self) -> tuple[str, str]:
        return self.start.isoformat(), self.end.isoformat()


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (clamped to the month's last day)."""
    m = day.month - 1 + months
    y, m = day.year + m // 12, m % 12 + 1
    return date(y, m, min(day.day, calendar.monthrange(y, m)[1]))


def month(year: int, m: int) -> Period:
    return Period(start=date(year, m, 1), end=month_end(year, m), phrase=f"{MONTHS[m - 1]} {year}")


def quarter(year: int, q: int) -> Period:
    return Period(start=date(year, 3 * q - 2, 1), end=month_end(year, 3 * q), phrase=f"Q{q} of {year}")


def season(year: int, name: str) -> Period:
    first, last = SEASONS[name]
    end_year = year + 1 if first > last else year
    return Period(start=date(year, first, 1), end=month_end(end_year, last), phrase=f"{name} {year}")


def past(today: date, months: int, unit: str = "months") -> Period:
    """The past ``months`` months up to ``today``; ``unit='quarters'`` phrases it in quarters (months must be 3n)."""
    n = months // 3 if unit == "quarters" else months
    word = {1: "month", 2: "two months", 3: "three months"}.get(n) if unit == "months" else None
    phrase = f"the past {n} {unit}" if word is None or n == 1 and unit != "months" else f"the past {word}"
    if unit == "months" and n == 1:
        phrase = "the past month"
    return Period(start=add_months(today, -months), end=today, phrase=phrase)


def days_ago_phrase(n: int) -> str:
    return {1: "yesterday", 7: "a week ago", 14: "a fortnight ago", 2: "two days ago", 3: "three days ago"}.get(
        n, f"{n} days ago")


def day_of(timestamp: str) -> date:
    """The date of a 'YYYY-MM-DDTHH:MM:SSZ' or 'YYYY-MM-DD' string."""
    return date.fromisoformat(timestamp[:10])


def daterange(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]
