"""Routes of the citizen services (in the `portal` namespace, added by portal.service_urls)."""

from django.urls import path

from portal import citizen_views as views

urlpatterns = [
    path("applications/<str:reference>/rate/", views.application_rate, name="application_rate"),
    path("staff/ratings/", views.staff_ratings, name="staff_ratings"),
    path("staff/ratings/<int:pk>/", views.staff_rating, name="staff_rating"),
    path("track/", views.track, name="track"),
    path("appointments/", views.offices, name="offices"),
    path("appointments/<slug:code>/", views.office, name="office"),
    path("my/appointments/", views.my_appointments, name="my_appointments"),
    path("my/appointments/<str:number>/cancel/", views.appointment_cancel, name="appointment_cancel"),
]
