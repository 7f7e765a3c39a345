from django.urls import path

from bidding.api import ceremony

urlpatterns = [
    path("<str:reference>/slots/", ceremony.SlotsView.as_view(), name="api-opening-slots"),
    path("<str:reference>/shares/", ceremony.SharesView.as_view(), name="api-opening-shares"),
]
