"""Small template helpers for tender pages."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def cny(value: Decimal | None) -> str:
    """CNY 1,234,567.89"""
    return "—" if value is None else f"¥{value:,.2f}"


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key, []) if mapping else []
