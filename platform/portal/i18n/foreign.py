"""Text in another language inside a translated sentence, marked so that screen readers and
browsers know its language (WCAG 3.1.2): a Kazakh listing's title in a Chinese notification is
read in Kazakh, the sentence around it in Chinese.

Translate the sentence with ``SLOT`` standing for the foreign text, then ``with_text`` puts the
text in its place: everything is escaped, and the text is wrapped in ``<span lang="…">`` when its
language is not the page's.
"""

from __future__ import annotations

from flask_babel import get_locale
from markupsafe import Markup, escape

SLOT = "\ue000"  # a private-use character: never in a catalog, a title or a name


def with_text(sentence: str, text: str, language: str) -> Markup:
    """``sentence`` (already translated, ``SLOT`` where ``text`` goes) as safe HTML."""
    if language == str(get_locale() or ""):
        piece = escape(text)
    else:
        piece = Markup('<span lang="{}">{}</span>').format(language, text)
    return piece.join(escape(part) for part in sentence.split(SLOT))
