"""/console/cases/: work queues, the case page, its actions, the staff view
of uploaded files and issued documents, and answering assist requests
(R2.2, R5.3, R5.4, R6.1, R6.3, R6.9)."""

from django.urls import path

from yiwang.web.console.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<str:number>/", views.case_page, name="case"),
    path("<str:number>/act/<slug:action>/", views.act, name="act"),
    path("<str:number>/materials/<int:pk>/", views.material_file, name="material"),
    path("<str:number>/documents/<int:pk>/", views.document_file, name="document"),
    path("<str:number>/attachments/<int:pk>/", views.attachment_file, name="attachment"),
    path("<str:number>/assist/<int:pk>/", views.assist_answer, name="assist"),
]
