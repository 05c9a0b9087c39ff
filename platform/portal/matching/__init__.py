"""Partner matching: for a published listing, the complementary published listings, with reasons.

Pure (no Flask, no SQLAlchemy): the caller turns listings into plain ``ListingProfile`` values,
keeps a ``MatchIndex`` of the published ones, and stores what ``suggest``/``on_publish`` return.

* ``text`` – text to matching tokens, with the search analyzer (CJK bigrams, stems, prefixes);
* ``concepts`` – ``TopicLexicon``: the taxonomy's names in every language, to find the topics a
  text mentions;
* ``profile`` – ``ListingProfile`` and ``build_profile``;
* ``index`` – ``MatchIndex``: inverted indexes over concepts and salient tokens, per listing;
* ``rules`` – who may match whom, and the signals beyond content (country, TRL, language, dates);
* ``engine`` – ``suggest``, ``on_publish``, ``score_pair``: ``Suggestion`` values with ``Reason``
  codes.
"""
