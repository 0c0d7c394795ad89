"""The notification family's screen (NT001-NT004): which of its rules may find something in a
product, decided in one look at the product's children (see SCREEN in rules/__init__.py)."""

from __future__ import annotations

from onixfeed.validate.rules import first_text

_NONE: frozenset[str] = frozenset()
# The blocks a complete record may leave out, and may not send empty (NT002).
OPTIONAL_BLOCKS = ("CollateralDetail", "ContentDetail", "RelatedMaterial", "PromotionDetail", "ProductionDetail")


def screen(product, context) -> frozenset[str] | set[str]:
    """NT codes that may fire: a necessary condition of each rule, never its verdict."""
    children = context.children(product)
    suspects = None
    if "DescriptiveDetail" not in children or "PublishingDetail" not in children:
        suspects = {"NT001"}
    for name in OPTIONAL_BLOCKS:  # a plain loop: a generator costs more than the few lookups
        blocks = children.get(name)
        if blocks is not None:
            for block in blocks:
                if not len(block) or not isinstance(block[0].tag, str):
                    suspects = (suspects or set()) | {"NT002"}
    if "DeletionText" in children and (first_text(children, "NotificationType") or "").strip() != "05":
        suspects = (suspects or set()) | {"NT003"}
    if not _publishing_status_given(product, children, context):
        suspects = (suspects or set()) | {"NT004"}
    return suspects or _NONE


def _publishing_status_given(product, children, context) -> bool:
    """True when the first PublishingDetail holds a PublishingStatus (NT004 then has nothing to
    say), found among the index's PublishingStatus by parent: no children table for the block."""
    detail = children.get("PublishingDetail")
    if not detail:
        return False
    statuses = context.index(product).get("PublishingStatus")
    if statuses is None:
        return False
    first = detail[0]
    return any(status.getparent() is first for status in statuses)
