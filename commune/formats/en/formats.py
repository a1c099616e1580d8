"""English as Commune writes it: British (day before month, as its words are spelt). Django's own "en"
formats are American; the other languages use Django's formats for them."""

from django.conf.locale.en_GB.formats import *  # noqa: F403
