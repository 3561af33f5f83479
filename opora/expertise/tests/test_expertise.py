"""Criteria sets and the expertise of programmes (issue 6, «Criteria and expertise»): the
starting sets, the editor, independent scoring, agreement, closing with recommendations, who
sees what, the protocol and the analytical report in Word.
"""

import io
import time
from datetime import date
from decimal import Decimal

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx.oxml.ns import qn

from opora.accounts.models import Role
from opora.documents import services as document_services
from opora.documents.models import Document
from opora.documents.render import render_draft
from opora.documents.text import NBSP
from opora.expertise import consolidation, documents, selectors
from opora.expertise import services as svc
from opora.expertise.defaults import ensure_default_sets
from opora.expertise.models import (
    CriteriaPurpose,
    CriteriaSet,
    ExpertAssignment,
    Expertise,
    Score,
)
from opora.recommendations.models import Recommendation
from opora.registry.models import Organisation, OrganisationKind, Region
from opora.testing import FOREIGN_PK
from opora.testing.expertise import criteria, import_kargasok, score_all, synthetic_period
from opora.testing.factories import UserFactory

#: The analytical report over 20 expertises: target 2 s, asserted with room for a busy machine.
GENEROUS_SECONDS = 5.0

# ---------------------------------------------------------------- helpers


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


# ---------------------------------------------------------------- the starting sets


def test_the_starting_sets_are_created_once_with_guidance(db):
    first = ensure_default_sets(2026)
    again = ensure_default_sets(2026)

    assert [s.pk for s in first] == [s.pk for s in again]
    assert {s.purpose for s in first} == set(CriteriaPurpose.values)
    municipal = next(s for s in first if s.purpose == CriteriaPurpose.MUNICIPAL_EXPERTISE)
    items = criteria(municipal)
    assert 15 <= len(items) <= 25
    assert all(c.guidance for c in items)
    topics = " ".join(c.topic for c in items).lower()
    for theme in [
        "преемственность",
        "наставничество",
        "овз",
        "адресная поддержка",
        "курсы повышения квалификации",
        "методическая служба",
        "по школам и учителям",
        "выгорания",
        "родител",
        "сайтах",
        "совместительства",
    ]:
        assert theme in topics, theme
    texts = " ".join(c.text for c in items).lower()
    assert "сроки" in texts and "ответственные" in texts
    assert any(c.topic.startswith("Раздел:") for c in items)


def test_a_set_is_copied_to_a_new_year_and_the_source_stays(people, small_set):
    copy = svc.copy_criteria_set(people["operator"], small_set, year=2027)

    assert copy.year == 2027 and copy.name == small_set.name
    assert [(c.text, c.scale_max, c.weight, c.topic) for c in criteria(copy)] == [
        (c.text, c.scale_max, c.weight, c.topic) for c in criteria(small_set)
    ]
    svc.save_criterion(
        people["operator"], copy.groups.first(), criterion=criteria(copy)[0], text="Изменено"
    )
    assert criteria(small_set)[0].text == "Сроки у всех мероприятий"


def test_a_set_in_use_cannot_change_its_criteria(people, expertise):
    cs = expertise.criteria_set
    with pytest.raises(ValidationError, match="Скопируйте набор"):
        svc.save_criterion(people["region"], cs.groups.first(), text="Новый", scale_max=1)
    with pytest.raises(ValidationError):
        svc.delete_criterion(people["region"], criteria(cs)[0])
    # The name and «действует» may still change.
    svc.update_criteria_set(people["region"], cs, is_active=False)
    assert fresh(cs).is_active is False


@pytest.mark.parametrize("role", ["expert", "municipal", "curator", "observer", "school"])
def test_only_the_region_edits_criteria(people, small_set, role):
    with pytest.raises(PermissionDenied):
        svc.save_group(people[role], small_set, title="Группа")
    with pytest.raises(PermissionDenied):
        svc.copy_criteria_set(people[role], small_set, year=2030)


def test_the_editor_builds_a_set_through_the_pages(client, people):
    client.force_login(people["operator"])
    response = client.post(
        reverse("expertise:criteria_create"),
        {"name": "Экспертиза 2027", "purpose": "municipal_expertise", "year": 2027},
    )
    cs = CriteriaSet.objects.get(name="Экспертиза 2027")
    assert response.url == reverse("expertise:criteria_detail", args=[cs.pk])

    client.post(reverse("expertise:criteria_group_add", args=[cs.pk]), {"title": "Обучающиеся"})
    group = cs.groups.get()
    client.post(
        reverse("expertise:criteria_criterion_add", args=[group.pk]),
        {
            "text": "Есть раздел по работе с детьми с ОВЗ",
            "guidance": "2 — раздел есть; 0 — нет.",
            "scale_max": 2,
            "weight": "1.5",
            "topic": "работа с детьми с ОВЗ",
            "needs_section": "on",
        },
    )
    criterion = group.criteria.get()
    assert criterion.topic == "Раздел: работа с детьми с ОВЗ"
    assert criterion.weight == Decimal("1.5") and criterion.scale_max == 2

    page = client.get(reverse("expertise:criteria_criterion_edit", args=[criterion.pk]))
    assert page.status_code == 200
    assert page.context["form"].initial["needs_section"] is True
    bad = client.post(
        reverse("expertise:criteria_criterion_edit", args=[criterion.pk]),
        {"text": "x", "scale_max": 0, "weight": "1"},
    )
    assert bad.status_code == 200 and "Шкала" in bad.content.decode()

    client.post(reverse("expertise:criteria_copy", args=[cs.pk]), {"year": 2028})
    assert CriteriaSet.objects.filter(year=2028, name="Экспертиза 2027").exists()

    detail = client.get(reverse("expertise:criteria_detail", args=[cs.pk])).content.decode()
    assert "Предпроверка ищет" in detail and "Раздел: работа с детьми с ОВЗ" in detail
    client.post(reverse("expertise:criteria_criterion_delete", args=[criterion.pk]))
    assert not group.criteria.exists()


def test_the_criteria_are_public_but_the_editor_is_not(client, people, small_set):
    client.force_login(people["municipal"])
    assert client.get(reverse("expertise:criteria_list")).status_code == 200
    assert client.get(reverse("expertise:criteria_detail", args=[small_set.pk])).status_code == 200
    assert client.get(reverse("expertise:criteria_create")).status_code == 403
    response = client.post(reverse("expertise:criteria_defaults"), {"year": 2026})
    assert response.status_code == 403
    assert not CriteriaSet.objects.filter(year=2026, purpose="school_monitoring").exists()


# ---------------------------------------------------------------- scoring


def test_experts_score_independently_and_submit(people, expertise):
    score_all(people["expert"], expertise, [1, 2, 4], comment="Иванова: есть")
    score_all(people["expert2"], expertise, [1, 1, 3], comment="Петров: частично")

    mine = selectors.my_assignment(people["expert"], expertise)
    assert {s.comment for s in mine.scores.all()} == {"Иванова: есть"}
    # A score can be changed until submitted.
    first = criteria(expertise.criteria_set)[0]
    svc.save_score(people["expert"], expertise, first, value=0, comment="передумала")
    assert Score.objects.get(assignment=mine, criterion=first).value == 0

    svc.submit_assignment(people["expert"], fresh(expertise))
    assert fresh(mine).submitted_at is not None
    with pytest.raises(ValidationError, match="уже отправлены"):
        svc.save_score(people["expert"], fresh(expertise), first, value=1)


def test_submitting_needs_every_criterion(people, expertise):
    svc.save_score(people["expert"], expertise, criteria(expertise.criteria_set)[0], value=1)
    with pytest.raises(ValidationError, match="Оценены 1 из 3"):
        svc.submit_assignment(people["expert"], expertise)


def test_scores_outside_the_scale_or_the_set_are_refused(people, expertise, small_set):
    third = criteria(small_set)[2]
    with pytest.raises(ValidationError, match="от 0 до 5"):
        svc.save_score(people["expert"], expertise, third, value=6)
    other_set = svc.copy_criteria_set(people["region"], small_set, year=2030)
    with pytest.raises(ValidationError, match="не из набора"):
        svc.save_score(people["expert"], expertise, criteria(other_set)[0], value=1)


@pytest.mark.parametrize("role", ["region", "municipal", "observer"])
def test_only_assigned_experts_score(people, expertise, role):
    with pytest.raises(PermissionDenied):
        svc.save_score(people[role], expertise, criteria(expertise.criteria_set)[0], value=1)


def test_an_expert_sees_other_scores_only_after_submitting(client, people, expertise):
    score_all(people["expert2"], expertise, [1, 1, 3], comment="Комментарий Петрова")
    svc.submit_assignment(people["expert2"], fresh(expertise))
    score_all(people["expert"], expertise, [1, 2, 4], comment="Комментарий Ивановой")
    url = reverse("expertise:expertise_detail", args=[expertise.pk])

    client.force_login(people["expert"])
    before = client.get(url).content.decode()
    assert "Комментарий Петрова" not in before
    assert 'data-testid="consolidated"' not in before
    assert "будут видны после того, как вы отправите свои" in before
    protocol = client.post(reverse("expertise:expertise_protocol", args=[expertise.pk]))
    assert protocol.status_code == 403

    svc.submit_assignment(people["expert"], fresh(expertise))
    after = client.get(url).content.decode()
    assert "Комментарий Петрова" in after and "Комментарий Ивановой" in after
    assert 'data-testid="consolidated"' in after


def test_an_expert_after_submitting_does_not_see_drafts_of_others(client, people, expertise):
    score_all(people["expert"], expertise, [1, 2, 4], comment="Готово")
    svc.submit_assignment(people["expert"], fresh(expertise))
    score_all(people["expert2"], expertise, [0, 0, 0], comment="Черновик Петрова")

    client.force_login(people["expert"])
    page = client.get(reverse("expertise:expertise_detail", args=[expertise.pk])).content.decode()
    assert "Черновик Петрова" not in page
    # The region sees the draft, marked as such, and counted nowhere.
    client.force_login(people["region"])
    page = client.get(reverse("expertise:expertise_detail", args=[expertise.pk])).content.decode()
    assert "Черновик Петрова" in page and "черновик" in page


def test_the_workspace_saves_scores_with_htmx(client, people, expertise):
    first, second, _ = criteria(expertise.criteria_set)
    client.force_login(people["expert"])
    page = client.get(reverse("expertise:expertise_workspace", args=[expertise.pk]))
    assert page.status_code == 200
    assert page.content.decode().count('data-testid="score-card"') == 3

    url = reverse("expertise:expertise_score", args=[expertise.pk, second.pk])
    response = client.post(
        url, {f"c{second.pk}-value": "2", f"c{second.pk}-comment": "Есть"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Сохранено" in body and 'hx-swap-oob="true"' in body
    assert "<strong>1</strong> из 3" in body
    assert Score.objects.get(criterion=second).value == 2

    bad = client.post(url, {f"c{second.pk}-value": "7"}, HTTP_HX_REQUEST="true")
    assert "Балл — от 0 до 2." in bad.content.decode()
    assert Score.objects.get(criterion=second).value == 2

    # Without HTMX the form still works and comes back to the workspace.
    plain = client.post(
        reverse("expertise:expertise_score", args=[expertise.pk, first.pk]),
        {f"c{first.pk}-value": "1"},
    )
    assert plain.status_code == 302 and Score.objects.filter(criterion=first).exists()


def test_a_stranger_cannot_post_scores(client, people, expertise):
    first = criteria(expertise.criteria_set)[0]
    url = reverse("expertise:expertise_score", args=[expertise.pk, first.pk])
    for role in ["municipal", "observer", "curator"]:
        client.force_login(people[role])
        assert client.post(url, {f"c{first.pk}-value": "1"}).status_code == 404
    assert not Score.objects.filter(assignment__expertise=expertise).exists()


# ---------------------------------------------------------------- agreement


def test_agreement_between_experts(people, expertise):
    # Scales 0–1 (weight 1), 0–2 (weight 2), 0–5 (weight 1).
    score_all(people["expert"], expertise, [1, 2, 4])
    score_all(people["expert2"], expertise, [1, 1, 3])
    svc.submit_assignment(people["expert"], fresh(expertise))
    svc.submit_assignment(people["expert2"], fresh(expertise))

    data = consolidation.consolidate(selectors.load_for_view(expertise))

    rows = data.rows
    assert [r.number for r in rows] == ["1.1", "1.2", "2.1"]
    assert [r.mean for r in rows] == [1, 1.5, 3.5]
    assert [r.spread for r in rows] == [0, 1, 1]
    # On a 0–2 scale one point apart is a disagreement; on 0–5 it is still agreement.
    assert [r.agree for r in rows] == [True, False, True]
    assert data.compared == 3 and data.agreeing == 2
    assert data.agreement_share == pytest.approx(2 / 3)
    # 1 − mean(|a−b| / max) = 1 − (0 + 1/2 + 1/5) / 3
    assert data.agreement_index == pytest.approx(1 - (0 + 0.5 + 0.2) / 3)
    assert data.disagreements == [rows[1]]
    # Weighted: 1·1 + 1.5·2 + 3.5·1 = 7.5 of 1 + 4 + 5 = 10.
    assert data.total_mean == pytest.approx(7.5) and data.total_max == pytest.approx(10)
    assert data.percent == pytest.approx(0.75)
    assert [c.total for c in data.columns] == [pytest.approx(9), pytest.approx(6)]
    assert data.failing == []


def test_a_single_expert_gives_means_but_no_agreement(people, roadmap, small_set):
    e = svc.create_expertise(people["region"], roadmap, small_set, expert_users=[people["expert"]])
    score_all(people["expert"], e, [0, 2, 1])
    svc.submit_assignment(people["expert"], fresh(e))

    data = consolidation.consolidate(selectors.load_for_view(e))

    assert data.compared == 0 and data.agreement_share is None and data.agreement_index is None
    assert [r.failing for r in data.rows] == [True, False, True]


# ---------------------------------------------------------------- closing


def submitted(people, expertise):
    score_all(people["expert"], expertise, [1, 2, 4], comment="Есть мероприятия")
    score_all(people["expert2"], expertise, [1, 1, 3])
    svc.submit_assignment(people["expert"], fresh(expertise))
    svc.submit_assignment(people["expert2"], fresh(expertise))
    return fresh(expertise)


def test_closing_creates_tracked_recommendations(people, expertise, world):
    e = submitted(people, expertise)

    created = svc.close_expertise(
        people["operator"],
        e,
        conclusion="Программа соответствует критериям частично.",
        recommendations="1) дополнить карту разделом по работе с детьми с ОВЗ;\n"
        "- организовать работу по наставничеству с посещением уроков;\n\n"
        "уменьшить коэффициент совместительства.",
    )

    e = fresh(e)
    assert e.status == "closed" and e.closed_at is not None
    recs = list(Recommendation.objects.filter(expertise=e).order_by("order"))
    assert recs == created
    assert [r.text for r in recs] == [
        "дополнить карту разделом по работе с детьми с ОВЗ",
        "организовать работу по наставничеству с посещением уроков",
        "уменьшить коэффициент совместительства",
    ]
    assert {r.municipality_id for r in recs} == {world.home.pk}
    assert {r.status for r in recs} == {"open"}
    assert recs[0].raw == "1) дополнить карту разделом по работе с детьми с ОВЗ;"
    with pytest.raises(ValidationError, match="уже завершена"):
        svc.close_expertise(people["operator"], e, conclusion="Ещё раз")


def test_closing_needs_every_expert_and_a_conclusion(people, expertise):
    score_all(people["expert"], expertise, [1, 2, 4])
    svc.submit_assignment(people["expert"], fresh(expertise))
    with pytest.raises(ValidationError, match="Петров"):
        svc.close_expertise(people["region"], fresh(expertise), conclusion="Итог")
    score_all(people["expert2"], expertise, [1, 2, 4])
    svc.submit_assignment(people["expert2"], fresh(expertise))
    with pytest.raises(ValidationError, match="заключение"):
        svc.close_expertise(people["region"], fresh(expertise), conclusion="  ")
    with pytest.raises(PermissionDenied):
        svc.close_expertise(people["expert"], fresh(expertise), conclusion="Итог")
    assert not Recommendation.objects.filter(expertise=expertise).exists()


def test_an_unsubmitted_expert_can_be_withdrawn(people, expertise):
    score_all(people["expert2"], expertise, [1, 1, 1])
    assignment = ExpertAssignment.objects.get(expertise=expertise, expert=people["expert2"])
    svc.remove_assignment(people["region"], assignment)
    assert not Score.objects.filter(assignment_id=assignment.pk).exists()
    mine = ExpertAssignment.objects.get(expertise=expertise, expert=people["expert"])
    score_all(people["expert"], expertise, [1, 1, 1])
    svc.submit_assignment(people["expert"], fresh(expertise))
    with pytest.raises(ValidationError, match="уже отправил"):
        svc.remove_assignment(people["region"], fresh(mine))


def test_the_author_sees_the_conclusion_only_after_closing(client, people, expertise):
    score_all(people["expert"], expertise, [1, 2, 4], comment="Комментарий эксперта")
    svc.submit_assignment(people["expert"], fresh(expertise))
    url = reverse("expertise:expertise_detail", args=[expertise.pk])
    client.force_login(people["municipal"])

    during = client.get(url)
    assert during.status_code == 200
    body = during.content.decode()
    assert "Комментарий эксперта" not in body
    assert 'data-testid="consolidated"' not in body
    assert 'data-testid="precheck"' in body  # the author sees the pre-check
    assert (
        client.post(reverse("expertise:expertise_protocol", args=[expertise.pk])).status_code == 403
    )
    assert (
        client.get(reverse("expertise:expertise_workspace", args=[expertise.pk])).status_code == 404
    )

    score_all(people["expert2"], expertise, [1, 2, 4])
    svc.submit_assignment(people["expert2"], fresh(expertise))
    svc.close_expertise(
        people["region"],
        fresh(expertise),
        conclusion="Заключение для муниципалитета",
        recommendations="провести анализ результатов по каждой школе",
    )
    after = client.get(url).content.decode()
    assert "Заключение для муниципалитета" in after
    assert "провести анализ результатов по каждой школе" in after
    document, _ = svc.draft_protocol(people["region"], fresh(expertise))
    assert client.get(reverse("documents:detail", args=[document.pk])).status_code == 200


def test_the_expert_list_shows_only_my_expertises(client, people, expertise, world):
    client.force_login(people["expert"])
    page = client.get(reverse("expertise:expertise_list"))
    assert page.status_code == 200
    assert "Мои экспертизы" in page.content.decode()
    assert [e.pk for e in page.context["expertises"]] == [expertise.pk]

    client.force_login(people["region"])
    listed = {e.pk for e in client.get(reverse("expertise:expertise_list")).context["expertises"]}
    assert {expertise.pk, FOREIGN_PK} <= listed


@pytest.mark.parametrize(
    "name",
    ["expertise_detail", "expertise_workspace", "expertise_protocol"],
)
def test_an_expert_not_assigned_sees_nothing_of_the_foreign_expertise(client, world, name):
    client.force_login(world.users.expert)
    send = client.post if name == "expertise_protocol" else client.get
    response = send(reverse(f"expertise:{name}", args=[FOREIGN_PK]))
    assert response.status_code == 404
    listed = client.get(reverse("expertise:expertise_list")).content.decode()
    assert "Чуж" not in listed
    precheck = client.get(reverse("expertise:precheck", args=[FOREIGN_PK])).content.decode()
    assert "Чужой комментарий" not in precheck and "Чужое заключение" not in precheck


def test_the_expertise_is_created_from_the_page(client, people, roadmap, small_set):
    client.force_login(people["operator"])
    form = client.get(reverse("expertise:expertise_create") + f"?roadmap={roadmap.pk}")
    assert form.status_code == 200
    response = client.post(
        reverse("expertise:expertise_create"),
        {
            "roadmap": roadmap.pk,
            "criteria_set": small_set.pk,
            "experts": [people["expert"].pk, people["expert2"].pk],
            "due_date": "2026-04-30",
        },
    )
    e = Expertise.objects.get(roadmap=roadmap)
    assert response.url == reverse("expertise:expertise_detail", args=[e.pk])
    assert e.assignments.count() == 2 and str(e.due_date) == "2026-04-30"


def test_the_detail_page_runs_the_same_queries_for_two_and_five_experts(
    client, people, expertise, small_set, roadmap
):
    client.force_login(people["region"])
    url = reverse("expertise:expertise_detail", args=[expertise.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as two:
        client.get(url)
    for i in range(3):
        extra = UserFactory(username=f"expert-extra-{i}", role=Role.EXPERT)
        svc.assign_expert(people["region"], expertise, extra)
        score_all(extra, expertise, [1, 1, 1])
    with CaptureQueriesContext(connection) as five:
        client.get(url)
    assert len(five) == len(two)


# ---------------------------------------------------------------- documents


def _closed_expertise(people, expertise):
    e = submitted(people, expertise)
    svc.close_expertise(
        people["operator"],
        e,
        conclusion="Программа в целом соответствует критериям.",
        recommendations="дополнить карту разделом по работе с детьми с ОВЗ\n"
        "организовать работу по наставничеству",
    )
    return fresh(e)


@pytest.fixture
def issuer(db):
    """The regional operator and where the region signs, as the registry holds them."""
    Region.objects.update(centre="г. Томск")
    if not Region.objects.exists():
        Region.objects.create(name="Томская область", centre="г. Томск")
    return Organisation.objects.create(
        short_name="ТОИПКРО",
        name="Областное государственное бюджетное учреждение дополнительного "
        "профессионального образования «Томский областной институт повышения квалификации и "
        "переподготовки работников образования»",
        kind=OrganisationKind.REGIONAL_OPERATOR,
    )


def _fixed_protocol(people, e):
    document, created = svc.draft_protocol(people["operator"], e)
    assert created
    return document_services.fix_document(
        people["operator"], document, number=f"{e.pk}-э", day=date(2026, 5, 12)
    )


def _texts(document) -> list[str]:
    return [p.text.replace(NBSP, " ") for p in document.paragraphs]


def test_the_protocol_is_fixed_in_word_with_its_requisites_table_and_fonts(
    people, expertise, issuer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    e = _closed_expertise(people, expertise)

    fixed = _fixed_protocol(people, e)
    document = docx.Document(io.BytesIO(document_services.docx_bytes(fixed)))

    texts = _texts(document)
    assert texts[: texts.index(f"({e.roadmap.owner_label})") + 1] == [
        "ОБЛАСТНОЕ ГОСУДАРСТВЕННОЕ БЮДЖЕТНОЕ УЧРЕЖДЕНИЕ ДОПОЛНИТЕЛЬНОГО ПРОФЕССИОНАЛЬНОГО "
        "ОБРАЗОВАНИЯ «ТОМСКИЙ ОБЛАСТНОЙ ИНСТИТУТ ПОВЫШЕНИЯ КВАЛИФИКАЦИИ И ПЕРЕПОДГОТОВКИ "
        "РАБОТНИКОВ ОБРАЗОВАНИЯ» (ТОИПКРО)",
        "",
        "ПРОТОКОЛ",
        "",
        f"12.05.2026\t№ {e.pk}-э",
        "г. Томск",
        "",
        "экспертизы муниципальной программы («дорожной карты»)",
        "«Дорожная карта Каргасокского района на 2026 год»",
        f"({e.roadmap.owner_label})",
    ]
    text = "\n".join(texts)
    assert "Программа в целом соответствует критериям." in text
    assert "1. Дополнить карту разделом по работе с детьми с ОВЗ;" in text
    assert "2. Организовать работу по наставничеству." in text
    assert "ПРОЕКТ" not in text

    table, signatures = document.tables
    header = [c.text for c in table.rows[0].cells]
    assert header == [
        "№",
        "Критерий",
        "Макс. балл",
        "Вес",
        "Иванова Е.",
        "Петров О.",
        "Средний балл",
    ]
    body = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert ["1.2", "Ответственные у всех мероприятий", "2", "2", "2", "1", "1,5"] in body
    assert body[-1][1] == "Итого (с учётом весов)" and body[-1][-1] == "7,5"
    assert "Оформление" in body[0][0]  # the group row spans the table
    assert len({id(c._tc) for c in table.rows[1].cells}) == 1
    signed = [[c.text.replace(NBSP, " ") for c in row.cells] for row in signatures.rows]
    assert signed == [
        ["Эксперт", "____________", "Е. Иванова"],
        ["Эксперт", "____________", "О. Петров"],
    ]

    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 14
    fonts = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:rFonts"))
    assert fonts.get(qn("w:ascii")) == "Times New Roman"
    table_sizes = {
        r.font.size.pt
        for row in table.rows
        for c in row.cells
        for p in c.paragraphs
        for r in p.runs
    }
    assert table_sizes == {12}
    section = document.sections[0]
    assert round(section.left_margin.mm) == 20 and round(section.right_margin.mm) == 10
    assert section.page_width < section.page_height  # two experts: portrait


def test_a_protocol_of_many_experts_is_laid_out_on_landscape_pages(people, expertise, issuer):
    submitted(people, expertise)
    for i in range(3):
        extra = UserFactory(username=f"expert-wide-{i}", role=Role.EXPERT, last_name=f"Эксперт{i}")
        svc.assign_expert(people["region"], expertise, extra)
        score_all(extra, expertise, [1, 1, 1])
        svc.submit_assignment(extra, fresh(expertise))
    draft = documents.protocol_draft(fresh(expertise))
    assert draft.landscape
    section = docx.Document(io.BytesIO(render_draft(draft))).sections[0]
    assert section.page_width > section.page_height


def test_a_protocol_in_progress_is_a_draft(people, expertise, issuer):
    document = docx.Document(io.BytesIO(render_draft(documents.protocol_draft(expertise))))
    texts = _texts(document)
    assert texts[0] == "ПРОЕКТ" and "____________\t№ ________" in texts


def test_the_region_prepares_the_protocol_once_and_opens_the_same_draft(
    client, people, expertise, issuer
):
    client.force_login(people["region"])
    url = reverse("expertise:expertise_protocol", args=[expertise.pk])
    first = client.post(url)
    protocols = Document.objects.filter(content_type__model="expertise", object_id=expertise.pk)
    document = protocols.get()
    assert first.url == reverse("documents:detail", args=[document.pk])
    assert (document.source, document.kind, document.is_fixed) == (expertise, "protocol", False)
    again = client.post(url)
    assert again.url == first.url and protocols.count() == 1
    page = client.get(reverse("expertise:expertise_detail", args=[expertise.pk])).content.decode()
    assert 'data-testid="draft"' in page and "Протокол (проект от" in page
    download = client.get(reverse("documents:download", args=[document.pk]))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert download.content[:2] == b"PK"


def test_a_fixed_protocol_never_changes_when_the_expertise_does(
    people, expertise, issuer, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    e = _closed_expertise(people, expertise)
    fixed = _fixed_protocol(people, e)
    stored = document_services.docx_bytes(fixed)

    Expertise.objects.filter(pk=e.pk).update(conclusion="Совсем другое заключение.")
    Score.objects.update(value=0)

    again = Document.objects.get(pk=fixed.pk)
    assert document_services.docx_bytes(again) == stored
    assert "Совсем другое" not in again.body
    with pytest.raises(ValidationError, match="зафиксирован"):
        document_services.update_draft(people["operator"], again, body="Другой текст.")
    # Preparing the protocol again starts a new draft from today's scores; the fixed one stays.
    draft, created = svc.draft_protocol(people["operator"], fresh(e))
    assert created and draft.pk != fixed.pk and "Совсем другое заключение." in draft.body
    assert Document.objects.get(pk=fixed.pk).body == again.body


def test_only_those_who_manage_expertise_prepare_the_protocol(people, expertise, issuer):
    for role in ("expert", "municipal", "observer"):
        with pytest.raises(PermissionDenied):
            svc.draft_protocol(people[role], expertise)
    assert not Document.objects.filter(content_type__model="expertise").exists()


def test_a_draft_protocol_is_hidden_from_those_who_may_not_see_the_scores(
    client, people, expertise, issuer
):
    document, _ = svc.draft_protocol(people["region"], expertise)
    client.force_login(people["municipal"])  # the author side, the expertise still open
    assert client.get(reverse("documents:detail", args=[document.pk])).status_code == 404
    page = client.get(reverse("expertise:expertise_detail", args=[expertise.pk])).content.decode()
    assert 'data-testid="documents"' not in page


def test_the_analytical_report_over_20_expertises_renders_quickly(people):
    expertises = synthetic_period(people, 20)
    render_draft(documents.report_draft(expertises[:1], 2023))  # matplotlib's first import

    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        content = render_draft(documents.report_draft(expertises, 2023))
    elapsed = time.perf_counter() - started

    # The target is 2 s (bench/documents.py times it); the test allows a loaded CI machine more.
    assert elapsed < GENEROUS_SECONDS, f"{elapsed:.2f} s"
    assert len(queries) <= 10
    document = docx.Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "АНАЛИТИЧЕСКАЯ СПРАВКА" in text and "за 2023 год" in text
    assert "Проведено 20 экспертиз" in text
    assert len(document.inline_shapes) == 1  # the chart
    failures, totals = document.tables
    assert len(totals.rows) == 21
    # Every third criterion was scored 0 by both experts: they fail in all 20 programmes.
    top = failures.rows[1].cells
    assert top[2].text == "20 из 20" and top[3].text == "100\u00a0%"  # «%» never starts a line
    assert document.styles["Normal"].font.name == "Times New Roman"


def test_failures_are_counted_when_the_mean_is_below_half(people, roadmap, small_set):
    e = svc.create_expertise(
        people["region"], roadmap, small_set, expert_users=[people["expert"], people["expert2"]]
    )
    score_all(people["expert"], e, [0, 1, 2])
    score_all(people["expert2"], e, [1, 1, 3])
    for user in (people["expert"], people["expert2"]):
        svc.submit_assignment(user, fresh(e))
    svc.close_expertise(people["region"], fresh(e), conclusion="Итог")

    data = consolidation.analytics([selectors.load_for_view(e)])

    by_text = {s.text: s for s in data.criteria}
    assert by_text["Сроки у всех мероприятий"].failed == 0  # mean 0.5 of 1: not below half
    assert by_text["Ответственные у всех мероприятий"].failed == 0  # 1 of 2
    assert by_text["Наставничество"].failed == 0  # 2.5 of 5
    score_all_after = consolidation.analytics([])
    assert score_all_after.results == [] and score_all_after.criteria == []


def test_the_analytics_page_and_report_download(client, people):
    synthetic_period(people, 3, year=2026)
    client.force_login(people["operator"])
    page = client.get(reverse("expertise:expertise_analytics") + "?year=2026")
    assert page.status_code == 200
    assert len(page.context["data"].results) == 3
    assert 'data-testid="draft"' in page.content.decode()
    report = client.post(reverse("expertise:expertise_report", args=[2026]))
    document = Document.objects.get(topic="expertise-report-2026")
    assert report.url == reverse("documents:detail", args=[document.pk])
    assert (document.kind, document.source, document.is_fixed) == ("report", None, False)
    assert "Проведены 3 экспертизы муниципальных программ." in document.body
    assert client.post(reverse("expertise:expertise_report", args=[2026])).url == report.url
    listed = client.get(reverse("expertise:expertise_analytics") + "?year=2026").content.decode()
    assert "Аналитическая справка (проект от" in listed
    download = client.get(reverse("documents:download", args=[document.pk]))
    assert download.content[:2] == b"PK"
    client.force_login(people["municipal"])
    assert client.get(reverse("expertise:expertise_analytics")).status_code == 403


# ---------------------------------------------------------------- demo


def test_the_demo_loads_an_expertise_of_kargasok_once(world, people):
    from opora.expertise import demo as demo_expertise

    import_kargasok(world)
    UserFactory(username="operator", role=Role.OPERATOR)
    demo_expertise.load(2026)
    demo_expertise.load(2026)

    e = Expertise.objects.exclude(pk=FOREIGN_PK).get()
    assert e.roadmap.municipality == world.home
    by_user = {a.expert.username: a for a in e.assignments.all()}
    assert set(by_user) == {"expert", "expert2"}
    assert by_user["expert2"].submitted_at is not None
    assert by_user["expert"].submitted_at is None
    assert 0 < by_user["expert"].scores.count() < criteria(e.criteria_set).__len__()
    assert CriteriaSet.objects.filter(year=2026).count() == 3


def test_the_expert_list_counts_scores_not_scores_times_criteria(people, expertise):
    """«оценено 2 из 3», never the product of the two joins («оценено 6 из 3»)."""
    for criterion, value in zip(criteria(expertise.criteria_set)[:2], [1, 2], strict=True):
        svc.save_score(people["expert"], expertise, criterion, value=value)
    row = selectors.expertise_list(people["expert"]).get(pk=expertise.pk)
    assert (row.my_scored, row.criteria_total) == (2, 3)
