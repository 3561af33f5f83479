"""Importing a roadmap file: upload, column mapping, preview, adding unknown bodies, saving.

The file waits in ``core.pending`` from the upload to the confirmation; every step in between
(choosing the columns of a table whose header was not understood, adding an executor the
registry does not know) changes only what waits beside it and shows the preview again, read
afresh from the file. Nothing is written to the roadmaps until «Сохранить».
"""

from __future__ import annotations

import re
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from opora.core import contributions, pending
from opora.core.intake.files import UploadError, read_bytes
from opora.core.once import submit_once
from opora.core.russian.plurals import count as ru_count
from opora.core.views import fail
from opora.registry import services as registry_services
from opora.registry.models import Organisation, OrganisationKind
from opora.registry.selectors import municipalities_for, schools_for
from opora.roadmaps import selectors
from opora.roadmaps.forms import ImportForm
from opora.roadmaps.importing import RoadmapImportPlan, apply_roadmap_import, plan_roadmap_import
from opora.roadmaps.periods import parse_period
from opora.roadmaps.table_reader import (
    COLUMN_KEYS,
    ColumnsNeeded,
    ParsedRoadmap,
    RoadmapFileError,
    read_roadmap,
)

_IMPORT_KEY = "roadmap_import"

#: What a column may be, as the mapping step offers it.
COLUMN_CHOICES = (
    ("", "— не использовать —"),
    ("number", "№ мероприятия"),
    ("text", "Мероприятие"),
    ("deadline", "Сроки"),
    ("executors", "Ответственные"),
    ("indicator", "Показатель"),
    ("evidence", "Результат, документ"),
)
_PLACEHOLDER_RE = re.compile(r"колонка \d+")
_SHORT_NAME_RE = re.compile(r"\(\s*далее\s*[-–—:]?\s*([^()]{2,100}?)\s*\)", re.IGNORECASE)


def _form(request, data=None, files=None, initial=None) -> ImportForm:
    user = request.user
    return ImportForm(
        data,
        files,
        municipalities=municipalities_for(user, with_counts=False),
        schools=schools_for(user),
        initial=initial
        or {
            "level": "municipality" if user.municipality_id else "region",
            "municipality": user.municipality_id,
            "school": user.school_id,
        },
    )


def _owner(user, meta: dict):
    """(municipality, school) of the stashed import, re-read within the user's scope."""
    municipality = (
        municipalities_for(user).filter(pk=meta["municipality"]).first()
        if meta.get("municipality")
        else None
    )
    school = schools_for(user).filter(pk=meta["school"]).first() if meta.get("school") else None
    return municipality, school


def _columns(meta: dict) -> dict | None:
    """The mapping to read the file with: the body's remembered wordings, then this file's."""
    return {**meta.get("remembered", {}), **meta.get("columns", {})} or None


def _period(meta: dict, parsed: ParsedRoadmap):
    if meta.get("period"):
        return tuple(date.fromisoformat(p) for p in meta["period"])
    return parse_period(meta.get("title", "")) or parse_period(parsed.title)


def _mapping(headers: list[str], samples: list[list[str]], keys: list, reason: str) -> dict:
    """The mapping step: one choice per column, with what its first rows hold."""
    columns = []
    for index, header in enumerate(headers):
        examples = [row[index] for row in samples if index < len(row) and row[index]]
        columns.append(
            {
                "position": index + 1,
                "header": header,
                "examples": examples[:3],
                "key": (keys[index] if index < len(keys) else "") or "",
            }
        )
    return {"columns": columns, "choices": COLUMN_CHOICES, "reason": reason}


def _unknown_executors(plan: RoadmapImportPlan) -> list[dict]:
    """Each executor not found in the registry, once, with a proposed short name."""
    seen: dict[str, dict] = {}
    for event in plan.events:
        for executor in event.executors:
            written = executor.written
            if executor.known or not written or executor.person:
                continue
            item = seen.setdefault(
                written.lower(), {"written": written, "events": 0, **_names_of(written)}
            )
            item["events"] += 1
    return list(seen.values())


def _unknown_people(plan: RoadmapImportPlan) -> list[dict]:
    """Each person the plan names and the registry does not know, once, with the position."""
    seen: dict[str, dict] = {}
    for event in plan.events:
        for executor in event.executors:
            if executor.known or not executor.person:
                continue
            item = seen.setdefault(
                executor.person.casefold(),
                {"name": executor.person, "position": executor.qualifier, "events": 0},
            )
            item["position"] = item["position"] or executor.qualifier
            item["events"] += 1
    return list(seen.values())


def _person_directory(user):
    """The people registry's hook, when it is installed and lets ``user`` add people."""
    return next((d for d in contributions.person_directories() if d.can_add(user)), None)


def _person_places(user, meta: dict) -> list:
    """Organisations a person added from the preview may belong to: the roadmap's body's."""
    municipality, school = _owner(user, meta)
    if municipality is None and school is not None:
        municipality = school.municipality
    if meta.get("level") == "region":
        return list(Organisation.objects.filter(municipality__isnull=True))
    return list(Organisation.objects.filter(municipality=municipality)) if municipality else []


def _names_of(written: str) -> dict:
    """«Министерство просвещения (далее – Министерство)» → full and short name."""
    match = _SHORT_NAME_RE.search(written)
    full = _SHORT_NAME_RE.sub("", written).strip(" ,;") if match else written
    short = match.group(1).strip() if match else written
    return {"name": full[:500], "short_name": short[:100]}


def _step(request, data: bytes, meta: dict, *, remap: bool = False) -> dict:
    """What the page shows for the waiting file: an error, the mapping step or the preview."""
    user = request.user
    try:
        parsed = read_roadmap(data, meta["name"], columns=_columns(meta))
    except ColumnsNeeded as exc:
        return {"mapping": _mapping(exc.headers, exc.samples, [], str(exc))}
    except RoadmapFileError as exc:
        return {"error": str(exc)}
    if remap:
        reason = "Проверьте, как прочитана каждая колонка, и исправьте, где нужно."
        return {"mapping": _mapping(parsed.header_names, [], parsed.header_keys, reason)}
    period = _period(meta, parsed)
    if period is None:
        return {"error": "Не удалось определить период карты — укажите его, например 2023."}
    municipality, school = _owner(user, meta)
    plan = plan_roadmap_import(
        parsed, period, municipality or (school.municipality if school else None)
    )
    step = {
        "preview": plan,
        "mapped": bool(meta.get("columns")),
        "remembered": bool(meta.get("remembered")),
    }
    if user.has_perm("registry.add_organisation"):
        step["unknown_executors"] = _unknown_executors(plan)
        step["organisation_kinds"] = OrganisationKind.choices
        step["default_organisation_kind"] = OrganisationKind.OTHER
    if _person_directory(user) is not None:
        step["unknown_people"] = _unknown_people(plan)
        step["person_places"] = _person_places(user, meta)
    return step


def _render(request, form, step: dict):
    context = {"form": form, "preview": None, "error": None, "mapping": None, **step}
    return render(request, "roadmaps/import.html", context)


def roadmap_import(request):
    user = request.user
    if not user.has_perm("roadmaps.add_roadmap"):
        raise PermissionDenied
    form = _form(request, request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _render(request, form, {})
    d = form.cleaned_data
    try:
        data = read_bytes(d["file"])
    except UploadError as exc:
        return _render(request, form, {"error": str(exc)})
    municipality = d["municipality"] if d["level"] == "municipality" else None
    school = d["school"] if d["level"] == "school" else None
    meta = {
        "name": d["file"].name,
        "level": d["level"],
        "municipality": municipality.pk if municipality else None,
        "school": school.pk if school else None,
        "owner_name": d["owner_name"],
        "title": d["title"],
        "period": [p.isoformat() for p in d["period"]] if d["period"] else None,
        "remembered": selectors.remembered_columns(d["level"], municipality, school),
        "columns": {},
    }
    step = _step(request, data, meta)
    if "error" in step:
        pending.discard(request, _IMPORT_KEY)
    else:
        pending.stash(request, _IMPORT_KEY, data, **meta)
    return _render(request, form, step)


def _waiting(request):
    """(data, meta) of the file waiting for confirmation, or None."""
    meta = pending.peek(request, _IMPORT_KEY)
    data = pending.read(meta["token"]) if meta else None
    if data is None:
        return None
    return data, meta


def roadmap_import_preview(request):
    """The waiting file's preview again (after a mapping or a new organisation)."""
    if not request.user.has_perm("roadmaps.add_roadmap"):
        raise PermissionDenied
    waiting = _waiting(request)
    if waiting is None:
        messages.error(request, "Файл для проверки не найден — загрузите его ещё раз.")
        return redirect("roadmaps:import")
    data, meta = waiting
    initial = {k: meta.get(k) for k in ("level", "municipality", "school", "owner_name", "title")}
    step = _step(request, data, meta, remap=request.GET.get("columns") == "1")
    return _render(request, _form(request, initial=initial), step)


def _chosen_columns(post, count: int) -> tuple[dict[str, str | None], str]:
    """The user's mapping by column number, or a Russian reason to ask again."""
    chosen: dict[str, str | None] = {}
    for position in range(1, count + 1):
        key = post.get(f"column_{position}", "")
        if key and key not in COLUMN_KEYS:
            return {}, "Выберите для каждой колонки значение из списка."
        chosen[str(position)] = key or None
    keys = [key for key in chosen.values() if key]
    repeated = sorted({dict(COLUMN_CHOICES)[k] for k in keys if keys.count(k) > 1})
    if repeated:
        return {}, "Одно и то же выбрано для нескольких колонок: " + ", ".join(
            f"«{label}»" for label in repeated
        )
    if "text" not in keys or not {"deadline", "executors"} & set(keys):
        return {}, "Укажите колонку мероприятия и хотя бы одну из колонок сроков или ответственных."
    return chosen, ""


@require_POST
def roadmap_import_columns(request):
    """The mapping step answered: the file is read again with the chosen columns."""
    if not request.user.has_perm("roadmaps.add_roadmap"):
        raise PermissionDenied
    waiting = _waiting(request)
    if waiting is None:
        messages.error(request, "Файл для проверки не найден — загрузите его ещё раз.")
        return redirect("roadmaps:import")
    headers = [h[:300] for h in request.POST.getlist("header")][:60]
    chosen, problem = _chosen_columns(request.POST, len(headers))
    if problem:
        messages.error(request, problem)
        return redirect("roadmaps:import_preview")
    session = dict(request.session[_IMPORT_KEY])
    session["columns"] = chosen
    session["headers"] = headers
    request.session[_IMPORT_KEY] = session
    return redirect("roadmaps:import_preview")


def _wordings(meta: dict) -> dict[str, str | None]:
    """The chosen mapping by header wording, so that the next file of the body is read the same
    way even with its columns in another order; an unnamed column is kept by its number."""
    headers = meta.get("headers", [])
    remembered: dict[str, str | None] = {}
    for position, key in meta.get("columns", {}).items():
        header = headers[int(position) - 1] if int(position) <= len(headers) else ""
        named = header and not _PLACEHOLDER_RE.fullmatch(header)
        remembered[header if named else position] = key
    return remembered


@require_POST
def roadmap_import_organisation(request):
    """Add an executor the preview did not find to the registry, then show the preview again."""
    user = request.user
    waiting = _waiting(request)
    if waiting is None:
        messages.error(request, "Файл для проверки не найден — загрузите его ещё раз.")
        return redirect("roadmaps:import")
    _, meta = waiting
    municipality, school = _owner(user, meta)
    if municipality is None and school is not None:
        municipality = school.municipality
    written = " ".join(request.POST.get("name", "").split())
    short_name = " ".join(request.POST.get("short_name", "").split())
    if not written or not short_name:
        messages.error(request, "Укажите полное и краткое наименование организации.")
        return redirect("roadmaps:import_preview")
    try:
        organisation = registry_services.add_organisation(
            user,
            name=written,
            short_name=short_name,
            kind=request.POST.get("kind", ""),
            municipality=municipality if meta["level"] != "region" else None,
            abbreviations=[written, *_names_of(request.POST.get("written", "")).values()],
        )
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, f"Организация «{organisation.short_name}» добавлена в реестр.")
    return redirect("roadmaps:import_preview")


@require_POST
def roadmap_import_person(request):
    """Add a person the preview did not find to the people registry, then show it again."""
    user = request.user
    directory = _person_directory(user)
    if directory is None:
        raise PermissionDenied
    waiting = _waiting(request)
    if waiting is None:
        messages.error(request, "Файл для проверки не найден — загрузите его ещё раз.")
        return redirect("roadmaps:import")
    _, meta = waiting
    name = " ".join(request.POST.get("name", "").split())[:200]
    position = " ".join(request.POST.get("position", "").split())[:500]
    places = {str(o.pk): o for o in _person_places(user, meta)}
    chosen = request.POST.get("organisation", "")
    if chosen and chosen not in places:
        messages.error(request, "Выберите организацию из списка.")
        return redirect("roadmaps:import_preview")
    _, school = _owner(user, meta)
    try:
        added = directory.add(user, name, position, places.get(chosen), school)
    except (ValidationError, PermissionDenied) as exc:
        fail(request, exc)
    else:
        messages.success(request, f"Сотрудник «{added}» добавлен в реестр.")
    return redirect("roadmaps:import_preview")


@submit_once
@require_POST
def roadmap_import_confirm(request):
    user = request.user
    stashed = pending.take(request, _IMPORT_KEY)
    if stashed is None:
        messages.error(request, "Файл для сохранения не найден — загрузите его ещё раз.")
        return redirect("roadmaps:import")
    data, meta = stashed
    municipality, school = _owner(user, meta)
    try:
        parsed = read_roadmap(data, meta["name"], columns=_columns(meta))
        period = _period(meta, parsed)
        if period is None:
            raise RoadmapFileError("Не удалось определить период карты.")
        plan = plan_roadmap_import(
            parsed, period, municipality or (school.municipality if school else None)
        )
        roadmap = apply_roadmap_import(
            user,
            plan,
            level=meta["level"],
            title=meta.get("title") or parsed.title,
            municipality=municipality,
            school=school,
            owner_name=meta["owner_name"],
            source_name=meta["name"],
            columns=_wordings(meta),
        )
    except (RoadmapFileError, ValidationError, PermissionDenied) as exc:
        messages.error(request, f"Карта не сохранена, ничего не записано: {exc}")
        return redirect("roadmaps:import")
    events = ru_count(roadmap.events.count(), "мероприятие", "мероприятия", "мероприятий")
    messages.success(request, f"Дорожная карта сохранена как черновик: {events}.")
    return redirect("roadmaps:detail", roadmap.pk)
