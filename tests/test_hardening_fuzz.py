"""Issue 13: fuzzing. Hypothesis sends every field of every form on the portal, and every search
and API parameter, arbitrary values (whitespace, huge, control characters, other scripts,
numbers and dates out of range); no answer may be a 5xx. The number of examples is bounded so CI
stays fast. It found the ``ip_status=%20`` / ``funding=%20`` crash of the listing form."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.users.models import Role
from portal.database import utcnow
from portal.listings.models import ListingKind, ListingStatus
from portal.partnerships.models import Project, ProjectPartner, ProjectStatus, ProjectTranslation
from tests.support.factories import PASSWORD

EXAMPLES = 12
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                    suppress_health_check=list(HealthCheck))

# Text a person, a browser or an attacker might send in a field.
values = st.one_of(
    st.sampled_from(["", " ", "  ", "\t", "0", "-1", "1e309", "99999999999999999999", "2025-02-30",
                     "9999-12-31", "y", "on", "None", "null", "' OR 1=1 --", "<script>", "%20", "ru", "KZ"]),
    st.text(max_size=30),
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), min_size=200, max_size=6000),
    st.integers(min_value=-2**70, max_value=2**70).map(str),
)
SEARCH_PARAMS = ("q", "center", "kind", "direction", "country", "topic", "language", "subject", "trl_min",
                 "trl_max", "sort", "page", "per_page", "lang", "version", "stage", "pair")
# Forms whose sending ends the session the walk runs in.
NOT_FUZZED = ("/account/logout", "/account/sessions/end-all")


class _Forms(HTMLParser):
    """The POST forms of a page: action and field names."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, set[str]]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "form" and (attributes.get("method") or "").lower() == "post":
            self.forms.append((attributes.get("action") or "", set()))
        elif tag in ("input", "select", "textarea", "button") and self.forms and attributes.get("name"):
            self.forms[-1][1].add(attributes["name"])


def _forms_on(client, path: str) -> list[tuple[str, list[str]]]:  # noqa: ANN001
    parser = _Forms()
    parser.feed(client.get(path).get_data(as_text=True))
    return [(action or path, sorted(fields - {"csrf_token"})) for action, fields in parser.forms]


def _token(client, path: str) -> str:  # noqa: ANN001
    from tests.support.web import csrf_token

    return csrf_token(client.get(path).get_data(as_text=True))


def test_search_and_api_parameters_never_cause_a_5xx(client, db_session, make):
    make.listing()

    @SETTINGS
    @given(st.dictionaries(st.sampled_from(SEARCH_PARAMS), st.lists(values, min_size=1, max_size=3), max_size=6),
           st.sampled_from(["/en/listings/", "/api/v1/listings", "/ru/centers/desertification-control",
                            "/api/v1/taxonomy", "/zh/feeds/listings.atom", "/kk/projects/",
                            "/api/v1/projects", "/ru/projects/projects.csv"]))
    def search(params: dict, path: str) -> None:
        response = client.get(path, query_string=[(k, v) for k, vs in params.items() for v in vs])
        assert response.status_code < 500, (path, params)

    search()


def test_every_form_field_never_causes_a_5xx(app, browser, db_session, make):
    center = make.center()
    make.topic("fuzz-topic", center)
    institution = make.institution("Fuzz Institute")
    make.user("fuzz-admin@example.org", role=Role.ADMIN, institution=institution, institution_admin=True)
    own = make.listing(center=center, institution=institution, status=ListingStatus.DRAFT)
    other = make.listing(center=center, title="Someone else's offer")
    submitted = make.listing(center=center, status=ListingStatus.SUBMITTED)
    partner = make.institution("Fuzz Partner", country="CN")
    projects = {status: Project(
        center=center, kind=ListingKind.JOINT_RESEARCH, status=status, original_language="en",
        starts_on=date(2025, 1, 1), published_at=utcnow() if status == ProjectStatus.PUBLISHED else None,
        partners=[ProjectPartner(institution_id=institution.id), ProjectPartner(institution_id=partner.id)],
        translations=[ProjectTranslation(language="en", title="Fuzz project", description="Both.")])
        for status in (ProjectStatus.AWAITING_PARTNERS, ProjectStatus.PUBLISHED)}
    db_session.add_all(projects.values())
    db_session.commit()
    waiting, published = (projects[status].id for status in (ProjectStatus.AWAITING_PARTNERS,
                                                             ProjectStatus.PUBLISHED))

    anonymous_pages = ["/en/account/register", "/en/account/login", "/en/account/forgot"]
    member_pages = ["/en/account/settings", "/en/account/settings/password", "/en/account/settings/email",
                    "/en/listings/new", f"/en/listings/{own.id}/edit", f"/en/listings/{own.id}/translations/ru",
                    f"/en/listings/{other.id}", f"/en/moderation/listings/{submitted.id}", "/en/moderation/",
                    "/en/moderation/moderators", "/en/notifications/settings", "/en/saved-searches/new?q=x",
                    f"/en/institutions/{institution.id}/edit", "/en/institutions/new",
                    "/en/projects/new", f"/en/projects/{waiting}/edit", f"/en/projects/{waiting}/translations/uz",
                    f"/en/projects/{published}"]
    walked = []
    for signed_in, pages in ((False, anonymous_pages), (True, member_pages)):
        if signed_in:
            browser.sign_in("fuzz-admin@example.org", PASSWORD)
        for page in pages:
            for action, fields in _forms_on(browser.client, page):
                if not fields or any(action.endswith(path) for path in NOT_FUZZED):
                    continue
                walked.append(action)
                _fuzz_form(browser.client, page, action, fields)
    assert any("/listings/new" in action or action.endswith("/edit") for action in walked)
    assert len(walked) >= 12


def _fuzz_form(client, page: str, action: str, fields: list[str]) -> None:  # noqa: ANN001
    @SETTINGS
    @given(st.fixed_dictionaries({}, optional={name: values for name in fields}))
    def send(data: dict) -> None:
        response = client.post(action, data={"csrf_token": _token(client, page), **data})
        assert response.status_code < 500, (action, data)

    send()


def test_a_whitespace_choice_on_the_listing_form_is_a_message_not_a_500(browser, db_session, make):
    center = make.center()
    institution = make.institution()
    make.user("spaces@example.org", institution=institution)
    db_session.commit()
    browser.sign_in("spaces@example.org", PASSWORD)
    for field in ("ip_status", "funding"):
        response = browser.submit("/en/listings/new", {
            "center": str(center.id), "kind": "technology_transfer", "direction": "offer", "language": "en",
            "title": "Solar pumps", "summary": "Pumps", "description": "Pumps for wells", "expires_on": "2099-01-01",
            field: " ", "save_draft": "y"})
        assert response.status_code == 200, field
        assert "Not a valid choice" in response.get_data(as_text=True)
