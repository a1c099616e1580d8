from django.urls import path

from commune.dues import views

app_name = "dues"

urlpatterns = [
    path("dues/", views.mine, name="mine"),
    path("dues/units/<str:code>/", views.unit, name="unit"),
    path("dues/units/<str:code>/payments/", views.payment, name="payment"),
    path("dues/units/<str:code>/import/", views.upload, name="import"),
    path("dues/units/<str:code>/members/<str:number>/", views.member, name="member"),
]
