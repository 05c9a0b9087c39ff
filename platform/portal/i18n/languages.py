"""The portal's languages and their names, from CLDR. No Flask here."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from babel import Locale

from portal.i18n.collation import collated

#: Interface languages, in the order the switcher shows them.
LANGUAGES: tuple[str, ...] = ("en", "zh", "ru", "kk", "ky", "tg", "tk", "uz")
DEFAULT_LANGUAGE = "en"

#: Countries the portal is about; any other ISO 3166 code is accepted too.
FOCUS_COUNTRIES: tuple[str, ...] = ("CN", "KZ", "KG", "TJ", "TM", "UZ")


@lru_cache(maxsize=64)
def _locale(code: str) -> Locale:
    return Locale.parse(code)


def language_name(code: str, in_language: str) -> str:
    """``language_name("kk", "zh") == "哈萨克语"``; the endonym when both are equal."""
    name = _locale(in_language).languages.get(code) or code
    return name[:1].upper() + name[1:]


def native_language_name(code: str) -> str:
    return language_name(code, code)


def country_name(code: str, in_language: str) -> str:
    return _locale(in_language).territories.get(code.upper(), code.upper())


@lru_cache(maxsize=16)
def country_choices(in_language: str) -> tuple[tuple[str, str], ...]:
    """The focus countries first (China and Central Asia, the ones most listings name), then
    every other ISO 3166-1 country; each group sorted by name in the language's collation."""
    territories = _locale(in_language).territories
    focus = [(code, territories[code]) for code in FOCUS_COUNTRIES]
    others = [(code, name) for code, name in territories.items()
              if len(code) == 2 and code.isalpha() and code not in FOCUS_COUNTRIES
              and code not in {"ZZ", "EU", "EZ", "UN", "QO", "XA", "XB", "XK"}]
    by_name = lambda item: item[1]  # noqa: E731
    return tuple(collated(focus, in_language, key=by_name) + collated(others, in_language, key=by_name))


def collated_countries(codes: Iterable[str], in_language: str) -> list[str]:
    """Country codes sorted by their names in ``in_language``."""
    return collated(codes, in_language, key=lambda code: country_name(code, in_language))


@lru_cache(maxsize=1)
def _country_codes() -> frozenset[str]:
    return frozenset(code for code, _ in country_choices(DEFAULT_LANGUAGE))


def country_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code the portal knows."""
    return _country_codes()


def is_country_code(code: str) -> bool:
    return code in _country_codes()
