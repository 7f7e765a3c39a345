from django.urls import path

from procurement.api import views

urlpatterns = [
    path("methods/", views.MethodListView.as_view(), name="api-procurement-methods"),
    path("plans/", views.PlanListView.as_view(), name="api-procurement-plans"),
    path("plans/<int:pk>/submit/", views.PlanSubmitView.as_view(), name="api-procurement-plan-submit"),
]
