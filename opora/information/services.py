"""Information support: every write — news, the site section's link and its check, the
library's materials and their links to events and recommendations."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from opora.accounts.guards import require as _require
from opora.accounts.guards import stamp as _stamp
from opora.accounts.models import Role
from opora.information import tasks
from opora.information.models import (
    LinkStatus,
    Material,
    MaterialKind,
    MaterialLink,
    NewsItem,
    OrgLevel,
    SiteSection,
)
from opora.information.search import index_text
from opora.monitoring import links
from opora.recommendations.selectors import recommendations_for
from opora.registry.models import School
from opora.roadmaps.evidence import check_document_file
from opora.roadmaps.models import RoadmapEvent
from opora.roadmaps.selectors import roadmaps_for

MAX_TAGS = 10


def own_owner(user) -> dict | None:
    """The organisation a user writes for by default: the region, the municipality or the
    school; None for roles that write for none (an expert, an observer, a curator)."""
    if user.role in (Role.REGION, Role.OPERATOR) or user.is_superuser:
        return {"level": OrgLevel.REGION, "municipality": None, "school": None}
    if user.role == Role.MUNICIPAL and user.municipality_id:
        return {"level": OrgLevel.MUNICIPALITY, "municipality": user.municipality, "school": None}
    if user.role == Role.SCHOOL and user.school_id:
        school = user.school
        return {"level": OrgLevel.SCHOOL, "municipality": school.municipality, "school": school}
    return None


def owner_of_school(school: School) -> dict:
    return {"level": OrgLevel.SCHOOL, "municipality": school.municipality, "school": school}


def _clean_url(url: str, what: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(f"{what}: нужна полная ссылка вида https://…")
    if len(url) > 1000:
        raise ValidationError(f"{what}: ссылка длиннее 1000 знаков.")
    return url


@transaction.atomic
def add_news(
    user, owner: dict, *, title: str, url: str, published_on: date, public: bool = False
) -> NewsItem:
    """Record a news item of the organisation's site.

    Example: «Семинар для педагогов ШНОР Каргасокского района», https://kargasok.edu/news/12,
    3 декабря 2026 г.
    """
    news = NewsItem(**owner)
    _require(user, "information.change_owner", news)
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError("Укажите заголовок новости.")
    if len(title) > 500:
        raise ValidationError("Заголовок новости длиннее 500 знаков.")
    if published_on is None:
        raise ValidationError("Укажите дату публикации.")
    if published_on > timezone.localdate():
        raise ValidationError("Дата публикации не может быть позже сегодняшней.")
    if public:
        _require(user, "information.publish_newsitem")
    news.title, news.url, news.published_on = title, _clean_url(url, "Новость"), published_on
    news.is_public, news.added_by = bool(public), user
    _stamp(news, user).save()
    return news


@transaction.atomic
def delete_news(user, news: NewsItem) -> None:
    _require(user, "information.change_owner", news)
    _stamp(news, user).delete()


@transaction.atomic
def set_news_public(user, news: NewsItem, public: bool) -> NewsItem:
    """The region puts a news item on the programme's open page, or takes it off."""
    _require(user, "information.publish_newsitem", news)
    news.is_public = bool(public)
    _stamp(news, user).save(update_fields=["is_public"])
    return news


@transaction.atomic
def save_site_section(user, owner: dict, url: str, *, check: bool = True) -> SiteSection:
    """Set the link to the programme's section on the organisation's site; the check runs in
    the background after the commit (``information.tasks.check_site_section``; the demo, which
    has no network, records its own result: ``check=False``).

    Example: https://kargasok-school.example/shnor for «МКОУ «Вертикосская СОШ»».
    """
    if owner["level"] == OrgLevel.REGION:
        raise ValidationError("Раздел сайта указывают муниципалитеты и школы.")
    probe = SiteSection(**owner)
    _require(user, "information.change_owner", probe)
    url = _clean_url(url, "Раздел сайта")
    lookup = {"school": owner["school"]} if owner["school"] else {
        "municipality": owner["municipality"], "level": OrgLevel.MUNICIPALITY
    }  # fmt: skip
    section = SiteSection.objects.select_for_update().filter(**lookup).first() or probe
    if section.pk and section.url == url and section.status != LinkStatus.UNCHECKED:
        return section
    section.url, section.updated_by = url, user
    section.status, section.note, section.checked_at = LinkStatus.PENDING, "проверяется…", None
    _stamp(section, user).save()
    section_id = section.pk
    if check:
        transaction.on_commit(lambda: tasks.check_site_section.enqueue(section_id))
    return section


def request_check(user, section: SiteSection) -> None:
    """Check the link again (in the background)."""
    _require(user, "information.change_owner", section)
    SiteSection.objects.filter(pk=section.pk).update(status=LinkStatus.PENDING, note="проверяется…")
    section_id = section.pk
    transaction.on_commit(lambda: tasks.check_site_section.enqueue(section_id))


def record_site_check(section_id: int) -> str | None:
    """Request the section's link and store what came back; the status, or None when the
    section is gone. Run by ``information.tasks``, never in a request: the request goes out
    before any row is locked, and the result is written only if the link is still the same
    (the organisation may have changed it meanwhile), as a system fact without an author."""
    section = SiteSection.objects.filter(pk=section_id).only("url").first()
    if section is None:
        return None
    status, note = links.check_link(section.url)
    SiteSection.objects.filter(pk=section_id, url=section.url).update(
        status=status, note=note[:300], checked_at=timezone.now()
    )
    return status


def sections_due(now=None, every_hours: int = 24) -> list[int]:
    """Sections whose last check is older than a day, or never done (a check queued more than
    ten minutes ago and still waiting is queued again): the schedule's work."""
    now = now or timezone.now()
    stale = now - timedelta(hours=every_hours)
    waiting = now - timedelta(minutes=10)
    return list(
        SiteSection.objects.filter(
            Q(checked_at__lt=stale) | Q(checked_at__isnull=True, updated_at__lt=waiting)
        ).values_list("pk", flat=True)
    )


def _clean_tags(tags: str | list[str]) -> list[str]:
    if isinstance(tags, str):
        tags = tags.replace(";", ",").split(",")
    result: list[str] = []
    for tag in tags:
        tag = " ".join(tag.split())[:50]  # as written: «ШНОР» stays an abbreviation
        if tag and tag.lower() not in {t.lower() for t in result}:
            result.append(tag)
    if len(result) > MAX_TAGS:
        raise ValidationError(f"Меток — не больше {MAX_TAGS}.")
    return result


@transaction.atomic
def publish_material(
    user,
    *,
    kind: str,
    title: str,
    description: str = "",
    tags: str | list[str] = "",
    url: str = "",
    upload=None,
    public: bool = False,
) -> Material:
    """Publish a material of the library: a file (PDF, Word, Excel, an image; size limited,
    the type told by content) or a link. The region's materials are everyone's; a
    municipality's are seen within its scope.

    Example: «Методические рекомендации по организации наставничества в ШНОР», вид
    «методические рекомендации», метки «наставничество, ШНОР», файл «наставничество.pdf».
    """
    _require(user, "information.add_material")
    if kind not in MaterialKind.values:
        raise ValidationError("Выберите вид материала.")
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError("Укажите название материала.")
    if len(title) > 500:
        raise ValidationError("Название материала длиннее 500 знаков.")
    if public:
        _require(user, "information.publish_material")
    url = (url or "").strip()
    if not url and upload is None:
        raise ValidationError("Приложите файл или укажите ссылку.")
    material = Material(
        kind=kind,
        title=title,
        description=(description or "").strip()[:5000],
        tags=_clean_tags(tags),
        url=_clean_url(url, "Материал") if url else "",
        municipality_id=user.municipality_id if user.role == Role.MUNICIPAL else None,
        is_public=bool(public),
        published_by=user,
        publisher_name=_publisher(user),
        published_at=timezone.now(),
    )
    if upload is not None:
        upload, mime = check_document_file(upload)
        material.original_name = (upload.name or "файл")[:255]
        material.content_type = mime
        material.file.save(upload.name or "material", upload, save=False)
    material.tag_text = ("|" + "|".join(material.tags) + "|").lower()
    material.search_text = index_text(title, material.description, " ".join(material.tags))
    try:
        with transaction.atomic():
            _stamp(material, user).save()
    except Exception:
        if material.file:  # the row is not there: neither is its file
            material.file.storage.delete(material.file.name)
        raise
    return material


def _publisher(user) -> str:
    """Who published, as the library shows it: the person and the organisation."""
    name = user.display_name if hasattr(user, "display_name") else user.get_username()
    if user.role == Role.MUNICIPAL and user.municipality_id:
        return f"{name} ({user.municipality.name})"
    return name


@transaction.atomic
def set_material_public(user, material: Material, public: bool) -> Material:
    _require(user, "information.publish_material", material)
    material.is_public = bool(public)
    _stamp(material, user).save(update_fields=["is_public"])
    return material


@transaction.atomic
def delete_material(user, material: Material) -> None:
    _require(user, "information.change_material", material)
    file = material.file
    _stamp(material, user).delete()
    if file:
        name = file.name
        transaction.on_commit(lambda: file.storage.delete(name))


@transaction.atomic
def link_to_event(user, material: Material, event_id: int) -> MaterialLink:
    """Name a material for a roadmap event the user may see."""
    _require(user, "information.view_material", material)
    event = RoadmapEvent.objects.filter(
        pk=event_id, roadmap__in=roadmaps_for(user).values("pk")
    ).first()
    if event is None:
        raise ValidationError("Мероприятие не найдено или недоступно.")
    _require_edit_roadmap_or_material(user, material, event.roadmap)
    return _link(user, MaterialLink(material=material, event=event, added_by=user))


@transaction.atomic
def link_to_recommendation(user, material: Material, recommendation_id: int) -> MaterialLink:
    """Name a material for a recommendation the user may see."""
    _require(user, "information.view_material", material)
    recommendation = recommendations_for(user).filter(pk=recommendation_id).first()
    if recommendation is None:
        raise ValidationError("Рекомендация не найдена или недоступна.")
    _require(user, "information.change_material", material)
    return _link(
        user, MaterialLink(material=material, recommendation=recommendation, added_by=user)
    )


def _require_edit_roadmap_or_material(user, material: Material, roadmap) -> None:
    if user.has_perm("information.change_material", material):
        return
    _require(user, "roadmaps.change_roadmap", roadmap)


def _link(user, link: MaterialLink) -> MaterialLink:
    try:
        with transaction.atomic():
            _stamp(link, user).save()
    except IntegrityError as exc:
        raise ValidationError("Этот материал уже связан с ним.") from exc
    return link


@transaction.atomic
def unlink(user, link: MaterialLink) -> None:
    if not user.has_perm("information.change_material", link.material):
        roadmap = link.event.roadmap if link.event_id else None
        _require(user, "roadmaps.change_roadmap", roadmap)
    _stamp(link, user).delete()
