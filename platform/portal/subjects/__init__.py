"""Subjects: the thesaurus in the database, and what each listing is about.

``models``: the loaded concepts (``concepts``) and each listing's annotations
(``listing_concepts``, automatic or chosen by the author); ``services``: loading a SKOS file,
annotating listings when their text changes, the author's corrections, and the process's
thesaurus and annotator (rebuilt when a load changes the thesaurus); ``views``: the chips on a
listing's edit page and autocomplete; ``cli``: ``flask thesaurus load|annotate|stats``.
"""
