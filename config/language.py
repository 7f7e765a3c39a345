"""Which language a request is answered in. Pages are Chinese by default whatever the browser
sends; English only when the user chose it (the language switch sets Django's language cookie). The
API (/api/) still honours Accept-Language, since machine clients such as yizhan-client ask for a
language explicitly."""

from django.middleware.locale import LocaleMiddleware

API_PREFIX = "/api/"


def browser_preference_ignored(path: str) -> bool:
    return not path.startswith(API_PREFIX)


class ChosenLanguageMiddleware(LocaleMiddleware):
    """LocaleMiddleware without the browser's Accept-Language on pages (module docstring)."""

    def process_request(self, request):
        if browser_preference_ignored(request.path):
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return super().process_request(request)
