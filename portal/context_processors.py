"""`display_classes` for base.html's <body>: elder-friendly mode and high contrast, remembered per
user (DisplayPreference) or, before signing in, for the session."""

from django.http import HttpRequest


def display(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    elder = contrast = False
    if user is not None and user.is_authenticated:
        from portal.models import DisplayPreference

        preference = DisplayPreference.objects.filter(user=user).only("elder_mode", "high_contrast").first()
        if preference is not None:
            elder, contrast = preference.elder_mode, preference.high_contrast
    elif hasattr(request, "session"):
        elder, contrast = (
            request.session.get("elder_mode", False),
            request.session.get("high_contrast", False),
        )
    classes = " ".join(c for c, on in (("yz-elder", elder), ("yz-contrast", contrast)) if on)
    return {"display_classes": classes, "display_elder": elder, "display_contrast": contrast}
