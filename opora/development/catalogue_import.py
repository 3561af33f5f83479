"""Import of the catalogue from Excel: plan, preview, apply all-or-nothing (the registry's
pattern). An offer with the same title and start date as one in the catalogue is updated;
areas are matched by title (a new title adds an area)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from opora.accounts.guards import require, stamp
from opora.core.intake.files import UploadError
from opora.core.intake.tables import read_table
from opora.development.importing import Rejection, name_key
from opora.development.models import CompetenceArea, Offer
from opora.development.readers.offers import HEADERS, read_offer


@dataclass
class OfferPlan:
    line: int
    action: str  # "create" | "update"
    fields: dict
    areas: list[str]
    offer_id: int | None = None
    new_areas: list[str] = field(default_factory=list)

    @property
    def is_new(self) -> bool:
        return self.action == "create"


@dataclass
class CataloguePlan:
    file_name: str = ""
    rows: list[OfferPlan] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected and bool(self.rows)

    @property
    def created(self) -> int:
        return sum(1 for r in self.rows if r.action == "create")

    @property
    def updated(self) -> int:
        return sum(1 for r in self.rows if r.action == "update")


def plan_catalogue_import(data: bytes, filename: str = "") -> CataloguePlan:
    table = read_table(data, filename)
    unknown = [h for h in table.headers if h and h not in HEADERS]
    if unknown:
        raise UploadError("Неизвестные столбцы: " + ", ".join(f"«{h}»" for h in unknown) + ".")
    if "название" not in table.headers or "вид" not in table.headers:
        raise UploadError("В файле нужны столбцы «Вид» и «Название».")
    if not table.rows:
        raise UploadError("В файле нет строк с данными.")
    areas = {name_key(a.title) for a in CompetenceArea.objects.all()}
    existing = {(name_key(o.title), o.starts_on): o.pk for o in Offer.objects.all()}
    plan = CataloguePlan(file_name=filename)
    seen: dict[tuple, int] = {}
    for line, values in table.rows:
        try:
            reading = read_offer(line, values)
            _fits(reading.fields)
        except ValueError as exc:
            plan.rejected.append(Rejection(line, "", str(exc)))
            continue
        key = (name_key(reading.fields["title"]), reading.fields["starts_on"])
        if key in seen:
            plan.rejected.append(Rejection(line, "", f"повторяет строку {seen[key]}"))
            continue
        seen[key] = line
        plan.rows.append(
            OfferPlan(
                line=line,
                action="update" if key in existing else "create",
                fields=reading.fields,
                areas=reading.areas,
                offer_id=existing.get(key),
                new_areas=[a for a in reading.areas if name_key(a) not in areas],
            )
        )
    return plan


def _fits(fields: dict) -> None:
    for name in ("title", "provider"):
        limit = Offer._meta.get_field(name).max_length
        if len(fields.get(name) or "") > limit:
            raise ValueError(f"«{Offer._meta.get_field(name).verbose_name}» длиннее {limit}")


@transaction.atomic
def apply_catalogue_import(user, plan: CataloguePlan) -> CataloguePlan:
    require(user, "development.change_offer")
    if plan.rejected or not plan.rows:
        raise UploadError("В файле есть ошибки — ничего не записано.")
    areas = {name_key(a.title): a for a in CompetenceArea.objects.all()}
    last = max((a.order for a in areas.values()), default=0)
    for row in plan.rows:
        for title in row.areas:
            if name_key(title) not in areas:
                last += 1
                area = stamp(CompetenceArea(title=title[:200], order=last), user)
                area.save()
                areas[name_key(title)] = area
        offer = Offer.objects.filter(pk=row.offer_id).first() if row.offer_id else Offer()
        offer = offer or Offer()
        for name, value in row.fields.items():
            setattr(offer, name, value)
        stamp(offer, user)
        offer.save()
        offer.areas.set([areas[name_key(t)] for t in row.areas])
    return plan
