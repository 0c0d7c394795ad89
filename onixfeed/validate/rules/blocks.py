"""The notification family's screen (NT001-NT004): which of its rules may find something in a
product, decided in one look at the product's children (see SCREEN in rules/__init__.py)."""

from __future__ import annotations

from onixfeed.validate.rules import first_text

_NONE: frozenset[str] = frozenset()
_OPTIONAL_BLOCKS = ("CollateralDetail", "ContentDetail", "RelatedMaterial", "PromotionDetail", "ProductionDetail")


def screen(product, context) -> frozenset[str] | set[str]:
    """NT codes that may fire: a necessary condition of each rule, never its verdict."""
    children = context.children(product)
    suspects = None
    if "DescriptiveDetail" not in children or "PublishingDetail" not in children:
        suspects = {"NT001"}
    if any(not len(block) or not isinstance(block[0].tag, str)
           for name in _OPTIONAL_BLOCKS for block in children.get(name, ())):
        suspects = (suspects or set()) | {"NT002"}
    if "DeletionText" in children and (first_text(children, "NotificationType") or "").strip() != "05":
        suspects = (suspects or set()) | {"NT003"}
    if not _publishing_status_given(children, context):
        suspects = (suspects or set()) | {"NT004"}
    return suspects or _NONE


def _publishing_status_given(children, context) -> bool:
    """True when PublishingDetail holds a PublishingStatus (NT004 then has nothing to say)."""
    detail = children.get("PublishingDetail")
    return bool(detail) and "PublishingStatus" in context.children(detail[0])
