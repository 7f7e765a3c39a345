from django.urls import path

from reports import views_exports

app_name = "exports"

urlpatterns = [
    path("<slug:name>.<str:fmt>", views_exports.export_list, name="list"),
    path("notices/<str:reference>/<int:sequence>.pdf", views_exports.notice_pdf, name="notice_pdf"),
]
