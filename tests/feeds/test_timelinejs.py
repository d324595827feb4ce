"""TimelineJS JSON of a storyline: dates at each item's precision, a group
per kind, the attribution in the text, the cited source as media; and the
storyline's export, for editors only."""

from django.urls import reverse

from tests.factories import PASSWORD


def slides(client, record) -> dict:
    response = client.get(reverse("api-v1:storyline-timelinejs", kwargs={"slug": record.storyline.slug}))
    assert response.status_code == 200
    return {slide["unique_id"]: slide for slide in response.json()["events"]}


def test_dates_are_as_precise_as_the_item(client, record):
    shown = slides(client, record)
    year = record.now.year + 1

    assert shown[str(record.month.public_id)]["start_date"] == {"year": year, "month": 1, "display_date": f"January {year}"}
    assert "end_date" not in shown[str(record.month.public_id)]
    assert shown[str(record.davos.public_id)]["start_date"] == {"year": year, "month": 1, "day": 23,
                                                                "display_date": f"23 Jan {year}"}
    meeting = shown[str(record.meeting.public_id)]["start_date"]
    assert (meeting["hour"], meeting["minute"]) == (14, 30)  # in Zurich, the item's zone


def test_groups_text_and_media(client, record):
    shown = slides(client, record)

    davos = shown[str(record.davos.public_id)]
    assert davos["group"] == "Milestones"
    assert "Reported by: Axios, citing a U.S. official and two additional U.S. sources" in davos["text"]["text"]
    assert davos["media"] == {"url": "https://axios.example.org/meeting", "caption": "Netanyahu and Trump meet",
                              "credit": "Axios", "link": "https://axios.example.org/meeting"}
    assert shown[str(record.event.public_id)]["group"] == "Events"
    assert shown[str(record.deadline.public_id)]["group"] == "Expectations"
    assert "media" not in shown[str(record.month.public_id)]


def test_only_what_the_caller_may_see_and_nothing_undated(client, record, editor):
    public = slides(client, record)
    assert str(record.draft.public_id) not in public
    assert str(record.undated.public_id) not in public
    client.login(username=editor.username, password=PASSWORD)
    assert str(record.draft.public_id) in slides(client, record)


def test_html_in_a_title_is_escaped(client, record, editor):
    from timeline import services

    services.item_edit(item=record.month, by=editor, now=record.now, title="<script>alert(1)</script>")

    assert slides(client, record)[str(record.month.public_id)]["text"]["headline"] == \
        "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_the_export_is_for_editors(client, record, editor):
    url = reverse("api-v1:storyline-export", kwargs={"slug": record.storyline.slug})
    assert client.get(url).status_code == 401

    client.login(username=editor.username, password=PASSWORD)
    response = client.get(url)

    assert response.status_code == 200
    document = response.json()
    assert document["format"] == "forecast-watch/storyline"
    davos = next(row for row in document["items"] if row["public_id"] == str(record.davos.public_id))
    assert davos["edtf"] == f"{record.now.year + 1}-01-23"
    assert client.get(reverse("api-v1:storyline-export", kwargs={"slug": "nowhere"})).status_code == 404
