"""Each app process's facet index follows the database: changes recorded by any process are
caught up from the change rows, and an index whose place in the history is gone is rebuilt."""

from __future__ import annotations

from portal.search.facet_cache import current_index
from portal.search.finder import find_listings
from portal.listings.models import ListingStatus
from portal.search.search_params import SearchParams
from portal.search.index import index_listing
from portal.changes.log import note_changes


def _ids(db_session, **params):
    return [listing.id for listing in find_listings(db_session, SearchParams(per_page=100, **params)).listings]


def test_changes_are_caught_up_without_a_rebuild(db_session, make):
    kept = make.listing(title="Apricot drying")
    leaving = make.listing(title="Apricot storage")
    for listing in (kept, leaving):
        index_listing(db_session, listing)
    assert sorted(_ids(db_session, q="apricot")) == sorted([kept.id, leaving.id])
    index = current_index(db_session)

    leaving.status = ListingStatus.WITHDRAWN
    note_changes(db_session, [leaving.id])  # what listing_changed does, in whichever process
    arriving = make.listing(title="Apricot kernels oil")
    index_listing(db_session, arriving)

    assert sorted(_ids(db_session, q="apricot")) == sorted([kept.id, arriving.id])
    assert current_index(db_session) is index  # caught up in place
    assert index.appended == 1


def test_an_index_from_an_unknown_state_is_rebuilt(db_session, make):
    from portal.search import facet_cache
    from portal.changes.log import Followed, database_key

    listing = make.listing(title="Camel wool")
    index_listing(db_session, listing)
    index = current_index(db_session)
    facet_cache._indexes._indexes[database_key(db_session)] = (index, Followed("from-a-history-long-gone"))
    rebuilt = current_index(db_session)
    assert rebuilt is not index and _ids(db_session, q="camel") == [listing.id]


def test_a_rolled_back_change_is_undone_without_a_rebuild(db_session, make):
    kept = make.listing(title="Yak wool")
    index_listing(db_session, kept)
    index = current_index(db_session)
    with db_session.begin_nested() as attempt:  # a request that publishes, then fails
        doomed = make.listing(title="Yak wool blankets")
        index_listing(db_session, doomed)
        assert sorted(_ids(db_session, q="yak")) == sorted([kept.id, doomed.id])
        attempt.rollback()
    assert _ids(db_session, q="yak") == [kept.id]
    assert current_index(db_session) is index


def test_an_institution_moving_country_moves_its_listings_facet(db_session, make):
    from portal.institutions.services import InstitutionDetails, InstitutionService

    institution = make.institution("Steppe Lab", country="KZ")
    admin = make.user("admin@steppe.kz", institution=institution, institution_admin=True)
    listing = make.listing(institution=institution)
    index_listing(db_session, listing)
    assert _ids(db_session, countries=("KZ",)) == [listing.id]
    details = InstitutionDetails(**{**{key: getattr(institution, key) for key in InstitutionDetails.__annotations__},
                                    "country": "KG"})
    InstitutionService(db_session).update(admin, institution, details)
    db_session.commit()  # its listings are announced as changed once the change is committed
    assert _ids(db_session, countries=("KZ",)) == []
    assert _ids(db_session, countries=("KG",)) == [listing.id]


def test_a_renamed_topic_is_found_by_its_new_name(db_session, make):
    from portal.search.index import reindex_taxonomy

    topic = make.topic("water", make.center(), en="Water saving")
    listing = make.listing(title="Хлопок", language="ru", topics=[topic])
    index_listing(db_session, listing)
    assert _ids(db_session, q="saving") == [listing.id]
    topic.names = {**topic.names, "en": "Water conservation"}
    db_session.flush()
    reindex_taxonomy(db_session, topic_id=topic.id)
    assert _ids(db_session, q="conservation") == [listing.id]
    assert _ids(db_session, q="saving") == []
