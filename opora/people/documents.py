"""The orders that name the programme's people, as drafts for the documents layer (seed 003):
the order approving a working group with its list as the appendix («Состав региональной
рабочей группы …»: «1. Неверова В.В., председатель комитета … – руководитель рабочей
группы.»), and the order naming the coordinators and the curators of a year with their lists as
appendices 1 and 2. Pure: they read, the services save.

The issuing body is the region's education authority for the region's group and the
appointments, the municipality's for a municipal group; its name, place, signature and phone
come from the registry (:mod:`opora.registry.requisites`).
"""

from __future__ import annotations

from collections.abc import Sequence

from opora.core.russian.inflect import inflect_phrase
from opora.documents.drafts import Draft, appendix_mark, executor_mark
from opora.documents.models import DocumentKind
from opora.documents.render import kind_genitive
from opora.documents.text import heading, table_row
from opora.people.models import (
    Coordinator,
    CuratorAssignment,
    GroupRole,
    Level,
    WorkingGroup,
    WorkingGroupMember,
)
from opora.registry.requisites import (
    Issuer,
    municipal_authority,
    regional_authority,
)

PURPOSE = (
    "В целях организации адресной поддержки школ с низкими образовательными результатами "
    "обучающихся и/или школ, функционирующих в неблагоприятных социальных условиях{where},"
)


def appointments_topic(year: int) -> str:
    """What the order naming the coordinators and curators of ``year`` is about."""
    return f"people-appointments-{year}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def group_order_kind(group: WorkingGroup) -> str:
    """A municipal group is approved by a «приказ», the region's by a «распоряжение»."""
    if group.level == Level.MUNICIPALITY and group.municipality_id is not None:
        return DocumentKind.DECREE
    return DocumentKind.ORDER


def _group_issuer(group: WorkingGroup) -> tuple[Issuer, str]:
    kind = group_order_kind(group)
    if kind == DocumentKind.DECREE:
        return municipal_authority(group.municipality), kind
    return regional_authority(), kind


def _closing(kind: str, point: int) -> str:
    return f"{point}. Контроль за исполнением настоящего {kind_genitive(kind)} оставляю за собой."


def _operative(kind: str) -> list[str]:
    return ["ПРИКАЗЫВАЮ:"] if kind == DocumentKind.DECREE else []


def member_line(index: int, member: WorkingGroupMember) -> str:
    """«1. Неверова В.В., председатель комитета … – руководитель рабочей группы.»"""
    position = " ".join((member.position_text or member.person.position or "").split())
    text = f"{index}. {member.person.short_name}"
    if position:
        text += f", {_lower_first(position).rstrip('.')}"
    if member.role == GroupRole.HEAD:
        text += " – руководитель рабочей группы"
    elif member.role == GroupRole.DEPUTY:
        text += " – заместитель руководителя рабочей группы"
    elif member.role == GroupRole.SECRETARY:
        text += " – секретарь рабочей группы"
    return text + "."


def working_group_order(group: WorkingGroup, user=None) -> Draft:
    """«Об утверждении состава региональной рабочей группы …» with the list as its appendix."""
    issuer, kind = _group_issuer(group)
    subject = _lower_first(inflect_phrase(" ".join(group.title.split()), "gent"))
    where = ""
    if group.municipality is not None:
        where = f" на территории {inflect_phrase(group.municipality.name, 'gent')}"
    members = list(group.members.select_related("person").order_by("order", "pk"))
    lines = [
        PURPOSE.format(where=where),
        *_operative(kind),
        f"1. Утвердить состав {subject} (далее – рабочая группа) на {group.year} год согласно "
        f"приложению к настоящему {_dative(kind)}.",
        "2. Рабочей группе обеспечить организацию работы со школами в соответствии с планом "
        "мероприятий («дорожной картой»).",
        _closing(kind, 3),
        "",
        appendix_mark(kind, issuer.full_name),
        heading(f"Состав {subject} в {group.year} году"),
        *(member_line(i, m) for i, m in enumerate(members, start=1)),
    ]
    return Draft(
        kind=kind,
        organisation=issuer.organisation,
        place=issuer.place,
        title=f"Об утверждении состава {subject}",
        body="\n".join(lines),
        signer=issuer.signer,
        executor=executor_mark(user, issuer.phone),
    )


def _dative(kind: str) -> str:
    return {DocumentKind.DECREE: "приказу", DocumentKind.ORDER: "распоряжению"}[kind]


def _person_cell(person) -> str:
    position = " ".join((person.position or "").split())
    return f"{person.short_name}, {_lower_first(position)}" if position else person.short_name


def appointments_order(
    year: int,
    coordinators: Sequence[Coordinator],
    curators: Sequence[CuratorAssignment],
    user=None,
) -> Draft:
    """«О назначении координаторов и кураторов …» of ``year``: the lists as appendices 1 and 2
    (municipality, person with position), the operator to organise the curators' work."""
    issuer, kind = regional_authority(), DocumentKind.ORDER
    regional = [c for c in coordinators if c.level == Level.REGION]
    municipal = sorted(
        (c for c in coordinators if c.level == Level.MUNICIPALITY),
        key=lambda c: (c.municipality.name if c.municipality else "", c.person.last_name),
    )
    lines = [PURPOSE.format(where=""), "1. Назначить:"]
    point = 1
    for coordinator in regional:
        lines.append(
            f"{point}) региональным координатором для обеспечения взаимодействия между "
            f"участниками региональной программы – {_person_cell(coordinator.person)};"
        )
        point += 1
    lines += [
        f"{point}) муниципальных координаторов согласно приложению 1 к настоящему распоряжению;",
        f"{point + 1}) кураторов школ с низкими образовательными результатами обучающихся "
        "(ШНОР) и школ, функционирующих в неблагоприятных социальных условиях (ШНСУ), "
        "согласно приложению 2 к настоящему распоряжению.",
        "2. Кураторам разработать план работы со школами и провести выездные проектные сессии "
        "в закреплённых муниципалитетах.",
        _closing(kind, 3),
        "",
        appendix_mark(kind, issuer.full_name, 1),
        heading(f"Муниципальные координаторы на {year} год"),
        table_row("№ п/п", "Муниципальное образование", "Координатор"),
        *(
            table_row(
                str(i), c.municipality.name if c.municipality else "—", _person_cell(c.person)
            )
            for i, c in enumerate(municipal, start=1)
        ),
        "",
        appendix_mark(kind, issuer.full_name, 2),
        heading(f"Кураторы ШНОР и ШНСУ на {year} год"),
        table_row("№ п/п", "Муниципальное образование", "Школа", "Куратор"),
        *(
            table_row(
                str(i),
                (a.municipality or a.school.municipality).name,
                a.school.short_name if a.school else "все школы муниципалитета",
                _person_cell(a.person),
            )
            for i, a in enumerate(_curators_sorted(curators), start=1)
        ),
    ]
    return Draft(
        kind=kind,
        organisation=issuer.organisation,
        place=issuer.place,
        title="О назначении координаторов и кураторов по работе со школами с низкими "
        "образовательными результатами обучающихся и/или школами, функционирующими в "
        f"неблагоприятных социальных условиях, на {year} год",
        body="\n".join(lines),
        signer=issuer.signer,
        executor=executor_mark(user, issuer.phone),
    )


def _curators_sorted(curators: Sequence[CuratorAssignment]) -> list[CuratorAssignment]:
    return sorted(
        curators,
        key=lambda a: (
            (a.municipality or a.school.municipality).name,
            a.school.short_name if a.school else "",
            a.person.last_name,
        ),
    )
