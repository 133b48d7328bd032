"""Deep links: ours and the original's, at a second."""

from catalog.ids import youtube_id_from_url
from catalog.links import moment_path, source_moment_url


def test_moment_paths():
    assert moment_path("youtube:abc", 134.7) == "/items/youtube:abc?t=134"
    assert moment_path("article:x y", None) == "/items/article:x%20y"


def test_source_links_at_a_second():
    assert source_moment_url({"youtube_id": "abc"}, 75.2) == "https://www.youtube.com/watch?v=abc&t=75s"
    assert source_moment_url({"media_url": "https://m.example/ep.mp3"}, 61) == "https://m.example/ep.mp3#t=61"
    assert source_moment_url({"source_url": "https://blog.example/post"}, None) == "https://blog.example/post"


def test_youtube_ids_from_urls():
    assert youtube_id_from_url("https://www.youtube.com/watch?v=smplDrill02&t=3s") == "smplDrill02"
    assert youtube_id_from_url("https://youtu.be/smplDrill02") == "smplDrill02"
    assert youtube_id_from_url("https://www.youtube.com/embed/dQw4w9WgXcQ") == "dQw4w9WgXcQ"
    assert youtube_id_from_url("https://example.com/watch?v=smplDrill02") is None
    assert youtube_id_from_url("not a url") is None


def test_only_web_urls_pass():
    from catalog.links import web_url

    assert web_url("https://i.ytimg.com/vi/x/0.jpg") == "https://i.ytimg.com/vi/x/0.jpg"
    for bad in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        "/relative",
        "",
        None,
        42,
        "https://ok.example/\nx",
    ]:
        assert web_url(bad) is None, bad
