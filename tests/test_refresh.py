"""Which known items a nightly run fetches again."""

from datetime import date

from indexer.ingest import due_for_refresh

TODAY = date(2026, 11, 28)


def row(item_id: str, published: str, checked_at: str, captions: str = "manual") -> dict:
    return {"id": item_id, "published": published, "checked_at": checked_at, "captions": captions}


def test_recent_items_and_a_rolling_share_of_old_ones():
    old = [row(f"old{n:03}", "2020-01-01", f"2026-11-{1 + n % 27:02}") for n in range(180)]
    recent = [row("new1", "2026-11-25", "2026-11-27"), row("new2", "2026-11-21", "2026-11-27")]
    due = due_for_refresh(old + recent, TODAY)
    assert {"new1", "new2"} <= due
    rolling = due - {"new1", "new2"}
    assert len(rolling) == 3  # ceil(182 / 90)
    oldest_check = min(r["checked_at"] for r in old)
    assert all(next(r for r in old if r["id"] == i)["checked_at"] == oldest_check for i in rolling)


def test_live_replays_without_captions_are_retried():
    items = [row("replay", "2026-11-10", "2026-11-27", captions="none"), row("done", "2026-11-10", "2026-11-27")]
    items += [row(f"x{n}", "2019-05-05", "2026-11-01") for n in range(200)]
    due = due_for_refresh(items, TODAY)
    assert "replay" in due and "done" not in due


def test_a_week_old_item_is_no_longer_always_due():
    items = [row("a", "2026-11-20", "2026-11-27")] + [row(f"x{n}", "2019-01-01", "2026-11-01") for n in range(100)]
    assert "a" not in due_for_refresh(items, TODAY)
