"""Messages the engine sends on a schedule: alerts and spikes, digests, thank-you e-mails."""

from __future__ import annotations

import argparse

from nps_core.cli import options
from nps_core.cli.options import Command
from nps_core.followup import notify, outbox, spikes, thank
from nps_core.report import digest


def _alerts_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--dataset", help="dataset name (default: the configured default, else the first created)")
    p.add_argument("--days", type=int, default=7, help="look back this many days from the latest response (default 7)")
    p.add_argument("--notify", action="store_true", help="send new alerts and retry failed ones")
    p.add_argument("--dry-run", action="store_true", help="list what --notify (or --spikes) would send; record nothing")
    p.add_argument("--spikes", action="store_true",
                   help="themes and segments of the last complete week outside their 8-week baseline; "
                        "sends each new one once to the alert rules' channels")
    p.add_argument("--wait", type=float, default=60.0, help="seconds a run may wait to retry a failure (default 60)")


def cmd_spikes(args) -> dict:
    """`alerts --spikes`: last week's spikes (followup/spikes.py), each sent once."""
    out = spikes.run(options.reading_store(args), args.dataset, dry_run=args.dry_run, wait=args.wait)
    if not args.json:
        print(f"week {out['week']} ({out['from']} – {out['to']}) against {out['baseline_from']} – "
              f"{out['baseline_to']}: {out['tested']} tests, {len(out['spikes'])} spikes")
        for s in out["spikes"]:
            value = (f"share {100 * s['value']:.1f} % (baseline {100 * s['baseline']:.1f} %)" if s["kind"] == "theme"
                     else f"NPS {s['value']:+.1f} (baseline {s['baseline']:+.1f})")
            print(f"  {s['subject']:<32} {value}  q = {s['q']:.2g}")
        for a in out.get("would_send", []):
            print(f"would send {a['response_id']} to {a['channel']}")
        if not args.dry_run:
            print(f"queued {out['queued']}, sent {out['sent']}, failed {out['failed']} (retried later), "
                  f"gave up {out['gave_up']}")
    options.warn_unconfigured(out)
    return out


def cmd_alerts(args) -> dict:
    if args.spikes:
        return cmd_spikes(args)
    store = options.reading_store(args)
    if args.notify or args.dry_run:
        out = notify.run(store, args.dataset, args.days, dry_run=args.dry_run, wait=args.wait)
    else:
        out = {"alerts": outbox.messages(store, args.dataset).astype({"created_at": str, "sent_at": str})
               .to_dict("records")}
    if not args.json:
        if "would_send" in out:
            for a in out["would_send"]:
                print(f"would send {a['response_id']} (score {a['score']}, {a['responded_at']}) "
                      f"to {a['channel']} for {', '.join(a['recipients'])}")
            for a in out["would_escalate"]:
                print(f"would escalate overdue case {a['response_id']} ({a['responded_at']}) to {a['channel']}")
        elif "queued" in out:
            print(f"queued {out['queued']} alerts and {out['escalations']} escalations, sent {out['sent']}, "
                  f"failed {out['failed']} (retried later), gave up {out['gave_up']}")
        else:
            for a in out["alerts"]:
                print(f"{a['created_at'][:16]}  {a['response_id']:<12} {a['channel']:<28} {a['status']:<8} "
                      f"attempts {a['attempts']}")
    options.warn_unconfigured(out)
    return out


def cmd_digest(args) -> dict:
    out = digest.run(options.reading_store(args), args.now, dry_run=args.dry_run, wait=args.wait)
    if not args.json:
        for d in out.get("would_send", []):
            print(f"would send the {d['frequency']} digest {d['period']} ({d['lang']}, n = {d['n']}"
                  + (", with PDF" if d["pdf"] else "") + f") to {d['recipient']}")
        if not args.dry_run:
            print(f"queued {out['queued']}, sent {out['sent']}, failed {out['failed']} (retried later), "
                  f"gave up {out['gave_up']}")
        for s in out.get("skipped", []):
            print(f"skipped subscription {s['sub_id']}: {s['reason']}")
    return out


def _thank_arguments(p: argparse.ArgumentParser) -> None:
    options.scheduled(p)
    p.add_argument("--dataset", help="dataset name (default: the default dataset)")
    p.add_argument("--days", type=int, default=7, help="promoters of this many days up to the latest response (default 7)")


def cmd_thank(args) -> dict:
    out = thank.run(options.reading_store(args), args.dataset, args.days, dry_run=args.dry_run, wait=args.wait, now=args.now)
    if not args.json:
        for m in out.get("would_send", []):
            print(f"would send {m['subject']!r} ({m['lang']}) to {m['to']} for response {m['response_id']}")
        if not args.dry_run:
            print(f"queued {out['queued']}, sent {out['sent']}, failed {out['failed']} (retried later), "
                  f"gave up {out['gave_up']}")
        print(f"held back: {out.get('no_address', 0)} without an address, {out.get('opted_out', 0)} opted out, "
              f"{out.get('over_cap', 0)} over the daily cap")
    return out


COMMANDS = (
    Command("alerts", "critical responses; --notify sends each new one once", _alerts_arguments, cmd_alerts),
    Command("digest", "e-mail every subscription its digest of the last complete day, week or month, once",
            options.scheduled, cmd_digest),
    Command("thank", "thank new promoters by e-mail, each response once, within the daily cap", _thank_arguments,
            cmd_thank),
)
