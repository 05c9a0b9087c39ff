"""Text analysis at the bottom of the house: folding, scripts, stemming, CJK segmentation.

Pure Python (no Flask, no ORM). Search (``portal.search``), matching (``portal.matching``) and
the thesaurus annotator (``portal.thesaurus``) all read text through this package, so a word
is cut and folded the same way wherever it is compared:

* ``analyzer`` – text to index tokens: folded words, Snowball stems, CJK bigrams, Latin
  skeletons and Turkic stems, for documents and queries alike;
* ``scripts`` – Cyrillic/Latin transliteration to one plain Latin skeleton;
* ``turkic`` – a light stemmer for Kazakh, Kyrgyz, Tajik, Turkmen and Uzbek word endings.
"""
