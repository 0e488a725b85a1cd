"""Punctuation that follows the language: the pieces of a sentence put together in code.

Chinese text takes Chinese punctuation (选举结果：…, 会长 × 1、副会长 × 3, …；…), English its
own; each joint is one translatable string with a context, so the catalogue says it once.
"""

from django.utils.translation import pgettext


def label_value(label, value):
    """ "Label: value" (Chinese: "标签：值")."""
    return pgettext("label: value", "%(label)s: %(value)s") % {"label": label, "value": value}


def enumeration(items):
    """Items of one list: "a, b, c" (Chinese: "甲、乙、丙")."""
    return pgettext("enumeration", ", ").join(str(item) for item in items)


def clauses(items):
    """Clauses of one sentence: "a; b" (Chinese: "甲；乙")."""
    return pgettext("list separator", "; ").join(str(item) for item in items)
