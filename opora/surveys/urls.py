"""URLs of questionnaires (under /surveys/, namespace «surveys»)."""

from django.urls import path

from opora.surveys import views as v

app_name = "surveys"
urlpatterns = [
    path("", v.campaign_list, name="campaign_list"),
    path("questionnaires/", v.questionnaire_list, name="questionnaire_list"),
    path("questionnaires/new/", v.questionnaire_create, name="questionnaire_create"),
    path("questionnaires/<int:pk>/", v.questionnaire_detail, name="questionnaire_detail"),
    path("questionnaires/<int:pk>/edit/", v.questionnaire_edit, name="questionnaire_edit"),
    path("questionnaires/<int:pk>/copy/", v.questionnaire_copy, name="questionnaire_copy"),
    path("questionnaires/<int:pk>/preview/", v.questionnaire_preview, name="questionnaire_preview"),
    path("questionnaires/<int:pk>/sections/new/", v.section_add, name="section_add"),
    path("questionnaires/<int:pk>/send/", v.campaign_create, name="campaign_create"),
    path("sections/<int:pk>/edit/", v.section_edit, name="section_edit"),
    path("sections/<int:pk>/delete/", v.section_delete, name="section_delete"),
    path("sections/<int:pk>/questions/new/", v.question_add, name="question_add"),
    path("questions/<int:pk>/edit/", v.question_edit, name="question_edit"),
    path("questions/<int:pk>/delete/", v.question_delete, name="question_delete"),
    path("questions/<int:pk>/<str:action>/", v.question_move, name="question_move"),
    path("campaigns/<int:pk>/", v.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/period/", v.campaign_period, name="campaign_period"),
    path("campaigns/<int:pk>/remind/", v.campaign_remind, name="campaign_remind"),
    path("campaigns/<int:pk>/answer/", v.answer_as_staff, name="answer_as_staff"),
    path("campaigns/<int:pk>/answer/<str:audience>/", v.answer_as_staff, name="answer_as_staff"),
    path("campaigns/<int:pk>/results/", v.campaign_results, name="campaign_results"),
    path("campaigns/<int:pk>/results.xlsx", v.campaign_export, name="campaign_export"),
    path("campaigns/<int:pk>/report/", v.campaign_report, name="campaign_report"),
    # Pupils and parents: the school's link, no sign-in.
    path("a/<str:token>/", v.answer_by_link, name="answer_by_link"),
    path("a/<str:token>/thanks/", v.thanks, name="thanks"),
]
