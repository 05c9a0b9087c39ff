"""Partner matching: for a published listing, the complementary published listings, with reasons.

The engine is pure (no Flask, no SQLAlchemy): the caller turns listings into plain
``ListingProfile`` values, keeps a ``MatchIndex`` of the published ones, and stores what
``suggest``/``on_publish`` return.

* ``text`` – text to matching tokens, with ``portal.language`` (CJK bigrams, stems, prefixes);
* ``concepts`` – ``TopicLexicon``: the taxonomy's names in every language, to find the topics a
  text mentions;
* ``profile`` – ``ListingProfile`` and ``build_profile``;
* ``index`` – ``MatchIndex``: inverted indexes over concepts and salient tokens, per listing;
* ``rules`` – who may match whom, and the signals beyond content (country, TRL, language, dates);
* ``engine`` – ``suggest``, ``on_publish``, ``score_pair``: ``Suggestion`` values with ``Reason``
  codes.

Around the engine, with the database (these use the ORM):

* ``models`` – the stored suggestions (``listing_matches``);
* ``store`` – the process's index, kept current through the change log, and storing suggestions;
* ``follow`` – suggestions for changed listings: the worker's step (web requests never compute
  suggestions, see ``portal.changes``);
* ``labels`` – the reasons in the reader's language; ``views`` – the listing page's section;
  ``cli`` – ``flask listings match``.
"""
