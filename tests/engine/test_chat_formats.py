"""Webhook messages in the chat tools' own formats (Slack Block Kit, a Teams
Adaptive Card), sent to a real HTTP receiver and validated with jsonschema.

The schemas below are written here, structurally, from the formats'
published references (no schema file is vendored): Slack's Block Kit
reference (api.slack.com/reference/block-kit: blocks, composition objects,
their length limits) and the Adaptive Card schema
(adaptivecards.io/schemas/adaptive-card.json, version 1.4: AdaptiveCard,
RichTextBlock, TextRun and their enums), wrapped in the message envelope
Teams Workflows webhooks take. additionalProperties is false, so a field the
formats do not define fails."""

import jsonschema
import pytest
from test_notify import CRITICAL, HOSTILE, alert_store  # noqa: F401 - the fixture

from nps_core.followup import channels, notify

PLAIN = {"type": "object", "additionalProperties": False, "required": ["type", "text"],
         "properties": {"type": {"const": "plain_text"}, "text": {"type": "string", "minLength": 1, "maxLength": 3000},
                        "emoji": {"type": "boolean"}}}
SLACK = {
    "type": "object", "required": ["blocks"], "additionalProperties": False,
    "properties": {
        "text": {"type": "string"},
        "blocks": {"type": "array", "maxItems": 50, "items": {"oneOf": [
            {"type": "object", "additionalProperties": False, "required": ["type", "text"],
             "properties": {"type": {"const": "header"}, "block_id": {"type": "string"},
                            "text": {**PLAIN, "properties": {**PLAIN["properties"],
                                                             "text": {"type": "string", "maxLength": 150}}}}},
            {"type": "object", "additionalProperties": False, "required": ["type"],
             "anyOf": [{"required": ["text"]}, {"required": ["fields"]}],
             "properties": {"type": {"const": "section"}, "block_id": {"type": "string"}, "text": PLAIN,
                            "fields": {"type": "array", "minItems": 1, "maxItems": 10, "items": {
                                **PLAIN, "properties": {**PLAIN["properties"],
                                                        "text": {"type": "string", "maxLength": 2000}}}}}},
        ]}},
    },
}
TEXT_RUN = {"type": "object", "additionalProperties": False, "required": ["type", "text"],
            "properties": {"type": {"const": "TextRun"}, "text": {"type": "string"},
                           "weight": {"enum": ["Default", "Lighter", "Bolder"]},
                           "size": {"enum": ["Default", "Small", "Medium", "Large", "ExtraLarge"]}}}
TEAMS = {
    "type": "object", "additionalProperties": False, "required": ["type", "attachments"],
    "properties": {
        "type": {"const": "message"},
        "attachments": {"type": "array", "minItems": 1, "items": {
            "type": "object", "additionalProperties": False, "required": ["contentType", "content"],
            "properties": {
                "contentType": {"const": "application/vnd.microsoft.card.adaptive"},
                "contentUrl": {"type": ["string", "null"]},
                "content": {"type": "object", "additionalProperties": False, "required": ["type", "version"],
                            "properties": {
                                "$schema": {"type": "string"}, "type": {"const": "AdaptiveCard"},
                                "version": {"type": "string", "pattern": r"^1\.[0-6]$"},
                                "body": {"type": "array", "items": {
                                    "type": "object", "additionalProperties": False, "required": ["type", "inlines"],
                                    "properties": {"type": {"const": "RichTextBlock"},
                                                   "inlines": {"type": "array", "items": TEXT_RUN}}}}}},
            }}},
    },
}


def test_chat_formats_slack_blocks_and_teams_cards_validate_and_keep_comments_literal(alert_store, webhook):  # noqa: F811
    hook = webhook()
    cfg = channels.Config(webhooks={"default": hook.url, "teams": hook.url},
                        webhook_formats={"default": "slack", "teams": "teams"})
    notify.alerts.save_rule(alert_store, notify.alerts.Rule(name="to teams", recipient="CX", channel="webhook:teams",
                                                            score_min=0, score_max=3))
    out = notify.run(alert_store, cfg=cfg, wait=5)
    assert out["failed"] == 0
    slack = {k: b for k, b in hook.received if "blocks" in b}
    teams = {k: b for k, b in hook.received if b.get("type") == "message"}
    assert set(slack) == {notify.alert_id("shop", r, "webhook") for r in CRITICAL}
    assert set(teams) == {notify.alert_id("shop", r, "webhook:teams") for r in ("a1", "a5", "a6")}  # score 0-3
    for body in slack.values():
        jsonschema.validate(body, SLACK)
    for body in teams.values():
        jsonschema.validate(body, TEAMS)
    a1 = slack[notify.alert_id("shop", "a1", "webhook")]
    last = a1["blocks"][-1]["text"]
    assert last["type"] == "plain_text" and last["text"].endswith(":\n" + HOSTILE)  # literal, not mrkdwn
    card = teams[notify.alert_id("shop", "a1", "webhook:teams")]["attachments"][0]["content"]
    runs = [r["text"] for block in card["body"] for r in block["inlines"]]
    assert HOSTILE in runs and any("1 (" in r for r in runs)


def test_chat_formats_schemas_refuse_what_the_tools_would(alert_store):  # noqa: F811
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"blocks": [{"type": "header", "text": {"type": "mrkdwn", "text": "x"}}]}, SLACK)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"blocks": [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}]}, SLACK)
    long = channels.slack_blocks("x" * 400, "a: b\n\nComment:\nc")  # cut to Slack's limit, so valid
    jsonschema.validate(long, SLACK)
    card = channels.teams_card("s", "a: b\n\nComment:\nc")
    card["attachments"][0]["content"]["body"][0]["inlines"][0]["weight"] = "bold"  # not an Adaptive Card value
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(card, TEAMS)
    with pytest.raises(ValueError, match="webhook format"):
        channels.load_config(env={"NPS_WEBHOOK_FORMAT": "discord"}, secrets_file=alert_store.path.parent / "none.toml")
    cfg = channels.load_config(env={"NPS_WEBHOOK_FORMAT_TEAM": "Teams"}, secrets_file=alert_store.path.parent / "x.toml")
    assert cfg.webhook_formats == {"team": "teams"}
