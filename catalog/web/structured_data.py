"""schema.org JSON-LD for item pages, so search engines can show key moments and rich results.

Videos and podcast episodes carry their chapters as `Clip` parts (Google's "key moments"),
videos also a `SeekToAction` that tells a crawler how to open our page at any second.
"""

from __future__ import annotations

import json

from markupsafe import Markup

from catalog.ids import youtube_id_from_url

# Characters that could end the <script> element or open a comment, as JSON escapes.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def json_ld(item: dict, chapters: list[dict], segments: list[dict], moment: dict | None, page_url: str) -> dict:
    """The JSON-LD object for one item page.

    `page_url` is the absolute URL of the item page without a query; `moment` is
    `{"start", "end", "text"}` when the page was opened at a second (`?t=`). Segments
    only bound the last chapter when the item has no duration.
    """
    builders = {"video": _video, "podcast": _podcast, "article": _article, "workout": _workout}
    data = builders[item["kind"]](item, page_url)
    if item["kind"] in ("video", "podcast"):
        data["hasPart"] = _clips(item, chapters, segments, moment, page_url)
    return {"@context": "https://schema.org", **_drop_empty(data)}


def json_ld_script(data: dict) -> Markup:
    """The `<script type="application/ld+json">` element; `<`, `>` and `&` inside strings
    are written as JSON escapes, so a hostile title cannot close the element."""
    body = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_SAFE)
    return Markup(f'<script type="application/ld+json">{body}</script>')


def _common(item: dict, page_url: str) -> dict:
    return {
        "name": item["title"],
        "description": item.get("description"),
        "url": page_url,
        "keywords": item.get("tags"),
    }


def _video(item: dict, page_url: str) -> dict:
    youtube_id = item.get("youtube_id")
    return {
        "@type": "VideoObject",
        **_common(item, page_url),
        "thumbnailUrl": item.get("thumbnail"),
        "uploadDate": item.get("published"),
        "duration": _iso_duration(item.get("duration")),
        "embedUrl": f"https://www.youtube.com/embed/{youtube_id}" if youtube_id else None,
        "contentUrl": item.get("media_url"),
        "potentialAction": {
            "@type": "SeekToAction",
            "target": f"{page_url}?t={{seek_to_second_number}}",
            "startOffset-input": "required name=seek_to_second_number",
        },
    }


def _podcast(item: dict, page_url: str) -> dict:
    media = {
        "@type": "MediaObject",
        "contentUrl": item.get("media_url"),
        "duration": _iso_duration(item.get("duration")),
    }
    return {
        "@type": "PodcastEpisode",
        **_common(item, page_url),
        "image": item.get("thumbnail"),
        "datePublished": item.get("published"),
        "duration": _iso_duration(item.get("duration")),
        "associatedMedia": _drop_empty(media) if item.get("media_url") else None,
    }


def _article(item: dict, page_url: str) -> dict:
    return {
        "@type": "Article",
        **_common(item, page_url),
        "headline": item["title"],
        "image": item.get("thumbnail"),
        "author": [{"@type": "Person", "name": name} for name in item.get("people") or ()],
        "datePublished": item.get("published"),
    }


def _workout(item: dict, page_url: str) -> dict:
    extra = item.get("extra") or {}
    equipment = extra.get("equipment")
    if isinstance(equipment, list):
        equipment = ", ".join(str(thing) for thing in equipment)
    video_url = extra.get("video")
    return {
        "@type": "ExercisePlan",
        **_common(item, page_url),
        "datePublished": item.get("published"),
        "activityDuration": _iso_duration(item.get("duration")),
        "exerciseType": extra.get("focus"),
        # schema.org types `workload` as Energy or QuantitativeValue; a level word is `intensity` (Text).
        "intensity": extra.get("level"),
        "additionalVariable": f"Equipment: {equipment}" if equipment else None,
        "video": _linked_video(video_url) if video_url else None,
    }


def _linked_video(url: str) -> dict:
    youtube_id = youtube_id_from_url(url)
    return _drop_empty(
        {
            "@type": "VideoObject",
            "url": url,
            "embedUrl": f"https://www.youtube.com/embed/{youtube_id}" if youtube_id else None,
        }
    )


def _clips(item: dict, chapters: list[dict], segments: list[dict], moment: dict | None, page_url: str) -> list[dict]:
    """One Clip per chapter, ending where the next begins (the last at the end of the media),
    and one for the quoted moment the page was opened at."""
    media_end = item.get("duration") or max((s["end"] for s in segments if s.get("end") is not None), default=None)
    ends = [chapter["start"] for chapter in chapters[1:]] + [media_end] if chapters else []
    clips = [
        _clip(chapter["title"], chapter["start"], end, page_url) for chapter, end in zip(chapters, ends, strict=True)
    ]
    if moment is not None:
        clips.append(_clip(moment["text"], moment["start"], moment.get("end"), page_url))
    return clips


def _clip(name: str, start: float, end: float | None, page_url: str) -> dict:
    return _drop_empty(
        {
            "@type": "Clip",
            "name": name,
            "startOffset": int(start),
            "endOffset": int(end) if end is not None else None,
            "url": f"{page_url}?t={int(start)}",
        }
    )


def _iso_duration(seconds: int | None) -> str | None:
    """ISO 8601 duration: 574 -> "PT9M34S", 4200 -> "PT1H10M"."""
    if seconds is None:
        return None
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    parts = [f"{n}{unit}" for n, unit in ((hours, "H"), (minutes, "M"), (secs, "S")) if n]
    return "PT" + ("".join(parts) or "0S")


def _drop_empty(data: dict) -> dict:
    """Leave out unknown fields rather than publishing nulls."""
    return {key: value for key, value in data.items() if value is not None and value != "" and value != []}
