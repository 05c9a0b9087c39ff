"""Partnership projects (issue 14): proposing from an accepted interest or without one, every
partner confirming, the moderators' review, stage history — and that nothing unconfirmed or
unapproved is ever public (list, page, institution profile, feed, API, downloads)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.database import utcnow
from portal.interests.models import Interest, InterestStatus
from portal.partnerships.models import Origin, Project, ProjectAction, ProjectEvent, ProjectStatus, Stage
from portal.users.models import User
from tests.support.factories import PASSWORD
from tests.support.web import last_email

TITLE = "Drip irrigation pilot on 50 ha of cotton"


@pytest.fixture()
def parties(db_session, make):
    center = make.center("desertification-control")
    topic = make.topic("drip-irrigation", center)
    drip = make.institution("Tianshan Drip Co", country="CN")
    farm = make.institution("Turkistan Irrigation Institute", country="KZ")
    make.user("chen@drip.cn", institution=drip, institution_admin=True, language="zh", name="Chen Hao")
    make.user("aigerim@water.kz", institution=farm, institution_admin=True, language="kk", name="Aigerim")
    make.user("stranger@else.org", institution=make.institution("Elsewhere University", country="UZ"),
              name="Stranger")
    moderator = make.moderator(center, email="mod@portal.org")
    listing = make.listing(institution=drip, center=center, title="Drip irrigation kits", topics=[topic])
    interest = Interest(listing_id=listing.id, institution_id=farm.id, message="We want to pilot your kits.",
                        status=InterestStatus.ACCEPTED, decided_at=utcnow())
    db_session.add(interest)
    db_session.commit()
    return {"center": center, "topic": topic, "drip": drip, "farm": farm, "listing": listing,
            "interest": interest, "moderator": moderator}


def _form(parties, **changes) -> dict:
    data = {"center": str(parties["center"].id), "kind": "technology_transfer", "stage": "agreement_signed",
            "language": "en", "title": TITLE, "description": "Kazakh and Chinese partners test drip kits together.",
            "topics": [str(parties["topic"].id)], "starts_on": "2025-04-01", "ends_on": "",
            "show_origin": "y", "hectares_restored": "50", "people_trained": "120"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _propose(browser, parties, **changes):
    url = f"/en/projects/new?interest={parties['interest'].id}"
    return browser.submit(url, _form(parties, **changes))


def _project(db_session) -> Project:
    project = db_session.scalar(select(Project).order_by(Project.id.desc()))
    db_session.refresh(project)
    return project


def _approve(browser, db_session, project):
    browser.sign_in("mod@portal.org", PASSWORD)
    response = browser.submit(f"/en/moderation/projects/{project.id}/decide", {"approve": "Approve", "message": ""},
                              page=f"/en/moderation/projects/{project.id}")
    browser.sign_out()
    return response


def _public_everywhere(client, parties, project_id: int) -> dict[str, bool]:
    """Where the project's title shows for a visitor who is not signed in."""
    center = parties["center"].slug
    pages = {
        "list": client.get("/en/projects/").get_data(as_text=True),
        "profile": client.get(f"/en/institutions/{parties['farm'].id}").get_data(as_text=True),
        "other profile": client.get(f"/en/institutions/{parties['drip'].id}").get_data(as_text=True),
        "feed": client.get("/en/feeds/projects.atom").get_data(as_text=True),
        "center feed": client.get(f"/en/feeds/centers/{center}/projects.atom").get_data(as_text=True),
        "api": client.get("/api/v1/projects").get_data(as_text=True),
        "csv": client.get("/en/projects/projects.csv").get_data(as_text=True),
        "json": client.get("/en/projects/projects.json").get_data(as_text=True),
    }
    shown = {name: TITLE in body for name, body in pages.items()}
    shown["page"] = client.get(f"/en/projects/{project_id}").status_code == 200
    shown["api item"] = client.get(f"/api/v1/projects/{project_id}").status_code == 200
    return shown


def test_the_whole_cycle_and_nothing_is_public_before_its_end(browser, client, db_session, parties):
    browser.sign_in("aigerim@water.kz", PASSWORD)
    thread = browser.get(f"/en/interests/{parties['interest'].id}").get_data(as_text=True)
    assert "Record a partnership" in thread
    response = _propose(browser, parties)
    assert response.status_code == 302, response.get_data(as_text=True)
    project = _project(db_session)
    assert project.status == ProjectStatus.AWAITING_PARTNERS and project.origin == Origin.PORTAL
    assert {p.institution_id for p in project.partners} == {parties["drip"].id, parties["farm"].id}
    assert [p.confirmed for p in project.partners if p.institution_id == parties["farm"].id] == [True]
    # The other partner is told, in its language.
    notice = last_email(db_session, "chen@drip.cn")
    assert notice.language == "zh" and f"/zh/projects/{project.id}" in notice.body
    browser.sign_out()
    assert not any(_public_everywhere(client, parties, project.id).values())

    browser.sign_in("chen@drip.cn", PASSWORD)
    page = browser.get(f"/en/projects/{project.id}").get_data(as_text=True)
    assert "Confirm for my institution" in page and "Not confirmed yet" in page
    browser.submit(f"/en/projects/{project.id}/confirm", {}, page=f"/en/projects/{project.id}")
    browser.sign_out()
    project = _project(db_session)
    assert project.status == ProjectStatus.SUBMITTED
    assert not any(_public_everywhere(client, parties, project.id).values())

    browser.sign_in("mod@portal.org", PASSWORD)
    queue = browser.get("/en/moderation/").get_data(as_text=True)
    assert TITLE in queue and "Moderation (1)" in queue
    browser.sign_out()
    assert _approve(browser, db_session, project).status_code == 302
    project = _project(db_session)
    assert project.status == ProjectStatus.PUBLISHED and project.published_at is not None
    shown = _public_everywhere(client, parties, project.id)
    assert all(shown.values()), shown
    public_page = client.get(f"/en/projects/{project.id}").get_data(as_text=True)
    assert "Drip irrigation kits" in public_page  # the listing it grew from, as the partners agreed
    assert "China – Kazakhstan" in public_page and "Agreement signed" in public_page
    assert "Confirm for my institution" not in public_page and "History" not in public_page
    approved = last_email(db_session, "aigerim@water.kz")  # each partner hears of the decision
    assert approved.language == "kk" and f"/kk/projects/{project.id}" in approved.body
    assert approved.subject == "Серіктестік жобаңыз жарияланды"


def test_requested_changes_and_rejections_stay_private(browser, client, db_session, parties):
    browser.sign_in("aigerim@water.kz", PASSWORD)
    _propose(browser, parties)
    browser.sign_out()
    project = _project(db_session)
    browser.sign_in("chen@drip.cn", PASSWORD)
    browser.submit(f"/en/projects/{project.id}/confirm", {}, page=f"/en/projects/{project.id}")
    browser.sign_out()
    browser.sign_in("mod@portal.org", PASSWORD)
    review = f"/en/moderation/projects/{project.id}"
    missing = browser.submit(f"{review}/decide", {"request_changes": "Request changes", "message": ""}, page=review)
    assert missing.status_code == 302 and _project(db_session).status == ProjectStatus.SUBMITTED
    browser.submit(f"{review}/decide", {"request_changes": "Request changes", "message": "Add the dates."},
                   page=review)
    browser.sign_out()
    assert _project(db_session).status == ProjectStatus.CHANGES_REQUESTED
    assert not any(_public_everywhere(client, parties, project.id).values())
    # The partners see the message on the project's page and can change it; the other partner
    # then confirms again before it returns to the moderators.
    browser.sign_in("aigerim@water.kz", PASSWORD)
    assert "Add the dates." in browser.get(f"/en/projects/{project.id}").get_data(as_text=True)
    edited = browser.submit(f"/en/projects/{project.id}/edit", _form(parties, ends_on="2026-10-31"))
    assert edited.status_code == 302
    browser.sign_out()
    project = _project(db_session)
    assert project.status == ProjectStatus.AWAITING_PARTNERS and project.ends_on == date(2026, 10, 31)
    assert [p.confirmed for p in project.partners if p.institution_id == parties["drip"].id] == [False]


def test_only_members_of_partner_institutions_may_act(browser, client, db_session, parties):
    interest = parties["interest"]
    browser.sign_in("stranger@else.org", PASSWORD)
    assert browser.get(f"/en/projects/new?interest={interest.id}").status_code == 404  # not their conversation
    browser.sign_out()
    browser.sign_in("aigerim@water.kz", PASSWORD)
    _propose(browser, parties)
    browser.sign_out()
    project = _project(db_session)

    browser.sign_in("stranger@else.org", PASSWORD)
    for path in (f"/en/projects/{project.id}", f"/en/projects/{project.id}/edit",
                 f"/en/projects/{project.id}/translations/ru"):
        assert browser.get(path).status_code == 404, path
    token_page = "/en/projects/"
    for path in (f"/en/projects/{project.id}/confirm", f"/en/projects/{project.id}/decline"):
        assert browser.submit(path, {}, page=token_page).status_code == 404, path
    # A moderator of another center does not see it in the queue and may not decide.
    browser.sign_out()
    db_session.refresh(project)
    assert project.status == ProjectStatus.AWAITING_PARTNERS
    assert all(p.confirmed is (p.institution_id == parties["farm"].id) for p in project.partners)


def test_a_pending_interest_is_no_ground_for_a_partnership(browser, db_session, parties):
    interest = parties["interest"]
    interest.status = InterestStatus.PENDING
    db_session.commit()
    browser.sign_in("aigerim@water.kz", PASSWORD)
    assert browser.get(f"/en/projects/new?interest={interest.id}").status_code == 403
    assert _propose(browser, parties).status_code == 403
    assert db_session.scalar(select(Project)) is None


def test_moderators_of_another_center_cannot_decide(browser, db_session, make, parties):
    other = make.moderator(make.center("education-exchange"), email="edu@portal.org")
    assert other
    db_session.commit()
    browser.sign_in("aigerim@water.kz", PASSWORD)
    _propose(browser, parties)
    browser.sign_out()
    project = _project(db_session)
    browser.sign_in("chen@drip.cn", PASSWORD)
    browser.submit(f"/en/projects/{project.id}/confirm", {}, page=f"/en/projects/{project.id}")
    browser.sign_out()
    browser.sign_in("edu@portal.org", PASSWORD)
    assert TITLE not in browser.get("/en/moderation/").get_data(as_text=True)
    assert browser.get(f"/en/moderation/projects/{project.id}").status_code == 403
    browser.sign_out()
    assert _project(db_session).status == ProjectStatus.SUBMITTED


def test_recorded_without_a_listing_and_invited_partners(browser, client, db_session, make, parties):
    third = make.institution("Tashkent Agrarian University", country="UZ")
    make.user("dilshod@agro.uz", institution=third, name="Dilshod")
    db_session.commit()
    browser.sign_in("chen@drip.cn", PASSWORD)
    response = browser.submit("/en/projects/new", _form(
        parties, show_origin=None, partners=[str(parties["farm"].id), str(third.id)], stage="talks"))
    assert response.status_code == 302, response.get_data(as_text=True)
    browser.sign_out()
    project = _project(db_session)
    assert project.origin == Origin.ELSEWHERE and project.interest_id is None and len(project.partners) == 3
    for email in ("aigerim@water.kz", "dilshod@agro.uz"):
        browser.sign_in(email, PASSWORD)
        browser.submit(f"/en/projects/{project.id}/confirm", {}, page=f"/en/projects/{project.id}")
        browser.sign_out()
    assert _project(db_session).status == ProjectStatus.SUBMITTED
    _approve(browser, db_session, project)
    page = client.get(f"/en/projects/{project.id}").get_data(as_text=True)
    assert "Started outside the platform" in page
    listing = client.get("/en/projects/?pair=UZ-CN").get_data(as_text=True)  # either order
    assert TITLE in listing and "China – Uzbekistan" in listing
    assert TITLE not in client.get("/en/projects/?stage=completed").get_data(as_text=True)


def test_stage_changes_are_recorded_and_shown(browser, client, db_session, parties):
    browser.sign_in("aigerim@water.kz", PASSWORD)
    _propose(browser, parties)
    browser.sign_out()
    project = _project(db_session)
    browser.sign_in("chen@drip.cn", PASSWORD)
    browser.submit(f"/en/projects/{project.id}/confirm", {}, page=f"/en/projects/{project.id}")
    browser.sign_out()
    _approve(browser, db_session, project)

    browser.sign_in("chen@drip.cn", PASSWORD)
    progress = {"stage": "running", "ends_on": "", "students_exchanged": "", "hectares_restored": "80",
                "people_trained": "150", "funding_secured": "250000"}
    assert browser.submit(f"/en/projects/{project.id}/progress", progress,
                          page=f"/en/projects/{project.id}").status_code == 302
    browser.sign_out()
    browser.sign_in("stranger@else.org", PASSWORD)
    refused = browser.submit(f"/en/projects/{project.id}/progress", {**progress, "stage": "completed"},
                             page=f"/en/projects/{project.id}")
    assert refused.status_code == 403  # the public page exists, acting on it does not
    browser.sign_out()
    project = _project(db_session)
    assert project.stage == Stage.RUNNING and project.hectares_restored == 80 and project.funding_secured == 250000
    changes = db_session.scalars(select(ProjectEvent).where(
        ProjectEvent.project_id == project.id, ProjectEvent.action == ProjectAction.STAGE_CHANGED)).all()
    assert [(event.from_value, event.to_value) for event in changes] == [("agreement_signed", "running")]
    page = client.get(f"/en/projects/{project.id}").get_data(as_text=True)
    assert "Agreement signed → <strong>Project running</strong>" in page
    assert "250,000" in page and client.get(f"/api/v1/projects/{project.id}").json["stage"]["value"] == "running"


def test_downloads_and_api_carry_no_contact_data(browser, client, db_session, parties):
    browser.sign_in("aigerim@water.kz", PASSWORD)
    _propose(browser, parties)
    browser.sign_out()
    project = _project(db_session)
    browser.sign_in("chen@drip.cn", PASSWORD)
    browser.submit(f"/en/projects/{project.id}/confirm", {}, page=f"/en/projects/{project.id}")
    browser.sign_out()
    _approve(browser, db_session, project)
    emails = [user.email for user in db_session.scalars(select(User))]
    names = ["Chen Hao", "Aigerim"]
    for path in ("/en/projects/projects.csv", "/ru/projects/projects.json", "/api/v1/projects",
                 f"/api/v1/projects/{project.id}", f"/en/projects/{project.id}"):
        body = client.get(path).get_data(as_text=True)
        assert TITLE in body, path
        assert not any(email in body for email in emails), path
        assert not any(name in body for name in names), path
    rows = client.get("/en/projects/projects.csv").get_data(as_text=True).splitlines()
    assert rows[0].lstrip("\ufeff").startswith("id,url,language,title")
    russian = client.get("/ru/projects/projects.json").json["items"][0]
    assert russian["country_pairs"] == [{"value": "CN-KZ", "label": "Китай – Казахстан"}]


def test_seeded_partnerships_cover_every_stage_and_render_in_every_language(app, client, db_session):
    from portal.i18n.languages import LANGUAGES
    from seed.loader import load_seed

    load_seed(db_session, app)
    db_session.commit()
    projects = db_session.scalars(select(Project).where(Project.external_key.startswith("seed:"))).all()
    public = [p for p in projects if p.status == ProjectStatus.PUBLISHED]
    assert {p.stage for p in public} == set(Stage)
    assert {p.origin for p in public} == {Origin.PORTAL, Origin.ELSEWHERE}
    assert {p.status for p in projects} >= {ProjectStatus.AWAITING_PARTNERS, ProjectStatus.SUBMITTED}
    hidden = [p for p in projects if not p.is_public()]
    for language in LANGUAGES:
        page = client.get(f"/{language}/projects/")
        assert page.status_code == 200, language
        body = page.get_data(as_text=True)
        assert all(p.content_for(language).title.replace("'", "&#39;") in body for p in public), language
        assert not any(p.content_for(language).title in body for p in hidden), language
        for project in public:
            assert client.get(f"/{language}/projects/{project.id}").status_code == 200
    alliance = next(p for p in projects if p.external_key == "seed:university-alliance-grid-research")
    profile = client.get(f"/ru/institutions/{alliance.partners[1].institution_id}").get_data(as_text=True)
    assert "Университетский альянс" in profile
    stages = client.get(f"/en/projects/{alliance.id}").get_data(as_text=True)
    assert "Agreement signed → <strong>Project running</strong>" in stages


def _published(db_session, parties, *, stage=Stage.RUNNING, status=ProjectStatus.PUBLISHED) -> Project:
    from portal.partnerships.models import ProjectPartner, ProjectTranslation

    project = Project(center=parties["center"], kind=parties["listing"].kind, stage=stage, status=status,
                      original_language="ru", starts_on=date(2025, 3, 1), interest_id=parties["interest"].id,
                      origin=Origin.PORTAL, topics=[parties["topic"]], hectares_restored=50,
                      published_at=utcnow() if status == ProjectStatus.PUBLISHED else None,
                      partners=[ProjectPartner(institution_id=parties["drip"].id, confirmed_at=utcnow()),
                                ProjectPartner(institution_id=parties["farm"].id, confirmed_at=utcnow())],
                      translations=[ProjectTranslation(language="ru", title="Капельное орошение", description="Пилот."),
                                    ProjectTranslation(language="en", title=TITLE, description="A pilot.")])
    db_session.add(project)
    db_session.commit()
    return project


def test_api_answers_as_its_openapi_document_describes(client, db_session, parties):
    from tests.test_api import _validate

    project = _published(db_session, parties)
    hidden = _published(db_session, parties, status=ProjectStatus.SUBMITTED)
    document = client.get("/api/v1/openapi.json").json
    assert {"/projects", "/projects/{id}"} <= set(document["paths"])
    page = client.get("/api/v1/projects", query_string={"lang": "zh", "pair": "KZ-CN", "stage": "running"})
    assert page.status_code == 200
    _validate(document, page, "ProjectPage")
    assert page.json["total"] == 1 and page.json["items"][0]["id"] == project.id
    assert page.json["items"][0]["language"] == "ru"  # no Chinese version: the original
    assert {"value": "CN-KZ", "label": "中国 – 哈萨克斯坦", "count": 1} in page.json["facets"]["pairs"]
    one = client.get(f"/api/v1/projects/{project.id}?lang=en")
    _validate(document, one, "Project")
    assert one.json["title"] == TITLE and one.json["figures"]["hectares_restored"] == 50
    assert one.json["origin"]["value"] == "portal"
    assert client.get(f"/api/v1/projects/{hidden.id}").status_code == 404
    for too_big in (2**31, 2**63):
        assert client.get(f"/api/v1/projects/{too_big}").status_code == 404
        assert client.get(f"/en/projects/{too_big}").status_code == 404
    for bad in ("stage=soon", "pair=china", "center=nowhere", "page=0", "per_page=1000", "lang=xx"):
        response = client.get(f"/api/v1/projects?{bad}")
        assert response.status_code == 400 and response.json["error"]["status"] == 400, bad


def test_the_projects_page_says_when_a_text_is_not_in_the_readers_language(client, db_session, parties):
    project = _published(db_session, parties)
    from babel import Locale

    russian_in_kazakh = Locale("kk").languages["ru"].lower()
    listing = client.get("/kk/projects/").get_data(as_text=True)
    assert 'lang="ru">Капельное орошение</a>' in listing and russian_in_kazakh in listing.lower()
    page = client.get(f"/kk/projects/{project.id}").get_data(as_text=True)
    assert 'class="language-note"' in page and 'hreflang="en"' in page and russian_in_kazakh in page.lower()
    english = client.get(f"/en/projects/{project.id}").get_data(as_text=True)
    assert TITLE in english and "Translation into English; the original is in Russian." in english


def test_rules_country_pairs_confirmations_and_facets():
    from portal.partnerships import rules

    assert rules.country_pairs(["KZ", "CN", "uz", "CN"]) == ["CN-KZ", "CN-UZ", "KZ-UZ"]
    assert rules.country_pairs(["KZ", "KZ"]) == []
    assert rules.status_after_confirmations([True, False]) == rules.AWAITING_PARTNERS
    assert rules.status_after_confirmations([True, True, True]) == rules.SUBMITTED
    assert rules.status_after_confirmations([True]) == rules.WITHDRAWN  # one partner is no partnership
    assert rules.stage_change("talks", "running") and not rules.stage_change("talks", "talks")
    assert not rules.stage_change("talks", "someday")
    facts = [rules.ProjectFacts(1, "edu", "youth_exchange", "completed", ("CN-UZ",), ("youth-forum",)),
             rules.ProjectFacts(2, "edu", "joint_research", "running", ("CN-KG", "CN-KZ", "KG-KZ")),
             rules.ProjectFacts(3, "land", "technology_transfer", "running", ("CN-KZ",))]
    found = rules.facet(facts, {"stages": ["running"], "pairs": ["CN-KZ"]})
    assert found.ids == [2, 3]
    # A facet's counts ignore its own selection: the other stages stay offered.
    assert dict(found.facets["stages"]) == {"running": 2}
    assert [value for value, _count in rules.facet(facts, {}).facets["stages"]] == ["running", "completed"]
    assert rules.facet(facts, {"pairs": ["CN-KZ"]}, among={3}).ids == [3]


def test_the_home_section_shows_the_newest_published_projects(app, db_session, parties):
    from portal.web.sections import sections

    hidden = _published(db_session, parties, status=ProjectStatus.SUBMITTED)
    project = _published(db_session, parties)
    with app.test_request_context("/en/"):
        home = sections("home", language="en")
        assert [section.template for section in home] == ["partnerships/_home_section.html"]
        from flask import render_template

        html = render_template(home[0].template, section=home[0])
    assert TITLE in html or "Капельное орошение" in html
    assert f"/projects/{project.id}" in html and f"/projects/{hidden.id}" not in html


def test_moderators_decide_projects_in_bulk_beside_listings(browser, client, db_session, make, parties):
    from portal.listings.models import ListingStatus

    first = _published(db_session, parties, status=ProjectStatus.SUBMITTED)
    second = _published(db_session, parties, status=ProjectStatus.SUBMITTED)
    pending = make.listing(center=parties["center"], title="Saxaul seedlings", status=ListingStatus.SUBMITTED)
    db_session.commit()
    browser.sign_in("mod@portal.org", PASSWORD)
    queue = browser.get("/en/moderation/?type=project").get_data(as_text=True)
    assert f'value="p{first.id}"' in queue and f'value="p{second.id}"' in queue
    assert "Saxaul seedlings" not in queue  # the filter shows projects only
    assert "Saxaul seedlings" in browser.get("/en/moderation/").get_data(as_text=True)
    response = browser.submit("/en/moderation/bulk", {"items": [f"p{first.id}", f"l{pending.id}"],
                                                      "approve": "Approve selected", "reason": ""},
                              page="/en/moderation/")
    assert response.status_code == 302
    browser.sign_out()
    db_session.refresh(first)
    db_session.refresh(second)
    db_session.refresh(pending)
    assert first.status == ProjectStatus.PUBLISHED and second.status == ProjectStatus.SUBMITTED
    assert pending.status == ListingStatus.PUBLISHED
    assert client.get(f"/en/projects/{first.id}").status_code == 200
    assert client.get(f"/en/projects/{second.id}").status_code == 404


def test_statistics_count_published_projects_by_stage_and_country_pair(client, db_session, parties):
    """Only published projects count; the portal's own results are told from the others."""
    _published(db_session, parties, stage=Stage.RUNNING)
    _published(db_session, parties, stage=Stage.COMPLETED)
    _published(db_session, parties, stage=Stage.TALKS, status=ProjectStatus.SUBMITTED)  # not public: not counted
    _published(db_session, parties, stage=Stage.TALKS, status=ProjectStatus.AWAITING_PARTNERS)
    payload = client.get("/api/v1/statistics").json
    stages = {(record["status"], record["measure"]): record["value"] for figure in payload["figures"]
              if figure["key"] == "partnerships_by_stage" for record in figure["records"]}
    assert stages[("running", "partnership_projects_portal")] == 1
    assert stages[("completed", "partnership_projects_portal")] == 1
    assert stages[("talks", "partnership_projects_portal")] == 0
    assert sum(stages.values()) == 2
    pairs = {(record["country"], record["partner_country"]): record["value"] for figure in payload["figures"]
             if figure["key"] == "partnerships_by_country_pair" for record in figure["records"]}
    assert pairs == {("CN", "KZ"): 2, ("KZ", "CN"): 2}
    page = client.get("/ru/statistics/").get_data(as_text=True)
    assert "Партнёрские проекты по этапам" in page
    assert "Опубликованных партнёрских проектов: 2, из них найдено через платформу: 2" in page
