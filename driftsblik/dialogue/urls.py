from django.urls import path

from driftsblik.dialogue import views

app_name = "dialogue"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("ny/", views.raise_challenge, name="raise"),
    path("opfoelgning/", views.quality, name="quality"),
    path("<int:challenge_id>/", views.thread, name="thread"),
    path("<int:challenge_id>/svar/", views.answer, name="answer"),
    path("<int:challenge_id>/opfoelgning/", views.follow_up, name="follow-up"),
    path("<int:challenge_id>/handling/", views.add_action, name="add-action"),
    path("handling/<int:action_id>/", views.action_status, name="action-status"),
]
