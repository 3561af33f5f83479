"""The documents the seeds approve (issue 12): the order approving a working group with its
list (seed 003, appendix 2), the order naming the coordinators and curators, the order approving
the ШНОР and ШНСУ lists (the methodology its basis, the lists its appendices), the cover letter
of a protocol (seed 000), the letter with a roadmap's tasks (seed 001) and the excerpt of a
protocol for one municipality certified «Верно». Each is a draft made from the data, edited,
fixed with its number and date, listed in the register, and never changed after; every one
carries the requisites of ГОСТ Р 7.0.97-2016 taken from the registry."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date

import docx
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from opora.assessment.models import IdentificationRun, Methodology
from opora.assessment.services import draft_lists_order
from opora.documents import services as documents
from opora.documents.selectors import RegisterFilter, register
from opora.interviews.models import Interview, InterviewProtocol
from opora.interviews.services import draft_certified_excerpt, draft_cover_letter
from opora.people.models import Coordinator, CuratorAssignment, WorkingGroup, WorkingGroupMember
from opora.people.services import draft_appointments_order, draft_group_order
from opora.recommendations.models import Recommendation
from opora.registry.models import Organisation, OrganisationKind, Region
from opora.roadmaps.documents import draft_tasks_letter
from opora.roadmaps.models import EventExecutor, ExecutorRole, Roadmap, RoadmapEvent
from opora.testing.factories import PersonFactory

DEPARTMENT = "Департамент общего образования Томской области"
GENITIVE = "Департамента общего образования Томской области"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def region(world):
    Region.objects.update(centre="г. Томск")
    Organisation.objects.create(
        name=DEPARTMENT,
        short_name="ДОО ТО",
        kind=OrganisationKind.REGIONAL_AUTHORITY,
        head_position="Начальник департамента",
        head_name="И.Б. Грабцевич",
        phone="(382 2) 51 37 49",
    )
    user = world.users.region
    user.last_name, user.first_name, user.patronymic = "Сысолятина", "Наталья", "Алексеевна"
    user.save()
    return user


def _requisites_complete(document, *, kind_heading: str | None) -> str:
    """The .docx of ``document`` carries every requisite; its text is returned."""
    paragraphs = docx.Document(io.BytesIO(documents.docx_bytes(document))).paragraphs
    text = "\n".join(p.text for p in paragraphs)
    assert DEPARTMENT.upper() in text  # the organisation's full name
    if kind_heading:
        assert kind_heading in text
    assert "г.\u00a0Томск" in text  # the place
    assert document.title.split()[0] in text  # the title
    assert "Сысолятина Наталья Алексеевна" in text  # the executor's mark …
    assert "(382 2) 51 37 49" in text  # … with a phone
    tables = docx.Document(io.BytesIO(documents.docx_bytes(document))).tables
    cells = "\n".join(c.text for t in tables for r in t.rows for c in r.cells)
    assert "Грабцевич" in cells  # the signature: initials and surname
    return text


def _fix_and_find(user, document, number: str, **search):
    fixed = documents.fix_document(user, document, number=number, day=date(2026, 3, 13))
    found = register(user, RegisterFilter(number=number, **search))
    assert [d.pk for d in found] == [fixed.pk]
    with pytest.raises(ValidationError):
        documents.update_draft(user, fixed, body="Другой текст.")
    return fixed


def test_the_working_group_order_lists_the_group_as_its_appendix(world, region):
    group = WorkingGroup.objects.create(
        level="region",
        year=2026,
        title="Региональная рабочая группа по организации работы со школами с низкими "
        "образовательными результатами обучающихся",
    )
    head = PersonFactory(last_name="Неверова", first_name="Вера", patronymic="Викторовна")
    member = PersonFactory(last_name="Бутакова", first_name="Екатерина", patronymic="Сергеевна")
    WorkingGroupMember.objects.create(
        group=group,
        person=head,
        role="head",
        order=1,
        position_text="Председатель комитета мониторинга и управления качеством образования",
    )
    WorkingGroupMember.objects.create(
        group=group, person=member, role="member", order=2, position_text="старший преподаватель"
    )

    order, created = draft_group_order(region, group)
    again, created_again = draft_group_order(region, group)

    assert created and not created_again and again.pk == order.pk
    assert order.kind == "order" and order.source == group
    assert order.title == (
        "Об утверждении состава региональной рабочей группы по организации работы со школами "
        "с низкими образовательными результатами обучающихся"
    )
    assert f"Приложение к распоряжению {GENITIVE} от [дата] № [номер]" in order.body
    assert (
        "1. Неверова В.В., председатель комитета мониторинга и управления качеством "
        "образования – руководитель рабочей группы." in order.body
    )
    assert "2. Бутакова Е.С., старший преподаватель." in order.body
    assert order.signer == "Начальник департамента\nИ.Б. Грабцевич"
    _requisites_complete(order, kind_heading="РАСПОРЯЖЕНИЕ")

    fixed = _fix_and_find(region, order, "352-р", kind="order", organisation="Департамент общ")
    assert f"Приложение к распоряжению {GENITIVE} от 13.03.2026 № 352-р" in fixed.body


def test_the_appointments_order_has_the_coordinators_and_the_curators_as_appendices(world, region):
    year = date.today().year
    regional = PersonFactory(last_name="Бутакова", first_name="Екатерина", patronymic="Сергеевна")
    regional.position = "старший преподаватель кафедры управления образованием ТОИПКРО"
    regional.save()
    Coordinator.objects.create(level="region", person=regional, year=year)
    municipal = PersonFactory(last_name="Иванова", first_name="Анна", patronymic="Петровна")
    Coordinator.objects.create(
        level="municipality", municipality=world.home, person=municipal, year=year
    )
    curator = PersonFactory(last_name="Петрова", first_name="Ольга", patronymic="Ивановна")
    CuratorAssignment.objects.create(person=curator, year=year, school=world.home_school)

    order, _ = draft_appointments_order(region, year)

    body = order.body
    assert "региональным координатором" in body and "Бутакова Е.С., старший преподаватель" in body
    assert f"Приложение 1 к распоряжению {GENITIVE} от [дата] № [номер]" in body
    assert f"Приложение 2 к распоряжению {GENITIVE} от [дата] № [номер]" in body
    assert "| 1 | Каргасокский район | Иванова А.П. |" in body
    assert "| Каргасокский район | МКОУ «Вертикосская СОШ» | Петрова О.И. |" in body  # quotes kept
    _requisites_complete(order, kind_heading="РАСПОРЯЖЕНИЕ")
    _fix_and_find(region, order, "400-р", kind="order")


def test_the_lists_order_has_the_methodology_as_its_basis_and_the_lists_as_appendices(
    world, region
):
    methodology = Methodology.objects.create(name="Региональная методика", version=2, params={})
    run = IdentificationRun.objects.create(
        methodology=methodology,
        params={},
        year=2026,
        low_results=["700901"],
        unfavourable=["700901", "700902"],
    )

    order, created = draft_lists_order(region, run)

    assert created and order.source == run
    body = order.body
    assert "В соответствии с методикой определения школ" in body
    assert "«Региональная методика» (версия 2)" in body
    assert "(ШНОР) на 2026 год (1 школа)" in body and "(ШНСУ) на 2026 год (2 школы)" in body
    assert "| 1 | Каргасокский район | МКОУ «Вертикосская СОШ» |" in body
    assert "| 2 | Каргасокский район | МКОУ «Новоюгинская СОШ» |" in body
    assert "Приложение 2 к распоряжению" in body
    _requisites_complete(order, kind_heading="РАСПОРЯЖЕНИЕ")
    _fix_and_find(region, order, "17-р", organisation="Департамент")


def _protocol(world) -> tuple[InterviewProtocol, Interview]:
    protocol = InterviewProtocol.objects.create(
        title="ПРОТОКОЛ проведения индивидуальных собеседований с руководителями органов "
        "местного самоуправления",
        chairman="Грабцевич И.Б., начальник Департамента",
        secretary="Сысолятина Н.А., консультант",
        revision_due=date(2020, 8, 3),
    )
    interview = Interview.objects.create(
        protocol=protocol,
        municipality=world.home,
        date=date(2020, 6, 17),
        name_as_written="Каргасокский район",
    )
    Recommendation.objects.create(
        interview=interview, municipality=world.home, text="Скорректировать дорожную карту"
    )
    return protocol, interview


def test_the_cover_letter_sends_the_protocol_to_the_municipalities(world, region):
    protocol, _ = _protocol(world)

    letter, _ = draft_cover_letter(region, protocol)

    assert letter.kind == "letter" and letter.source == protocol
    assert letter.body.startswith(
        "**Руководителям органов местного самоуправления, осуществляющих управление в сфере "
        "образования**\nУважаемые руководители!"
    )
    assert f"{DEPARTMENT} направляет копию протокола проведения индивидуальных" in letter.body
    assert "в срок до 3 августа 2020 года." in letter.body
    assert "Приложение: копия протокола" in letter.body
    text = _requisites_complete(letter, kind_heading=None)
    assert "ПИСЬМО" not in text  # a letter names no kind
    _fix_and_find(region, letter, "57-3401", kind="letter")


def test_the_excerpt_for_one_municipality_is_certified_верно(world, region):
    protocol, interview = _protocol(world)
    other = Interview.objects.create(
        protocol=protocol,
        municipality=world.foreign,
        date=date(2020, 6, 18),
        name_as_written="Чужой район",
    )
    Recommendation.objects.create(
        interview=other, municipality=world.foreign, text="Чужая рекомендация"
    )

    excerpt, _ = draft_certified_excerpt(region, interview)

    assert excerpt.kind == "excerpt" and excerpt.source == interview
    assert "Каргасокский район" in excerpt.body and "Чуж" not in excerpt.body
    assert "Верно\nСекретарь\nСысолятина Н.А." in excerpt.signer
    fixed = documents.fix_document(region, excerpt, number="3-в", day=date(2020, 7, 24))
    assert fixed.signer.endswith("24.07.2020")  # the date of the certification
    paragraphs = docx.Document(io.BytesIO(documents.docx_bytes(fixed))).paragraphs
    assert "ВЫПИСКА ИЗ ПРОТОКОЛА" in "\n".join(p.text for p in paragraphs)
    # the municipality sees its fixed excerpt in the register, the other one does not
    municipal = world.users.municipal
    assert fixed.pk in [d.pk for d in register(municipal, RegisterFilter(kind="excerpt"))]


def test_the_tasks_letter_lists_what_the_municipalities_must_do(world, region):
    roadmap = Roadmap.objects.create(
        level="region",
        title="Дорожная карта по работе со школами с низкими результатами на 2026 год",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    section = roadmap.sections.create(order=1, title="Организация")
    theirs = RoadmapEvent.objects.create(
        roadmap=roadmap,
        section=section,
        order=1,
        number="1.",
        text="Назначить муниципального координатора",
        deadline_text="до 1 апреля 2026",
    )
    EventExecutor.objects.create(
        event=theirs, written="МОУО", role=ExecutorRole.MUNICIPAL_AUTHORITY
    )
    RoadmapEvent.objects.create(
        roadmap=roadmap, section=section, order=2, number="2.", text="Разработать критерии"
    )

    letter, _ = draft_tasks_letter(region, roadmap)

    assert letter.kind == "letter"
    assert "1. Назначить муниципального координатора (до 1 апреля 2026)." in letter.body
    assert "Разработать критерии" not in letter.body  # not the municipalities' task
    assert letter.title.startswith("О выполнении мероприятий дорожной карты")
    _requisites_complete(letter, kind_heading=None)


def test_the_pages_prepare_the_drafts(world, region):
    group = WorkingGroup.objects.create(level="region", year=2026, title="Рабочая группа")
    WorkingGroupMember.objects.create(group=group, person=PersonFactory(), role="head")
    protocol, interview = _protocol(world)
    client = Client()
    client.force_login(region)

    for url in (
        reverse("people:group_order", args=[group.pk]),
        reverse("interviews:protocol_letter", args=[protocol.pk]),
        reverse("interviews:interview_excerpt", args=[interview.pk]),
    ):
        response = client.post(url)
        assert response.status_code == 302 and "/documents/" in response["Location"], url

    assert (
        "Подготовить распоряжение"
        in client.get(reverse("people:group_detail", args=[group.pk])).content.decode()
    )
    empty = client.post(reverse("people:appointments_order"), follow=True).content.decode()
    assert "не назначено ни координаторов, ни кураторов" in empty or "/documents/" in empty


def test_the_municipality_cannot_prepare_the_region_s_documents(world, region):
    protocol, interview = _protocol(world)
    client = Client()
    client.force_login(world.users.municipal)
    client.post(reverse("interviews:interview_excerpt", args=[interview.pk]))
    client.post(reverse("people:appointments_order"))
    assert not documents.Document.objects.filter(created_by=world.users.municipal).exists()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_new_documents(world, region, tmp_path):
    protocol, interview = _protocol(world)
    for document in (
        draft_cover_letter(region, protocol)[0],
        draft_certified_excerpt(region, interview)[0],
    ):
        path = tmp_path / f"{document.pk}.docx"
        path.write_bytes(documents.docx_bytes(document))
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
            check=True,
            capture_output=True,
            timeout=120,
        )
        pdf = (tmp_path / f"{document.pk}.pdf").read_bytes()
        pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
        assert 1 <= pages <= 5
