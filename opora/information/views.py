"""Information support pages. Thin: parse, call a selector or a service, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from opora.core.ids import MAX_ID
from opora.core.views import fail
from opora.information import selectors, services
from opora.information.forms import MaterialForm, NewsForm, SiteSectionForm
from opora.information.models import MaterialKind, MaterialLink, NewsItem, OrgLevel
from opora.roadmaps.evidence import ALLOWED


def _id(value) -> int | None:
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def _month(value: str) -> tuple[int, int]:
    """«2026-12» → (2026, 12); anything else → this month."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
    except ValueError:
        return selectors.this_month()
    if 2000 <= year <= 2100 and 1 <= month <= 12:
        return year, month
    return selectors.this_month()


def _shift(year: int, month: int, by: int) -> str:
    index = year * 12 + month - 1 + by
    return f"{index // 12}-{index % 12 + 1:02d}"


def overview(request):
    user = request.user
    year, month = _month(request.GET.get("month", ""))
    owner = services.own_owner(user)
    own_section = None
    if owner and owner["level"] != OrgLevel.REGION:
        own_section = (
            selectors.sections_for(user)
            .filter(
                level=owner["level"], municipality=owner["municipality"], school=owner["school"]
            )
            .first()
        )
    news = list(selectors.news_of_month(user, year, month).order_by("-published_on", "-pk"))
    return render(
        request,
        "information/overview.html",
        {
            "board": selectors.month_board(user, year, month),
            "news": news,
            "owner": owner,
            # A region keeps no site section of its own here.
            "keeps_section": bool(owner) and owner["level"] != OrgLevel.REGION,
            "own_section": own_section,
            "news_form": NewsForm(initial={"published_on": timezone.localdate()}),
            "section_form": SiteSectionForm(
                initial={"url": own_section.url if own_section else ""}
            ),
            "can_publish": user.has_perm("information.publish_newsitem"),
            "month_value": f"{year}-{month:02d}",
            "previous_month": _shift(year, month, -1),
            "next_month": _shift(year, month, 1),
        },
    )


@require_POST
def news_add(request):
    user = request.user
    owner = services.own_owner(user)
    form = NewsForm(request.POST)
    if owner is None:
        messages.error(request, "Новости добавляют регион, муниципалитеты и школы.")
    elif not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            news = services.add_news(
                user,
                owner,
                title=form.cleaned_data["title"],
                url=form.cleaned_data["url"],
                published_on=form.cleaned_data["published_on"],
                public=form.cleaned_data["public"],
            )
        except (ValidationError, PermissionDenied) as exc:
            fail(request, exc)
        else:
            messages.success(request, f"Новость «{news.title}» добавлена.")
            d = news.published_on
            return redirect(f"{reverse('information:overview')}?month={d.year}-{d.month:02d}")
    return redirect("information:overview")


def _form_errors(form) -> str:
    return " ".join(
        f"{form.fields[name].label}: {' '.join(errors)}"
        if name in form.fields
        else " ".join(errors)
        for name, errors in form.errors.items()
    )


def _news_or_404(user, pk: int) -> NewsItem:
    news = selectors.news_for(user).filter(pk=pk).first() if pk <= MAX_ID else None
    if news is None:
        raise Http404
    return news


@require_POST
def news_delete(request, pk: int):
    news = _news_or_404(request.user, pk)
    try:
        services.delete_news(request.user, news)
    except PermissionDenied as exc:
        fail(request, exc)
    else:
        messages.success(request, "Новость удалена.")
    return redirect("information:overview")


@require_POST
def news_public(request, pk: int):
    news = _news_or_404(request.user, pk)
    try:
        services.set_news_public(request.user, news, request.POST.get("public") == "1")
    except PermissionDenied as exc:
        fail(request, exc)
    d = news.published_on
    return redirect(f"{reverse('information:overview')}?month={d.year}-{d.month:02d}")


@require_POST
def section_save(request):
    user = request.user
    owner = services.own_owner(user)
    form = SiteSectionForm(request.POST)
    if owner is None or owner["level"] == "region":
        messages.error(request, "Раздел сайта указывают муниципалитеты и школы.")
    elif not form.is_valid():
        messages.error(request, _form_errors(form))
    else:
        try:
            services.save_site_section(user, owner, form.cleaned_data["url"])
        except (ValidationError, PermissionDenied) as exc:
            fail(request, exc)
        else:
            messages.success(request, "Ссылка сохранена; проверка идёт в фоне, обновите страницу.")
    return redirect("information:overview")


@require_POST
def section_check(request, pk: int):
    user = request.user
    section = selectors.sections_for(user).filter(pk=pk).first() if pk <= MAX_ID else None
    if section is None:
        raise Http404
    try:
        with transaction.atomic():
            services.request_check(user, section)
    except PermissionDenied as exc:
        fail(request, exc)
    else:
        messages.success(request, "Проверка ссылки поставлена в очередь.")
    return redirect("information:overview")


# The library ----------------------------------------------------------------------------


def library(request):
    user = request.user
    f = selectors.LibraryFilter(
        q=request.GET.get("q", "")[:200],
        kind=request.GET.get("kind", ""),
        tag=request.GET.get("tag", "")[:50],
    )
    materials = selectors.library(user, f)
    page = Paginator(materials, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "information/library.html",
        {
            "page": page,
            "filter": f,
            "kinds": MaterialKind.choices,
            "tags": selectors.tags_of(
                selectors.materials_for(user).select_related(None).only("tags")
            ),
            "can_add": user.has_perm("information.add_material"),
        },
    )


def material_new(request):
    user = request.user
    if not user.has_perm("information.add_material"):
        raise Http404
    form = MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            material = services.publish_material(
                user,
                kind=data["kind"],
                title=data["title"],
                description=data["description"],
                tags=data["tags"],
                url=data["url"],
                upload=data["file"],
                public=data["public"],
            )
        except (ValidationError, PermissionDenied) as exc:
            fail(request, exc)
        else:
            messages.success(request, f"Материал «{material.title}» опубликован.")
            return redirect("information:material", material.pk)
    return render(
        request,
        "information/material_form.html",
        {"form": form, "can_publish": user.has_perm("information.publish_material")},
    )


def _material_or_404(user, pk: int):
    material = selectors.material_for(user, pk) if pk <= MAX_ID else None
    if material is None:
        raise Http404
    return material


def material_detail(request, pk: int):
    user = request.user
    material = _material_or_404(user, pk)
    can_change = user.has_perm("information.change_material", material)
    return render(
        request,
        "information/material.html",
        {
            "material": material,
            "links": selectors.links_of(user, material),
            "can_change": can_change,
            "can_publish": user.has_perm("information.publish_material", material),
            "recommendations": selectors.recommendation_choices(user) if can_change else [],
        },
    )


def material_file(request, pk: int):
    material = _material_or_404(request.user, pk)
    return download(material)


def download(material) -> FileResponse:
    """The material's file as a download: never shown inline (an HTML file must not run on our
    origin), the type its content was found to have."""
    if not material.file:
        raise Http404
    content_type = material.content_type if material.content_type in ALLOWED else None
    response = FileResponse(
        material.file.open("rb"),
        as_attachment=True,
        filename=material.original_name or "материал",
        content_type=content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def material_public(request, pk: int):
    material = _material_or_404(request.user, pk)
    try:
        services.set_material_public(request.user, material, request.POST.get("public") == "1")
    except PermissionDenied as exc:
        fail(request, exc)
    return redirect("information:material", material.pk)


@require_POST
def material_delete(request, pk: int):
    material = _material_or_404(request.user, pk)
    try:
        services.delete_material(request.user, material)
    except PermissionDenied as exc:
        fail(request, exc)
        return redirect("information:material", material.pk)
    messages.success(request, "Материал удалён.")
    return redirect("information:library")


@require_POST
def link_new(request):
    """Name a material (``material``) for an event (``event``) or a recommendation
    (``recommendation``); back to ``back`` (the roadmap's page) or to the material."""
    user = request.user
    material_id = _id(request.POST.get("material"))
    if material_id is None:
        raise Http404
    material = _material_or_404(user, material_id)
    event_id = _id(request.POST.get("event"))
    recommendation_id = _id(request.POST.get("recommendation"))
    back = request.POST.get("back") or ""
    try:
        if event_id:
            services.link_to_event(user, material, event_id)
        elif recommendation_id:
            services.link_to_recommendation(user, material, recommendation_id)
        else:
            raise ValidationError("Выберите мероприятие или рекомендацию.")
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, "Материал связан.")
    if back.startswith("/") and not back.startswith("//"):
        return redirect(back)
    return redirect("information:material", material.pk)


@require_POST
def link_delete(request, pk: int):
    user = request.user
    link = (
        MaterialLink.objects.select_related("material", "event__roadmap")
        .filter(pk=pk, material__in=selectors.materials_for(user).values("pk"))
        .first()
        if pk <= MAX_ID
        else None
    )
    if link is None:
        raise Http404
    visible = selectors.links_of(user, link.material)
    if link not in visible.events + visible.recommendations:
        raise Http404
    try:
        services.unlink(user, link)
    except PermissionDenied as exc:
        fail(request, exc)
    else:
        messages.success(request, "Связь снята.")
    return redirect("information:material", link.material_id)
