"""Campaigns made before a campaign could ask several audiences: each keeps its one audience
and questionnaire (``CampaignAudience``), each school its link (the same token, so links
already handed out keep working), and the answers and totals learn their audience."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

ANONYMOUS = ("pupils", "parents")


def forward(apps, schema_editor):
    Campaign = apps.get_model("surveys", "Campaign")
    CampaignAudience = apps.get_model("surveys", "CampaignAudience")
    CampaignSchool = apps.get_model("surveys", "CampaignSchool")
    SchoolLink = apps.get_model("surveys", "SchoolLink")
    Response = apps.get_model("surveys", "Response")
    Answer = apps.get_model("surveys", "Answer")
    Tally = apps.get_model("surveys", "Tally")
    audiences = dict(Campaign.objects.values_list("pk", "questionnaire__audience"))
    CampaignAudience.objects.bulk_create(
        CampaignAudience(campaign_id=pk, audience=audience, questionnaire_id=questionnaire)
        for pk, audience, questionnaire in Campaign.objects.values_list(
            "pk", "questionnaire__audience", "questionnaire_id"
        )
    )
    SchoolLink.objects.bulk_create(
        (
            SchoolLink(target_id=pk, audience=audiences[campaign], token=token)
            for pk, campaign, token in CampaignSchool.objects.filter(
                campaign__questionnaire__audience__in=ANONYMOUS
            ).values_list("pk", "campaign_id", "token")
        ),
        batch_size=2000,
    )
    Answer.objects.update(
        audience=Subquery(Response.objects.filter(pk=OuterRef("response_id")).values("audience"))
    )
    for audience in set(audiences.values()):
        Tally.objects.filter(campaign__questionnaire__audience=audience).update(audience=audience)


def backward(apps, schema_editor):
    apps.get_model("surveys", "SchoolLink").objects.all().delete()
    apps.get_model("surveys", "CampaignAudience").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0003_campaign_audiences")]

    operations = [migrations.RunPython(forward, backward)]
