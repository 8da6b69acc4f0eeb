"""Admins add articles from the chat: documents (getFile + file download on the fake Bot API), /add from a
local HTTP server, /remove with a confirmation button. Real files of each format (tests/support/formats.py).
"""

from __future__ import annotations

import contextlib
import http.server
import io
import logging
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval.index.generations import current_generation
from tests.support.bot_harness import ADMIN, USER, bot_settings, message_id, running_bot
from tests.support.fake_bot_api import FakeBotApi, StoredMessage
from tests.support.formats import TITLE, URL, article_docx, article_html, article_pdf

pytest_plugins = ("tests.support.bot_fixtures",)  # api, corpus

INTERVAL = 0.2
QUESTION = "Analysts in Kyiv were divided?"
KYIV = "Analysts in Kyiv were divided."


def first_quote(message: StoredMessage) -> str:
    return next(said for _, said in message.entities_of("blockquote"))


def uploads(corpus: Path) -> list[str]:
    folder = corpus / "uploads"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def files_of(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def wait_for_added(api: FakeBotApi, chat: int, count: int) -> StoredMessage:
    """The last of ``count`` messages in the chat, once one of them says what was added (or not)."""
    api.wait_until(lambda: any("Added" in m.text or "Not added" in m.text or "Saved as" in m.text
                               for m in api.messages_to(chat)), timeout=20, description="the add's answer")
    return api.wait_for_messages(chat, count, timeout=10)[-1]


def test_an_admin_adds_a_pdf_and_asks_about_it_one_message_later(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index"), progress_interval=INTERVAL):
        api.send_private_message(USER, QUESTION)
        before = api.wait_for_messages(USER, 1)[-1]
        api.send_private_document(ADMIN, "Rutte warns.PDF", article_pdf(), mime_type="application/pdf")
        [status, added] = api.wait_for_messages(ADMIN, 2, timeout=30)
        api.wait_until(lambda: "Reindex done" in api.message(ADMIN, message_id(status)).text, timeout=10)
        api.send_private_message(ADMIN, QUESTION)
        answer = api.wait_for_messages(ADMIN, 3)[-1]
    [saved] = uploads(corpus)
    assert saved.startswith("Rutte-warns-") and saved.endswith(".pdf")
    assert before.text.startswith("Not found.")
    assert added.text.startswith(f"Added uploads/{saved}")
    assert f"Title: {TITLE}" in added.text and "Sentences: " in added.text
    assert "First sentence: “" in added.text
    assert first_quote(answer) == KYIV
    assert f"uploads/{saved}, line " in answer.text and f" · {TITLE}" in answer.text  # a PDF's title, no URL
    assert len(api.calls("getFile", ok=True)) == 1 and len(api.file_downloads()) == 1
    api.assert_no_errors()


def test_the_same_bytes_twice_are_added_once(
    api: FakeBotApi, corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.admin")
    data = article_docx()
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index"), progress_interval=INTERVAL):
        api.send_private_document(ADMIN, "story.docx", data)
        api.wait_for_messages(ADMIN, 2, timeout=30)
        generation = current_generation(tmp_path / "index")
        api.send_private_document(ADMIN, "another name.docx", data)
        again = api.wait_for_messages(ADMIN, 3, timeout=30)[-1]
    [saved] = uploads(corpus)
    assert again.text == f"Already in the corpus as uploads/{saved}; nothing added."
    adds = [r.getMessage() for r in caplog.records if " added " in r.getMessage()]
    assert len(adds) == 1 and adds[0].startswith(f"Admin {ADMIN} added uploads/{saved} (")
    assert current_generation(tmp_path / "index") == generation
    api.assert_no_errors()


def test_a_non_admin_upload_is_refused_and_nothing_is_written(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    before = files_of(corpus)
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index")):
        api.send_private_document(USER, "story.pdf", article_pdf())
        [refusal] = api.wait_for_messages(USER, 1)
        api.send_private_message(USER, "/add https://example.com/a.html")
        api.send_private_message(USER, "/remove bridge.txt")
        [_, add, remove] = api.wait_for_messages(USER, 3)
    assert refusal.text.startswith("Sorry, only the bot's admins can add or remove articles")
    assert add.text == refusal.text and remove.text == refusal.text
    assert files_of(corpus) == before
    assert not api.calls("getFile") and not api.file_downloads()
    api.assert_no_errors()


def test_an_oversize_or_unsupported_upload_is_refused_before_downloading(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index")):
        api.send_private_document(ADMIN, "huge.pdf", b"%PDF-1.4 tiny", file_size=200 * 1024 * 1024)
        [refusal] = api.wait_for_messages(ADMIN, 1)
        api.send_private_document(ADMIN, "photo.JPG", b"\xff\xd8\xff\xe0 not an article")
        [_, photo] = api.wait_for_messages(ADMIN, 2)
    assert refusal.text == "Not added: the file is larger than 20 MB (setting MAX_UPLOAD_MB)."
    assert photo.text.startswith("Not added: .jpg is not an article format. Send one of .docx .htm .html")
    assert not api.calls("getFile") and not api.file_downloads()
    assert uploads(corpus) == []
    api.assert_no_errors()


def test_a_path_traversal_name_is_saved_safely_inside_uploads(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index"), progress_interval=INTERVAL):
        api.send_private_document(ADMIN, "../../..\\..\\.bashrc/../../evil name.html", article_html())
        wait_for_added(api, ADMIN, 2)
    [saved] = uploads(corpus)
    assert saved.startswith("evil-name-") and saved.endswith(".html")
    assert [p.relative_to(tmp_path).as_posix() for p in files_of(tmp_path) if "evil" in p.name] == [
        f"corpus/uploads/{saved}"
    ]
    api.assert_no_errors()


def zip_bomb_docx() -> bytes:
    real = zipfile.ZipFile(io.BytesIO(article_docx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in real.infolist():
            archive.writestr(info.filename, real.read(info))
        archive.writestr("word/media/zeros.bin", bytes(2 * 1024 * 1024))  # 1,000 times smaller packed
    return out.getvalue()


def test_a_zip_bomb_docx_is_refused_with_its_reason_and_the_index_is_unchanged(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    generation = current_generation(tmp_path / "index")
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index")):
        api.send_private_document(ADMIN, "bomb.docx", zip_bomb_docx())
        [refusal] = api.wait_for_messages(ADMIN, 1)
    assert refusal.text.startswith("Not added: too large: ") and "times" in refusal.text
    assert uploads(corpus) == [] and current_generation(tmp_path / "index") == generation
    api.assert_no_errors()


def test_add_a_web_page_from_a_local_server(api: FakeBotApi, corpus: Path, tmp_path: Path) -> None:
    settings = bot_settings(api, corpus, tmp_path / "index", allow_private_urls=True)
    with page_server(article_html(), "text/html; charset=utf-8") as base, \
            running_bot(api, settings, progress_interval=INTERVAL):
        api.send_private_message(ADMIN, f"/add {base}/2024/rutte-warns")
        added = wait_for_added(api, ADMIN, 2)
        api.send_private_message(ADMIN, QUESTION)
        answer = api.wait_for_messages(ADMIN, 3)[-1]
    [saved] = uploads(corpus)
    assert saved.startswith("rutte-warns-") and saved.endswith(".html")
    assert added.text.startswith(f"Added uploads/{saved}") and f"Title: {TITLE}" in added.text
    assert first_quote(answer) == KYIV and f"uploads/{saved}" in answer.text
    assert f'<a href="{URL}">{TITLE}</a>' in answer.html  # the page's canonical address, linked
    api.assert_no_errors()


def test_add_to_a_loopback_address_is_refused_unless_allowed(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    with page_server(article_html(), "text/html") as base, \
            running_bot(api, bot_settings(api, corpus, tmp_path / "index")):
        api.send_private_message(ADMIN, f"/add {base}/page.html")
        [refusal] = api.wait_for_messages(ADMIN, 1)
        api.send_private_message(ADMIN, "/add file:///etc/passwd")
        [_, scheme] = api.wait_for_messages(ADMIN, 2)
    assert refusal.text.startswith("Not added: 127.0.0.1 is a private, loopback or link-local address")
    assert "ALLOW_PRIVATE_URLS" in refusal.text
    assert scheme.text == "Not added: Only http:// and https:// addresses can be added."
    assert uploads(corpus) == []
    api.assert_no_errors()


def test_remove_asks_for_confirmation_then_removes_and_reindexes(
    api: FakeBotApi, corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.admin")
    generation = current_generation(tmp_path / "index")
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index"), progress_interval=INTERVAL):
        api.send_private_message(ADMIN, "/remove ../index/manifest.json")
        [outside] = api.wait_for_messages(ADMIN, 1)
        api.send_private_message(ADMIN, "/remove echo.txt")
        [_, confirm] = api.wait_for_messages(ADMIN, 2)
        assert (corpus / "echo.txt").exists()  # nothing happens before the button
        assert all("echo" not in data for data in confirm.callback_data)
        api.press_button(ADMIN, message_id(confirm), button_text="Remove")
        [_, _, status] = api.wait_for_messages(ADMIN, 3, timeout=10)
        api.wait_until(lambda: "Reindex done" in api.message(ADMIN, message_id(status)).text, timeout=20)
    assert outside.text == "Not removed: ../index/manifest.json is not a file in the corpus folder."
    assert not (corpus / "echo.txt").exists()
    assert f"Admin {ADMIN} removed echo.txt" in [r.getMessage() for r in caplog.records]
    assert "Removed: echo.txt" in api.message(ADMIN, message_id(status)).text
    assert current_generation(tmp_path / "index") != generation
    assert api.message(ADMIN, message_id(confirm)).text == "Removed echo.txt; reindexing."
    api.assert_no_errors()


def test_remove_cancelled_keeps_the_file_and_an_old_button_has_expired(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    generation = current_generation(tmp_path / "index")
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index")):
        api.send_private_message(ADMIN, "/remove echo.txt")
        [confirm] = api.wait_for_messages(ADMIN, 1)
        remove_data = confirm.callback_data[0]
        cancel = api.press_button(ADMIN, message_id(confirm), button_text="Cancel")
        api.wait_until(lambda: api.message(ADMIN, message_id(confirm)).text.startswith("Not removed"), timeout=10)
        api.wait_until(lambda: api.callback_answer(cancel.callback_query_id or ""), timeout=10)
        # The buttons are gone; a client that still sends the Remove data is told it expired.
        late = api.press_button(ADMIN, message_id(confirm), remove_data, forge=True)
        answer = api.wait_until(lambda: api.callback_answer(late.callback_query_id or ""), timeout=10)
    assert (corpus / "echo.txt").exists() and current_generation(tmp_path / "index") == generation
    assert api.message(ADMIN, message_id(confirm)).text == "Not removed: echo.txt"
    assert answer.text == "This confirmation expired. Send /remove again." and answer.show_alert
    api.assert_no_errors()


Route = tuple[int, dict[str, str], bytes]  # status, headers, body


@contextlib.contextmanager
def routes_server(routes: dict[str, Route], default: Route = (404, {}, b"")) -> Iterator[str]:
    """A local HTTP server on 127.0.0.1 answering each path with (status, headers, body); yields its URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, headers, body = routes.get(self.path, default)
            self.send_response(status)
            for name, value in {**headers, "Content-Length": str(len(body))}.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def page_server(body: bytes, content_type: str) -> contextlib.AbstractContextManager[str]:
    """A local HTTP server on 127.0.0.1 serving ``body`` at every path."""
    return routes_server({}, (200, {"Content-Type": content_type}, body))


def test_add_follows_redirects_and_refuses_pages_over_the_size_cap(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    routes = {
        "/short": (302, {"Location": "/news/story.html"}, b""),
        "/news/story.html": (200, {"Content-Type": "text/html"}, article_html()),
        "/big": (200, {"Content-Type": "text/html"}, b"<p>" + b"x" * (2 * 1024 * 1024) + b"</p>"),
        "/gone": (404, {}, b""),
    }
    settings = bot_settings(api, corpus, tmp_path / "index", allow_private_urls=True, max_upload_mb=1)
    with routes_server(routes) as base, running_bot(api, settings, progress_interval=INTERVAL):
        api.send_private_message(ADMIN, f"/add {base}/big")
        [big] = api.wait_for_messages(ADMIN, 1, timeout=20)
        api.send_private_message(ADMIN, f"/add {base}/gone")
        [_, gone] = api.wait_for_messages(ADMIN, 2, timeout=20)
        api.send_private_message(ADMIN, f"/add {base}/short")
        added = api.wait_until(lambda: [m for m in api.messages_to(ADMIN) if m.text.startswith("Added")],
                               timeout=20, description="the added page")[0]
    assert big.text == "Not added: The page is larger than 1 MB."
    assert gone.text == "Not added: The server answered 404 Not Found."
    [saved] = uploads(corpus)
    assert saved.startswith("story-") and added.text.startswith(f"Added uploads/{saved}")
    api.assert_no_errors()
