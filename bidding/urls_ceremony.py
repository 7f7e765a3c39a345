"""Pages of the opening ceremony, under /opening/."""

from django.urls import path

from bidding import views_ceremony

app_name = "ceremony"

urlpatterns = [
    path("<str:reference>/", views_ceremony.ceremony_room, name="room"),
    path("<str:reference>/record/", views_ceremony.opening_record, name="record"),
]
