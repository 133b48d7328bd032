"""A deterministic synthetic catalog: yt-dlp folders, Markdown articles and workouts, and their SQLite.

Speech reads like auto-captions (lower case, no punctuation, fillers) at about 9,000 words
an hour, drawn from a Zipf-Mandelbrot vocabulary of function words, conversation, running
terms, names and a synthetic long tail, with running phrases ("four by four hundred relay",
"five k") spoken now and then. The files are what the real readers read; the SQLite rows are
made from them by those same readers (see `bench.build.ensure_corpus`), so a nightly run over
untouched files changes nothing.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

from catalog.storage.models import Item
from indexer.sources.markdown_folder import articles, workouts
from indexer.sources.ytdlp_folder import item_from_info

# The code whose output the cache holds: a change to any of it makes a new corpus.
SOURCES = {"video": "videos", "podcast": "podcast", "article": "articles", "workout": "workouts"}  # kind: folder
SOURCE_KINDS = {"videos": "ytdlp-folder", "podcast": "ytdlp-folder", "articles": "articles", "workouts": "workouts"}
SOURCES_TOML = "".join(f'[sources.{name}]\nkind = "{kind}"\npath = "{name}"\n\n' for name, kind in SOURCE_KINDS.items())
SECONDS_PER_WORD = 0.4  # 150 words a minute, pauses included: 9,000 words an hour

FUNCTION = (
    "the and i you to a of that it is in so we like was um uh yeah know just but for on with have be "
    "this my what do are they not at he she there then about really think kind get go if all one right "
    "okay mean when can your out up because some me had would were them"
).split()
TALK = (
    "time week day feel body work start year little good lot thing pretty first back want way need people "
    "always try made keep hard great different start next last talk point look whole stuff story night "
    "morning family school club friends together every better long enough around maybe definitely"
).split()
RUNNING = (
    "run running race pace mile training easy workout track coach miles tempo strides threshold marathon "
    "intervals recovery hills repeats cadence heart rate zone aerobic speed endurance strength plyometrics "
    "masters splits kilometers sprint relay warmup cooldown drills taper mileage injury hamstring calf "
    "achilles shoes fueling gels hydration lactate form hurdles steeplechase kick finish"
).split()
FIRST = "marisol harold amara tomas keiko dario priya lena oskar nadia felix ruth".split()
LAST = "vega okafor lindqvist moreau tanaka brennan achebe novak castillo whitford".split()
PHRASES = tuple(
    "four by four hundred relay|five k|fifteen hundred|the mile|marathon pace|lactate threshold|tempo run|"
    "strides after easy runs|plyometrics circuit|masters runners|hill repeats|long run|ten k|half marathon|"
    "eight hundred meters|four by one hundred".split("|")
)
RARE = ("fartlek", "bosu", "kipchoge", "beetroot", "altitude tent", "metronome", "spikes", "sauna")
TAGS = tuple(
    "marathon|5k|mile|masters running|track|strength|plyometrics|4x400 relay|recovery|interview|tempo run|"
    "strides|beginner|cross country".split("|")
)
CHAPTERS = tuple(
    "Intro|Race recap|Strides and drills|The 4x400 relay|Masters training|Q and A|Fueling for the marathon|"
    "Tempo and threshold|Hill repeats|Injury comeback|Wrap up".split("|")
)


def _tail(count: int = 30_000) -> list[str]:
    """Made-up words for the long tail, the same every run."""
    rng, syllables = random.Random(0), "ka lo mi ren tas vu dor pel sin gat bre mo ul zan fi".split()
    return list(dict.fromkeys("".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(count)))


NAMES = [f"{first} {last}" for first in FIRST for last in LAST]
VOCAB = FUNCTION + [w for pair in zip(TALK, RUNNING, strict=False) for w in pair] + FIRST + LAST + _tail()
CUM_WEIGHTS = list(accumulate(1 / (rank + 2.7) ** 1.07 for rank in range(1, len(VOCAB) + 1)))


@dataclass(frozen=True)
class Spec:
    """One planned item: its number, kind and, for speech, its length in minutes."""

    index: int
    kind: str
    minutes: int = 0


def plan(hours: float, seed: int) -> list[Spec]:
    """Items until the speech adds up to `hours`; about 3% articles and 2% workouts among them."""
    specs, seconds, index = [], 0, 0
    while seconds < hours * 3600:
        rng = random.Random(f"{seed}:{index}:plan")
        if index % 33 == 1 or index % 50 == 2:
            specs.append(Spec(index, "article" if index % 33 == 1 else "workout"))
        else:
            spec = Spec(index, "podcast" if rng.random() < 0.15 else "video", rng.randint(20, 90))
            specs.append(spec)
            seconds += spec.minutes * 60
        index += 1
    return specs


def words(rng: random.Random, count: int, topic: tuple[str, ...]) -> list[str]:
    """Spoken words: Zipf draws, the item's topic phrases every ~60 words, a rare term seldom."""
    out = rng.choices(VOCAB, cum_weights=CUM_WEIGHTS, k=count)
    for at in range(rng.randint(0, 60), count, 60):
        out[at] = rng.choice(topic) if rng.random() < 0.8 else rng.choice(PHRASES + tuple(NAMES))
    if rng.random() < 0.1:
        out[rng.randrange(count)] = rng.choice(RARE)
    return out


def _clock(seconds: float) -> str:
    ms = round(seconds * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def vtt(rng: random.Random, minutes: int, topic: tuple[str, ...]) -> str:
    """Captions of `minutes` of speech: cues of 6-12 words, a pause of ~2 s after one cue in ten."""
    spoken = words(rng, int(minutes * 60 / SECONDS_PER_WORD), topic)
    lines, at, clock = ["WEBVTT", "Kind: captions", "Language: en", ""], 0, 0.0
    while at < len(spoken):
        size = rng.randint(6, 12)
        end = clock + size * SECONDS_PER_WORD * 0.92
        lines += [f"{_clock(clock)} --> {_clock(end)}", " ".join(spoken[at : at + size]), ""]
        at, clock = at + size, end + (rng.uniform(1.6, 2.4) if rng.random() < 0.1 else 0.05)
    return "\n".join(lines)


def _prose(rng: random.Random, count: int, topic: tuple[str, ...]) -> str:
    spoken = words(rng, count, topic)
    sentences = (" ".join(spoken[at : at + 14]) for at in range(0, count, 14))
    return " ".join(f"{s[0].upper()}{s[1:]}." for s in sentences)


def _metadata(spec: Spec, seed: int) -> tuple[random.Random, dict]:
    rng = random.Random(f"{seed}:{spec.index}")
    topic = tuple(rng.sample(PHRASES, 3))
    guest = rng.choice(NAMES).title()
    published = date(2012, 1, 1) + timedelta(days=rng.randrange(14 * 365))
    return rng, {
        "topic": topic,
        "guest": guest,
        "published": published,
        "tags": rng.sample(TAGS, rng.randint(2, 5)),
        "title": f"{guest} on {topic[0]} and {topic[1]} | Riverbend Run Club #{spec.index}",
        "description": f"Coach Marisol Vega talks with {guest} about {', '.join(topic)}. {_prose(rng, 40, topic)}",
    }


def _info(spec: Spec, meta: dict, rng: random.Random) -> dict:
    seconds, podcast = spec.minutes * 60, spec.kind == "podcast"
    starts = [0, *sorted(rng.sample(range(240, seconds - 60, 60), k=min(seconds // 600, 8)))]
    track = {"en": [{"ext": "vtt", "url": "https://captions.example/en.vtt", "name": "English"}]}
    vid = f"episode-{spec.index}" if podcast else f"bnch{spec.index:07d}"
    return {
        "id": vid,
        "_type": "video",
        "title": meta["title"],
        "description": meta["description"],
        "extractor_key": "Generic" if podcast else "Youtube",
        "duration": seconds,
        "upload_date": meta["published"].strftime("%Y%m%d"),
        "tags": meta["tags"],
        "cast": ["Marisol Vega", meta["guest"]],
        "channel": "Riverbend Run Club",
        "webpage_url": f"https://podcast.example/{vid}" if podcast else f"https://www.youtube.com/watch?v={vid}",
        "thumbnail": f"https://i.ytimg.com/vi/{vid}/hqdefault.jpg",
        "vcodec": "none" if podcast else "avc1",
        "url": f"https://media.example/{vid}.mp3" if podcast else None,
        "subtitles": track if podcast else {},
        "automatic_captions": {} if podcast else track,
        "chapters": [{"start_time": float(s), "title": rng.choice(CHAPTERS)} for s in starts],
    }


def _markdown(spec: Spec, meta: dict, rng: random.Random) -> str:
    front = {
        "title": meta["title"].split(" | ")[0],
        "date": meta["published"].isoformat(),
        "author": "Marisol Vega",
        "tags": meta["tags"],
        "description": meta["description"][:200],
    }
    if spec.kind == "workout":
        front.update(
            focus=rng.choice(["speed", "endurance", "strength"]),
            duration=rng.randint(30, 90),
            level=rng.choice(["beginner", "intermediate", "advanced"]),
            equipment=["track"],
        )
    blocks = [_prose(rng, rng.randint(60, 150), meta["topic"]) for _ in range(rng.randint(5, 12))]
    blocks.insert(len(blocks) // 2, f"## {rng.choice(CHAPTERS)}")
    head = "".join(f"{key}: {json.dumps(value)}\n" for key, value in front.items())
    return f"---\n{head}---\n\n" + "\n\n".join(blocks) + "\n"


def make_item(spec: Spec, seed: int, media: Path) -> Item:
    """Write one item's files under `media`, then read them back with the product's reader."""
    rng, meta = _metadata(spec, seed)
    folder = media / SOURCES[spec.kind]
    if spec.kind in ("article", "workout"):
        path = folder / f"{spec.kind}-{spec.index:06d}.md"
        path.write_text(_markdown(spec, meta, rng), encoding="utf-8")
        return (articles if spec.kind == "article" else workouts).file_item(path, folder.name)
    info = _info(spec, meta, rng)
    path = folder / f"{info['id']}.info.json"
    path.write_text(json.dumps(info), encoding="utf-8")
    (folder / f"{info['id']}.en.vtt").write_text(vtt(rng, spec.minutes, meta["topic"]), encoding="utf-8")
    return item_from_info(info, path, folder.name, ["en"])


def edit_share(media: Path, share: float) -> int:
    """Edit the description of `share` of the videos and episodes, as upstream edits would;
    files are replaced, never written in place, so hard-linked cache files stay as they were."""
    infos = sorted(media.glob("*/*.info.json"))
    chosen = infos[:: max(1, round(1 / share))] if share else []
    for path in chosen:
        info = json.loads(path.read_text(encoding="utf-8"))
        info["description"] += " Updated with a correction from the coach."
        fresh = path.with_suffix(".tmp")
        fresh.write_text(json.dumps(info), encoding="utf-8")
        fresh.replace(path)
    return len(chosen)
