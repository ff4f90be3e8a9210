"""Check the model's answer against the text it came from, by rule.

A small model misreads digits, prefers a job board's header figure to the employer's
own statement, and fills a salary the text never states. Rules that read the text
directly correct that; each function here is pure: (record, text) -> record.
"""

from __future__ import annotations

from extractor.money import PayMention, likely_period, pay_mentions
from extractor.record import JobPosting, Salary


def _matches(salary: Salary, mention: PayMention) -> bool:
    return salary.min == mention.min and salary.max == mention.max


def reconcile_salary(salary: Salary | None, text: str) -> Salary | None:
    """The salary the text states, using the model's reading only to choose among several.

    No pay statement in the text means no salary. When the model's range is one the text
    states (a text with several roles), that one is kept; otherwise the statement that
    reads most like the employer's own ("base salary range ...") wins, the first on a tie.
    """
    mentions = pay_mentions(text)
    if not mentions:
        return None
    chosen = next((m for m in mentions if salary and _matches(salary, m)), None)
    if chosen is None:
        chosen = max(mentions, key=lambda m: (m.score, -m.start))
    currency = chosen.currency or (salary.currency if salary else None)
    # An unstated period follows from the amount when it can ("$196,000" is not hourly pay).
    period = chosen.period or likely_period(chosen.max) or (salary.period if salary else None)
    return Salary(min=chosen.min, max=chosen.max, currency=currency, period=period)


def ground(record: JobPosting, text: str) -> JobPosting:
    """The record with every rule-checked field replaced by what the text supports."""
    return record.model_copy(update={"salary": reconcile_salary(record.salary, text)})
