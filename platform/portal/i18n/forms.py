"""Forms whose messages, WTForms' own included, come from the portal's catalogs."""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import get_translations
from flask_wtf import FlaskForm
from wtforms import Form
from wtforms.fields.choices import SelectChoice


class _CatalogTranslations:
    # Raw catalog lookups: WTForms fills the placeholders itself, after translation.
    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


class _CatalogMeta:
    def get_translations(self, form: object) -> _CatalogTranslations:
        return _CatalogTranslations()


class PortalForm(FlaskForm):
    """Every page form: CSRF-protected, messages in the page's language."""

    class Meta(_CatalogMeta):
        pass


class PortalSubform(Form):
    """A group of fields nested in a PortalForm (no CSRF of its own)."""

    class Meta(_CatalogMeta):
        pass


def options(pairs: Iterable[tuple[object, object]]) -> list[SelectChoice]:
    """Choices for select and radio fields from ``(value, label)`` pairs."""
    return [SelectChoice(value, label) for value, label in pairs]
