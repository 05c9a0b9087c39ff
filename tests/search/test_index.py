"""Search against the real index: FTS5 on SQLite, GIN tsvectors on PostgreSQL (set
TEST_DATABASE_URL). Every expectation here must hold on both, order of results included."""

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from portal.database import utcnow
from portal.search.finder import find_listings
from portal.listings.models import ListingStatus, ListingTranslation
from portal.search.search_params import SearchParams
from portal.search.index import (
    document_tokens,
    index_listing,
    rebuild_index,
    reindex_listing,
    reindex_taxonomy,
    remove_listing,
)
from portal.search.models import SearchDocument

EIGHT_LANGUAGES_DRIP = dict(
    en="Drip irrigation", zh="滴灌", ru="Капельное орошение", kk="Тамшылатып суару",
    ky="Тамчылатып сугаруу", tg="Обёрии қатрагӣ", tk="Damjalap suwaryş", uz="Tomchilatib sugʻorish")


@pytest.fixture()
def listing(make, db_session):
    """Makes a listing (neutral filler text unless given) and indexes it."""
    def build(title, *, summary="-", description="-", **options):
        made = make.listing(title=title, summary=summary, description=description, **options)
        index_listing(db_session, made)
        return made
    return build


@pytest.fixture()
def found(db_session):
    """Ids found for a query, best first."""
    def search(query):
        return [listing.id for listing in find_listings(db_session, SearchParams(q=query, per_page=100)).listings]
    return search


@pytest.fixture(autouse=True)
def index_stays_consistent(db_session):
    yield
    if db_session.get_bind().dialect.name == "sqlite":
        # FTS5 compares its index with search_documents: the triggers kept them in step.
        db_session.execute(text("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')"))


def test_chinese_two_character_words_found_inside_longer_text(listing, found):
    solar = listing("新疆光伏治沙示范项目", summary="利用光伏板固沙", language="zh")
    listing("草原畜牧业合作", language="zh")
    assert found("光伏") == [solar.id]
    assert found("治沙") == [solar.id]
    assert found("光伏治沙") == [solar.id]
    assert found("沙") == [solar.id]
    assert found("光沙") == []  # the characters, but never side by side


def test_russian_inflections_match(listing, found):
    desert = listing("Борьба с опустыниванием", description="Опустынивание угрожает пастбищам",
                     language="ru")
    assert found("опустынивания") == [desert.id]
    assert found("пастбище") == [desert.id]


@pytest.mark.parametrize("query", ["panels", "panel", "irrigation", "irrigating", "cleaned",
                                   "studies"])
def test_english_plurals_and_verb_forms_match(listing, found, query):
    solar = listing("Cleaning solar panels", summary="Irrigated field study")
    assert found(query) == [solar.id]


@pytest.mark.parametrize("language, title, query", [
    ("kk", "Суармалы жерлерді басқару", "суармал"),
    ("ky", "Сугаруу системасы", "сугар"),
    ("uz", "Tomchilatib sugʻorish", "tomchilat"),
    ("tk", "Damjalap suwaryş ulgamy", "suwar"),
    ("tg", "Обёрии қатрагӣ", "обер"),  # ё folded to е on both sides
])
def test_languages_without_stemmer_match_by_prefix(listing, found, language, title, query):
    made = listing(title, language=language)
    assert found(query) == [made.id]


def test_short_query_words_match_whole_words_only(listing, found):
    made = listing("Суармалы су", language="kk")
    assert found("су") == [made.id]
    assert found("суа") == [made.id]
    listing("Суармалы жер", language="kk")
    assert found("су") == [made.id]  # not every word that starts with су


@pytest.mark.parametrize("query", ["o'zbekiston", "Oʻzbekiston", "o’zbekiston", "O‘ZBEKISTON",
                                   "xo`jaligi", "xoʼjaligi"])
def test_uzbek_apostrophe_variants_are_one(listing, found, query):
    made = listing("O‘zbekiston suv xoʻjaligi", language="uz")
    assert found(query) == [made.id]


@pytest.mark.parametrize("query", ["iklim", "IKLIM", "ıklım", "İKLİM"])
def test_dotted_and_dotless_i_fold_together(listing, found, query):
    made = listing("İklim üýtgemesi", language="tk")
    assert found(query) == [made.id]


@pytest.mark.parametrize("query", ["drip irrigation", "капельное орошение", "滴灌", "tomchilatib"])
def test_listing_found_by_topic_label_in_any_language(make, listing, found, query):
    drip = make.topic("drip-irrigation", make.center(), **EIGHT_LANGUAGES_DRIP)
    made = listing("Экономия воды на хлопковых полях", language="ru", topics=[drip])
    listing("Экономия воды в теплицах", language="ru")
    assert found(query) == [made.id]


def test_listing_found_by_its_center_label(make, listing, found):
    desert = listing("荒漠化防治技术", language="zh", center=make.center("desertification-control"))
    listing("扶贫合作", language="zh", center=make.center("poverty-reduction"))
    assert found("desertification") == [desert.id]


def test_keywords_are_indexed(make, db_session, found):
    made = make.listing(title="Water")
    made.keywords = ["hydroponics", "ГИДРОПОНИКА"]
    index_listing(db_session, made)
    assert found("hydroponic") == found("гидропоника") == [made.id]


def test_translation_words_find_the_listing_after_reindexing(listing, db_session, found):
    made = listing("Greenhouse technology")
    made.translations.append(ListingTranslation(language="ru", title="Технология теплиц",
                                                summary="-", description="-"))
    assert found("теплицы") == []  # not until the service reindexes
    index_listing(db_session, made)
    assert found("теплицы") == [made.id]
    assert found("greenhouse") == [made.id]


def test_edited_listing_is_found_by_its_new_words_only(listing, db_session, found):
    made = listing("Greenhouse technology")
    made.translations[0].title = "Wind turbines"
    index_listing(db_session, made)
    assert found("greenhouse") == []
    assert found("turbine") == [made.id]


def test_unchanged_listing_is_not_rewritten(listing, db_session):
    made = listing("Greenhouse technology")
    stamp = db_session.scalar(select(SearchDocument.updated_at)
                              .where(SearchDocument.listing_id == made.id))
    index_listing(db_session, made)
    assert db_session.scalar(select(SearchDocument.updated_at)
                             .where(SearchDocument.listing_id == made.id)) == stamp


def test_only_public_listings_are_found(listing, db_session, found):
    public = listing("Camel milk processing")
    listing("Camel milk drafts", status=ListingStatus.DRAFT)
    listing("Camel milk withdrawn", status=ListingStatus.WITHDRAWN)
    listing("Camel milk expired", expires_in_days=-1)
    withdrawn_later = listing("Camel milk cheese")
    withdrawn_later.status = ListingStatus.WITHDRAWN  # no reindex needed for visibility
    db_session.flush()
    assert found("camel") == [public.id]


def test_removed_and_deleted_listings_leave_the_index(listing, db_session, found):
    removed, deleted, kept = (listing("Sheep wool") for _ in range(3))
    remove_listing(db_session, removed.id)
    db_session.delete(deleted)
    db_session.flush()  # the database cascades to search_documents (and FTS5's trigger)
    assert found("wool") == [kept.id]
    reindex_listing(db_session, deleted.id)  # gone: nothing to index, nothing raised
    reindex_listing(db_session, removed.id)
    assert sorted(found("wool")) == sorted([removed.id, kept.id])


def test_topic_renamed_then_reindexed(make, listing, db_session, found):
    topic = make.topic("water", make.center(), en="Water saving")
    made = listing("Хлопок", language="ru", topics=[topic])
    topic.names = {**topic.names, "en": "Water conservation"}
    db_session.flush()
    assert reindex_taxonomy(db_session, topic_id=topic.id) == 1
    assert found("conservation") == [made.id]
    assert found("saving") == []


def test_rebuild_indexes_every_listing(make, db_session, found):
    made = [make.listing(title=f"Apricot drying {n}") for n in range(3)]
    assert found("apricot") == []
    assert rebuild_index(db_session, batch_size=2) == len(made)
    assert sorted(found("apricot")) == sorted(listing.id for listing in made)


def test_all_words_must_match_without_falling_back_to_any(listing, db_session, found):
    listing("Solar dryer")
    listing("Wind pump")
    result = find_listings(db_session, SearchParams(q="solar pump"))
    assert result.terms == ["solar", "pump"] and result.total == 0 and result.listings == []


def test_title_match_ranks_above_body_match(listing, found):
    in_body = listing("Fruit processing", summary="Solar dryers for apricots")
    in_title = listing("Solar fruit dryer")
    assert found("solar") == [in_title.id, in_body.id]


def test_rarer_term_weighs_more(listing, found):
    water_title = listing("Water saving", summary="Pump")
    pump_title = listing("Pump station", summary="Water")
    for n in range(3):
        listing(f"Water well {n}")
    assert found("water pump") == [pump_title.id, water_title.id]


def test_order_is_fixed_by_score_then_publication_then_id(listing, db_session, found):
    now = utcnow()
    older = listing("Goat cheese")
    newer = listing("Goat cheese")
    body = listing("Dairy", summary="Goat cheese")
    same_time = listing("Goat cheese")
    older.published_at = now - timedelta(days=30)
    newer.published_at = same_time.published_at = now - timedelta(days=1)
    db_session.flush()
    assert found("goat cheese") == [same_time.id, newer.id, older.id, body.id]


@pytest.mark.parametrize("query", [
    '"', '""', "'", "*", "-", "^", "a\"b", "NEAR(", "NEAR(a b)", "title_tokens: x",
    "{title_tokens body_tokens}: x", "x OR", "AND", "a & b | !c <-> d", "x:*", ":*", "\\",
    "\x00\x01", "光", "🌵 cactus", "'; DROP TABLE listings; --", "x" * 10_000,
    "опустынивание " * 800, " ".join(["(a OR b)"] * 500),
])
def test_malformed_queries_never_raise(listing, db_session, query):
    listing("Cactus farming")
    result = find_listings(db_session, SearchParams(q=query))
    assert len(result.terms) <= 12


def test_empty_query_asks_for_a_word(db_session):
    result = find_listings(db_session, SearchParams(q="  ?! "))
    assert result.terms == [] and result.ignored_query


def test_backend_index_keeps_every_token_whole(make, db_session):
    made = make.listing(title="Oʻzbekiston: 光伏 опустынивание İklim 5G", language="uz",
                        translations={"ru": ("Опустынивание", "-", "-"),
                                      "zh": ("荒漠化", "-", "-")})
    index_listing(db_session, made)
    expected = set(document_tokens(made)["title_tokens"].split())
    assert {"~опустыниван", "oʻzbekiston", "光伏", "5g"} <= expected
    assert _indexed_title_tokens(db_session, made.id) == expected


def _indexed_title_tokens(db_session, listing_id):
    if db_session.get_bind().dialect.name == "sqlite":
        db_session.execute(text("CREATE VIRTUAL TABLE temp.search_vocab "
                                "USING fts5vocab(main, search_fts, instance)"))
        rows = db_session.execute(text("SELECT term FROM temp.search_vocab WHERE doc = :id "
                                       "AND col = 'title_tokens'"), {"id": listing_id})
        tokens = {row.term for row in rows}
        db_session.execute(text("DROP TABLE temp.search_vocab"))
        return tokens
    return set(db_session.scalar(text("SELECT tsvector_to_array(title_tsv) FROM search_documents "
                                      "WHERE listing_id = :id"), {"id": listing_id}))


def test_search_leaves_the_planner_settings_as_they_were(listing, db_session, found):
    listing("Cactus farming")
    assert found("cactus")
    if db_session.get_bind().dialect.name == "postgresql":
        # The candidate lookups turn sequential scans off for themselves only.
        assert db_session.scalar(text("SELECT current_setting('enable_seqscan')")) == "on"


def test_a_rebuild_finds_every_listing_and_leaves_the_indexes_as_the_migrations_made_them(
        listing, db_session, found):
    listing("Cactus farming in the Karakum")
    listing("Camel milk cooperatives")
    assert rebuild_index(db_session) >= 2
    assert found("cactus") and found("camel")
    if db_session.get_bind().dialect.name == "postgresql":
        # The rebuild wrote through GIN's pending lists: they are merged and switched off again.
        options = dict(db_session.execute(text(
            "SELECT relname, array_to_string(reloptions, ',') FROM pg_class "
            "WHERE relname LIKE 'ix_search_documents_%_tsv'")).all())
        assert len(options) == 4 and set(options.values()) == {"fastupdate=off"}
