"""The languages a reader can choose, each named in itself: ``{% load languages %}``.

Django's ``get_available_languages`` translates the names into the page's language ("Anglais" on a French
page); a reader looking for their own language must find it written as they write it, whatever the page is in.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.utils.translation import get_language_info

register = template.Library()


@dataclass(frozen=True)
class Language:
    code: str
    #: The language's name in itself, as settings' ``LANGUAGES`` write it ("Español", "العربية").
    name: str
    #: Written right to left.
    bidi: bool


@register.simple_tag
def languages_named_in_themselves() -> list[Language]:
    return [Language(code, name, bool(get_language_info(code)["bidi"])) for code, name in settings.LANGUAGES]
