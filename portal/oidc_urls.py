"""/o/: the OpenID Connect provider's endpoints (django-oauth-toolkit). Registering and managing
client applications is for platform administrators only (anyone could register a look-alike
"official" client with their own redirect address); consent is skipped only for applications an
administrator marked first-party (`Application.skip_authorization`, in the Django admin), never
because a client asked for `approval_prompt=auto`. A person's own list of authorized applications
(and revoking them) stays open to everyone."""

from copy import copy
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import URLPattern, path
from oauth2_provider import urls as dot_urls
from oauth2_provider import views as dot_views

from accounts.selectors import user_is_platform_admin
from portal.oidc import SCOPE_DESCRIPTIONS

app_name = "oauth2_provider"


def administrators_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user_is_platform_admin(user=request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class AuthorizationView(dot_views.AuthorizationView):
    """DOT's consent page in the site's design and language (portal/oidc/authorize.html), except
    that a client cannot skip it with `approval_prompt=auto`: only a client an administrator marked
    first-party (`skip_authorization`) signs people in without asking."""

    template_name = "portal/oidc/authorize.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scopes = context.get("scopes") or []
        context["scope_items"] = [(scope, SCOPE_DESCRIPTIONS.get(scope, scope)) for scope in scopes]
        return context

    def post(self, request, *args, **kwargs):
        # The enterprise's name and credit code go only to a client the person ticked them for.
        scopes = request.POST.get("scope", "").split()
        if "enterprise" in scopes and request.POST.get("share_enterprise") != "on":
            request.POST = request.POST.copy()
            request.POST["scope"] = " ".join(s for s in scopes if s != "enterprise")
        return super().post(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if "approval_prompt" in request.GET:
            request.GET = request.GET.copy()
            request.GET["approval_prompt"] = "force"
        return super().get(request, *args, **kwargs)


def _guarded(pattern: URLPattern) -> URLPattern:
    if not str(pattern.pattern).startswith("applications/"):
        return pattern
    guarded = copy(pattern)
    guarded.callback = administrators_only(pattern.callback)
    return guarded


urlpatterns = [
    path("authorize/", AuthorizationView.as_view(), name="authorize"),
    *[p for p in dot_urls.base_urlpatterns if p.name != "authorize"],
    *[_guarded(p) for p in dot_urls.management_urlpatterns],
    *dot_urls.oidc_urlpatterns,
]
