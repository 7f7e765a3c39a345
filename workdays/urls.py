from django.urls import path

from workdays import views

app_name = "workdays"
urlpatterns = [
    path("", views.years, name="years"),
    path("import/", views.notice_import, name="import"),
    path("<int:year>/", views.year_detail, name="year"),
    path("<int:year>/confirm/", views.year_confirm, name="confirm"),
]
