from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    return HttpResponse("")
