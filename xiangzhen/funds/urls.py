from django.urls import path

from xiangzhen.funds import views

app_name = "funds"
urlpatterns = [
    path("", views.fund_list, name="list"),
    path("export/", views.fund_export, name="export"),
    path("review/", views.review_queue, name="review_queue"),
    path("new/", views.fund_create, name="create"),
    path("donations/template/", views.import_template, name="template"),
    path("<int:fund_id>/", views.fund_detail, name="detail"),
    path("<int:fund_id>/edit/", views.fund_edit, name="edit"),
    path("<int:fund_id>/act/", views.fund_act, name="act"),
    path("<int:fund_id>/review/", views.fund_review, name="review"),
    path("<int:fund_id>/projects/new/", views.project_create, name="project_create"),
    path("<int:fund_id>/donations/new/", views.donation_create, name="donation_create"),
    path("<int:fund_id>/donations/import/", views.donation_import, name="import"),
    path("<int:fund_id>/donations/export/", views.donation_export, name="donation_export"),
    path("<int:fund_id>/donations/<str:donation_number>/refund/", views.refund_create, name="refund_create"),
    path("<int:fund_id>/refunds/export/", views.refund_export, name="refund_export"),
    path("<int:fund_id>/disbursements/new/", views.disbursement_create, name="disbursement_create"),
    path("<int:fund_id>/disbursements/export/", views.disbursement_export, name="disbursement_export"),
    path("<int:fund_id>/disclosures/new/", views.disclosure_create, name="disclosure_create"),
    path("<int:fund_id>/disclosures/export/", views.disclosure_export, name="disclosure_export"),
    path("public/", views.public_list, name="public"),
    path("public/export/", views.public_export, name="public_export"),
    path("public/<int:fund_id>/", views.public_detail, name="public_detail"),
    path("public/<int:fund_id>/donations/export/", views.public_donations_export, name="public_donations_export"),
    path("public/<int:fund_id>/disclosures/export/", views.public_disclosures_export, name="public_disclosures_export"),
    path("public/projects/<int:project_id>/", views.public_project, name="public_project"),
    path("public/receipts/<str:donation_number>/", views.receipt, name="receipt"),
    path("public/receipts/<str:donation_number>/download/", views.receipt_download, name="receipt_download"),
]
