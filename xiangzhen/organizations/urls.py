from django.urls import path

from xiangzhen.organizations import views

app_name = "organizations"
urlpatterns = [
    path("", views.organization_list, name="list"),
    path("export/", views.organization_export, name="export"),
    path("register/", views.register, name="register"),
    path("import/", views.organization_import, name="import"),
    path("import/template/", views.import_template, name="template"),
    path("invitations/<str:secret>/", views.accept_invitation, name="accept_invitation"),
    path("<int:organization_id>/", views.organization_detail, name="detail"),
    path("<int:organization_id>/edit/", views.organization_edit, name="edit"),
    path("<int:organization_id>/resubmit/", views.organization_resubmit, name="resubmit"),
    path("<int:organization_id>/review/", views.organization_review, name="review"),
    path("<int:organization_id>/members/", views.organization_members, name="members"),
    path("<int:organization_id>/members/invite/", views.organization_members, name="invite"),
    path("<int:organization_id>/members/<int:membership_id>/", views.member_update, name="member_update"),
    path(
        "<int:organization_id>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="revoke_invitation",
    ),
]
