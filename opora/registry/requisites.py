"""The requisites a region's documents take from the registry: which body issues them and
where («Областное государственное … институт …», «г. Томск»). Nothing of a particular region is
written in code: a region that loads its own organisations gets its own headers.
"""

from __future__ import annotations

from dataclasses import dataclass

from opora.registry.models import Municipality, Organisation, OrganisationKind, Region


@dataclass(frozen=True)
class Issuer:
    """The organisation a document is issued by, as the header writes it, and its place;
    who signs its documents («Начальник департамента» / «И.Б. Грабцевич») and its phone."""

    organisation: str
    place: str
    signer: str = ""
    phone: str = ""
    full_name: str = ""  # the name without the short one in brackets (for appendix marks)


def place_of(municipality: Municipality | None) -> str:
    """«Город Томск» → «г. Томск»; a district is not a place a document is signed in: «»."""
    name = municipality.name if municipality is not None else ""
    return f"г. {name.split(' ', 1)[1]}" if name.startswith("Город ") else ""


def header_name(organisation: Organisation) -> str:
    """«Областное … работников образования» (ТОИПКРО): the full name, the short one after it."""
    short = organisation.short_name.strip()
    if not short or short in organisation.name:
        return organisation.name
    return f"{organisation.name} ({short})"


def issuer(kind: str, municipality: Municipality | None = None, *, short=False) -> Issuer:
    """The first organisation of ``kind`` (of ``municipality`` when given) from the registry;
    an empty header when the registry has none, for the official to fill in the draft.
    ``short``: the short name in brackets after the full one, as the institute signs."""
    organisations = Organisation.objects.filter(kind=kind).select_related("municipality")
    if municipality is not None:
        organisations = organisations.filter(municipality=municipality)
    organisation = organisations.order_by("pk").first()
    place = place_of(municipality) if municipality is not None else region_centre()
    if organisation is None:
        return Issuer("", place)
    if organisation.municipality is not None:
        place = place_of(organisation.municipality)
    return Issuer(
        header_name(organisation) if short else organisation.name,
        place,
        signer=signature_of(organisation),
        phone=organisation.phone.strip(),
        full_name=organisation.name,
    )


def signature_of(organisation: Organisation | None) -> str:
    """«Начальник департамента\nИ.Б. Грабцевич» (ГОСТ, п. 5.22), or «» when the registry
    does not say who heads the organisation."""
    if organisation is None or not organisation.head_name.strip():
        return ""
    position = organisation.head_position.strip() or "Руководитель"
    return f"{position}\n{organisation.head_name.strip()}"


def region_centre() -> str:
    """Where the region's bodies sign their documents («г. Томск»: ``Region.centre``)."""
    return Region.objects.exclude(centre="").values_list("centre", flat=True).first() or ""


def regional_operator() -> Issuer:
    return issuer(OrganisationKind.REGIONAL_OPERATOR, short=True)


def regional_authority() -> Issuer:
    return issuer(OrganisationKind.REGIONAL_AUTHORITY)


def municipal_authority(municipality: Municipality) -> Issuer:
    return issuer(OrganisationKind.MUNICIPAL_AUTHORITY, municipality)
