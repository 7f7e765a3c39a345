"""`{% demo_opening_panel %}`: on a demo installation, how to watch an opening ceremony (the home page)."""

from django import template

from bidding import demo as bidding_demo
from bidding.demo_opening import demo_opening_latest

register = template.Library()


@register.inclusion_tag("bidding/_demo_opening_panel.html")
def demo_opening_panel() -> dict:
    folder = bidding_demo.demo_key_dir()
    if folder is None:
        return {"shown": False}
    return {
        "shown": True,
        "tender": demo_opening_latest(),
        "folder": folder,
        "passphrase": bidding_demo.DEMO_KEY_PASSPHRASE,
    }
