"""The automatic pre-check of a roadmap (issue 6, «Criteria and expertise»), on the real Kargasok
roadmap of seed 002 and the recommendations the region gave in June 2020 (seed 000).
"""

import json
from datetime import date

import pytest
from django.core.management import call_command, execute_from_command_line
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opora.expertise.precheck import lemmas, precheck_roadmap
from opora.recommendations.models import RecommendationStatus
from opora.roadmaps import services
from opora.roadmaps.models import Roadmap, RoadmapEvent, RoadmapSection
from opora.testing import FOREIGN_PK
from opora.testing.expertise import CONTINUITY, MENTORING, PART_TIME, municipal_set, recommend


def _coverage(result, text):
    return next(c for c in result["coverage"] if c["text"] == text)


def test_lemmas_ignore_verbs_stop_words_and_fold_synonyms():
    assert lemmas(MENTORING) == {"наставничество", "посещение", "урок"}
    assert lemmas("курсы повышения квалификации учителей") == {"кпк", "педагог"}
    assert lemmas("КПК для педагогов ШНОР") == {"кпк", "педагог"}
    assert "совместительство" in lemmas("уменьшение коэффициента совмещения")
    assert lemmas("детей с ограниченными возможностями здоровья") == {"овз", "ребенок"}


def test_recommendations_are_matched_to_events_by_meaning(world, kargasok):
    recommend(world.home, CONTINUITY, MENTORING, PART_TIME)

    result = precheck_roadmap(kargasok, municipal_set())

    continuity = _coverage(result, CONTINUITY)
    assert continuity["kind"] == "recommendation" and continuity["covered"]
    # Event 15 speaks of «преемственности начального и основного общего образования».
    assert continuity["events"][0]["number"] == "15"
    mentoring = _coverage(result, MENTORING)
    assert mentoring["covered"]
    # Event 22 is «Школа наставничества»; events 17 and 18 are the lesson visits.
    assert "22" in [e["number"] for e in mentoring["events"]]
    part_time = _coverage(result, PART_TIME)
    assert not part_time["covered"] and part_time["events"] == []
    assert all(0 < e["score"] <= 1 for c in result["coverage"] for e in c["events"])


def test_only_open_recommendations_of_this_municipality_are_checked(world, kargasok):
    recommend(world.home, "провести анализ результатов", status=RecommendationStatus.DONE)
    recommend(world.foreign, "организовать чужую работу по наставничеству")
    recommend(world.home, MENTORING, status=RecommendationStatus.IN_WORK)

    result = precheck_roadmap(kargasok, municipal_set())

    texts = [c["text"] for c in result["coverage"] if c["kind"] == "recommendation"]
    # «Чужая» recommendation of another municipality must never appear here.
    assert texts == [MENTORING]


def test_required_topics_and_sections_of_the_criteria_set(world, kargasok):
    result = precheck_roadmap(kargasok, municipal_set())

    topics = {c["text"]: c for c in result["coverage"] if c["kind"] == "topic"}
    continuity = topics["преемственность начального и основного общего образования"]
    assert continuity["covered"] and continuity["events"][0]["number"] == "15"
    assert topics["наставничество, посещение уроков"]["covered"]
    assert not topics["снижение коэффициента совместительства педагогов, кадровый резерв"][
        "covered"
    ]
    # The set asks for a section on pupils with special needs; the 2020 roadmap has four
    # sections (normative, organisational, methodical, financial) and none of them is that.
    [special] = result["sections"]
    assert special["text"].startswith("работа с детьми с ОВЗ")
    assert special["found"] is False
    assert result["summary"]["sections_missing"] == 1


def test_a_section_that_exists_is_found(world):
    roadmap = Roadmap.objects.create(
        level="municipality",
        municipality=world.home,
        title="Карта",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    RoadmapSection.objects.create(
        roadmap=roadmap, order=1, title="Работа с детьми с ОВЗ и семьями в трудной ситуации"
    )

    result = precheck_roadmap(roadmap, municipal_set())

    assert result["sections"][0]["found"] is True
    assert result["sections"][0]["section"].startswith("Работа с детьми с ОВЗ")


def test_the_form_of_the_roadmap_is_checked(world):
    roadmap = Roadmap.objects.create(
        level="municipality",
        municipality=world.home,
        title="Карта 2026",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        has_indicator_column=True,
        has_evidence_column=True,
    )

    def event(number, **fields):
        defaults = {
            "text": f"Мероприятие {number}",
            "deadline_text": "март 2026",
            "deadline_understood": True,
            "deadline": {"periods": [{"start": "2026-03-01", "end": "2026-03-31"}]},
            "executors_text": "УООиП",
            "indicator_text": "Проведено",
            "evidence_text": "Приказ",
        }
        defaults.update(fields)
        e = RoadmapEvent.objects.create(
            roadmap=roadmap, number=number, order=int(number), **defaults
        )
        if defaults["executors_text"]:
            e.executors.create(written="УООиП", role="municipal_authority", known=True)
        return e

    event("1")
    event("2", deadline_text="по мере необходимости", deadline_understood=False, deadline={})
    event("3", executors_text="")
    unknown = event("4")
    unknown.executors.create(written="ЦКП", known=False, order=1)
    event("5", indicator_text="", evidence_text="")
    event(
        "6",
        deadline_text="май 2027",
        deadline={"periods": [{"start": "2027-05-01", "end": "2027-05-31"}]},
    )
    event("7", is_cancelled=True, deadline_understood=False)

    result = precheck_roadmap(roadmap)

    assert [e["number"] for e in result["deadlines"]] == ["2"]
    assert [(e["number"], e["problem"]) for e in result["executors"]] == [
        ("3", "исполнители не указаны"),
        ("4", "не распознаны: ЦКП"),
    ]
    assert [(e["number"], e["missing"]) for e in result["columns"]] == [
        ("5", ["indicator", "evidence"])
    ]
    assert [(e["number"], e["start"], e["end"]) for e in result["period"]] == [
        ("6", "2027-05-01", "2027-05-31")
    ]
    assert result["criteria_set"] is None and result["coverage"] == []


def test_kargasok_deadlines_beyond_its_period_are_found(world, kargasok):
    result = precheck_roadmap(kargasok, municipal_set())

    # Event 6 «Май-июнь 2021 Май-июнь 2022 Май-июнь 2023» reaches beyond 2020–2021.
    assert "6" in [e["number"] for e in result["period"]]
    # The municipal form of seed 002 has no indicator and evidence columns: nothing to demand.
    assert result["columns"] == []
    assert result["deadlines"] == []


def test_the_precheck_reads_a_fixed_number_of_queries(world, kargasok):
    recommend(world.home, CONTINUITY, MENTORING)
    criteria_set = municipal_set()
    with CaptureQueriesContext(connection) as queries:
        precheck_roadmap(kargasok, criteria_set)
    assert len(queries) <= 6


def test_the_command_prints_json(world, kargasok, capsys):
    recommend(world.home, CONTINUITY, PART_TIME)
    municipal_set()

    call_command("precheck-roadmap", str(kargasok.pk), "--json")
    out = capsys.readouterr().out

    document = json.loads(out)
    assert set(document) >= {
        "deadlines",
        "executors",
        "columns",
        "period",
        "sections",
        "coverage",
    }
    first = document["coverage"][0]
    assert first["kind"] == "recommendation" and first["text"] == CONTINUITY
    assert first["covered"] is True
    assert set(first["events"][0]) >= {"number", "text", "score"}
    assert document["coverage"][1]["covered"] is False
    assert {c["kind"] for c in document["coverage"]} == {"recommendation", "topic"}


def test_the_command_prints_text_without_json(world, kargasok, capsys):
    call_command("precheck-roadmap", str(kargasok.pk))
    out = capsys.readouterr().out
    assert "Срок вне периода карты" in out and "Покрытие:" in out


@pytest.mark.parametrize("value", ["999999", "abc"])
def test_the_command_exits_1_for_an_unknown_roadmap(world, capsys, value):
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["opora", "precheck-roadmap", value, "--json"])
    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    assert f"Дорожная карта № {value} не найдена." in captured.err
    assert captured.out == ""
    assert "Traceback" not in captured.err


def test_the_author_sees_the_precheck_of_its_own_roadmap_only(client, world, kargasok):
    recommend(world.home, CONTINUITY)
    municipal_set()
    client.force_login(world.users.municipal)

    own = client.get(reverse("expertise:precheck", args=[kargasok.pk]))
    foreign = client.get(reverse("expertise:precheck", args=[FOREIGN_PK]))

    assert own.status_code == 200
    page = own.content.decode()
    assert "Предпроверка дорожной карты" in page and CONTINUITY in page
    assert foreign.status_code == 404


@pytest.mark.parametrize("role", ["region", "expert", "curator", "observer"])
def test_readers_of_the_roadmap_see_its_precheck(client, world, kargasok, role):
    client.force_login(world.users[role])
    response = client.get(reverse("expertise:precheck", args=[kargasok.pk]))
    assert response.status_code == 200


def test_a_school_does_not_see_the_municipal_precheck(client, world, kargasok):
    client.force_login(world.users.school)
    response = client.get(reverse("expertise:precheck", args=[kargasok.pk]))
    assert response.status_code == 404


def test_a_covered_recommendation_says_why_and_an_uncovered_one_offers_the_closest(world, kargasok):
    recommend(world.home, CONTINUITY, PART_TIME)
    result = precheck_roadmap(kargasok, municipal_set())
    continuity = _coverage(result, CONTINUITY)
    assert continuity["events"][0]["why"].startswith("общие слова: ")
    assert "преемственность" in continuity["events"][0]["why"]
    assert continuity["closest"] == []
    part_time = _coverage(result, PART_TIME)
    assert not part_time["covered"]
    assert 0 < len(part_time["closest"]) <= 3
    assert all(e["score"] < 0.35 for e in part_time["closest"])


def test_refusals_and_keyword_lists_address_nothing():
    from opora.core.russian.meaning import addresses, is_keyword_list, refuses

    assert refuses("Работа по наставничеству в районе не ведётся")
    assert refuses("Семинар по преемственности начального и основного образования отменён")
    assert refuses("Ликвидация кадрового резерва руководителей")
    assert not refuses("Семинар для педагогов не менее 2 раз в год")
    assert is_keyword_list("Разное: наставничество, методическая служба, молодые педагоги, РМО")
    assert is_keyword_list("преемственность, начальное образование, основное образование, КПК")
    assert not is_keyword_list("Проведение семинаров по наставничеству, преемственности, ОВЗ, КПК")
    assert addresses("Создание сети (пар) школ")


def test_seed_002_event_25_covers_the_network_of_school_pairs(world, kargasok):
    network = "рассмотреть возможность сетевого взаимодействия, пары школ"
    recommend(world.home, network)
    result = precheck_roadmap(kargasok, municipal_set())
    assert "25" in [e["number"] for e in _coverage(result, network)["events"]]


def test_the_roadmap_page_shows_the_precheck_before_approval_only(client, world, kargasok):
    recommend(world.home, CONTINUITY)
    municipal_set()
    services.submit_roadmap(world.users.municipal, kargasok)
    client.force_login(world.users.curator)

    before = client.get(reverse("roadmaps:detail", args=[kargasok.pk])).content.decode()
    assert 'data-testid="roadmap-precheck"' in before and "Перед утверждением" in before
    # The page does not wait for the pre-check: the card is filled by a second request.
    card_url = reverse("expertise:precheck_card", args=[kargasok.pk])
    assert f'hx-get="{card_url}"' in before and CONTINUITY not in before
    card = client.get(card_url).content.decode()
    assert "Перед утверждением" in card and CONTINUITY in card and "hx-get" not in card

    services.approve_roadmap(
        world.users.region, kargasok, kind="приказ", number="1", day=date(2026, 3, 1)
    )
    after = client.get(reverse("roadmaps:detail", args=[kargasok.pk])).content.decode()
    assert 'data-testid="roadmap-precheck"' not in after
    assert client.get(card_url).status_code == 404
