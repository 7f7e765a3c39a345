from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.forms import RegistrationForm, ThrottledAuthenticationForm
from accounts.http import AuthenticatedHttpRequest
from accounts.selectors import memberships_of
from accounts.services import user_register
from config.exceptions import DomainError


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True


def register(request: HttpRequest) -> HttpResponse:
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_register(
                username=data["username"],
                password=data["password1"],
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                account_kind=data["account_kind"],
            )
        except DomainError as exc:
            field = "username" if exc.code == "username_taken" else "password1"
            form.add_error(field, str(exc))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Your account has been created."))
            return redirect("accounts:home")
    return render(request, "accounts/register.html", {"form": form})


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "accounts/home.html", {"memberships": memberships_of(user=request.user)})
