"""The one registry of legal variants: behaviours the contract allows that the reference does not choose.

A variant is a correct server that chose differently where the contract, the RFCs it cites and the design
leave room (design §8 #30: any open eligible staff member may be assigned; #31: any free unit). The suite
must pass against every variant; a failure on a variant is a defect of the suite, never of the variant.
Like a fault, a variant is a switch checked at one point in the code (``ctx.variant("name")``).
Switch variants on with ``caldasa-reference serve --variant NAME`` (repeatable).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Variant:
    name: str
    description: str
    allowed_by: str


VARIANTS: tuple[Variant, ...] = (
    Variant(
        "staff-highest-id",
        "a null staffMemberId gets the open eligible staff member with the highest id",
        "design §8 #30: any open eligible staff member may be assigned",
    ),
    Variant(
        "staff-random",
        "a null staffMemberId gets a random open eligible staff member",
        "design §8 #30: any open eligible staff member may be assigned",
    ),
    Variant(
        "unit-random",
        "an unpinned resource selection gets a random free unit of the type",
        "design §8 #31: any free unit of the type may be allocated",
    ),
)

VARIANT_NAMES: frozenset[str] = frozenset(variant.name for variant in VARIANTS)


class UnknownVariantError(ValueError):
    """A variant name that is not in the registry."""


def validate_variant_names(names: list[str] | tuple[str, ...] | frozenset[str]) -> frozenset[str]:
    """Return ``names`` as a frozenset, or raise :class:`UnknownVariantError` naming the valid variants."""
    unknown = sorted(set(names) - VARIANT_NAMES)
    if unknown:
        valid = ", ".join(variant.name for variant in VARIANTS)
        raise UnknownVariantError(f"unknown variant {', '.join(unknown)}; valid variants: {valid}")
    return frozenset(names)
