"""The multilingual thesaurus of the centers' fields and its annotator. Pure: no Flask, no ORM.

* ``concepts``: ``Concept`` (a stable key, a preferred label per language, alternative labels,
  broader and related links, the portal topics it belongs to) and ``Thesaurus`` (navigation,
  labels in a reader's language, autocomplete);
* ``skos``: reading a W3C SKOS file (the shipped ``seed/thesaurus.ttl``, or AGROVOC / EuroVoc
  extracts an operator adds) and writing one;
* ``annotator``: text in any of the eight languages and either script → the concepts it is
  about, on the search analyzer's normalisation (``portal.language.analyzer``,
  ``portal.language.turkic``), longest phrase first, each keyword tried in every language.

Search, matching and posting all read listings through these concepts; the database side
(stored concepts and annotations, the CLI) is ``portal.subjects``.
"""
