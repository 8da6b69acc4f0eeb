"""The file side of adding articles from the chat: safe names, what counts as inside the corpus, the /add
address checks (no network: the addresses are literal IPs or refused before any connection)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.callback_data import RemoveSource, decode, encode
from bot.uploads import HASH_CHARS, UPLOADS, corpus_file, safe_name
from bot.web_fetch import FetchError, check_host, check_url, page_name

SHA = "0123456789abcdef" * 4


@given(st.text(max_size=300))
def test_a_safe_name_is_one_plain_file_name_whatever_was_sent(sent: str) -> None:
    name = safe_name(sent, SHA)
    assert "/" not in name and "\\" not in name and not name.startswith(".")
    assert all(ch.isascii() and (ch.isalnum() or ch in "._-") for ch in name)
    assert SHA[:HASH_CHARS] in name and name not in ("", ".", "..")


def test_safe_names_keep_the_base_name_and_the_suffix() -> None:
    assert safe_name("../../etc/Report 2024 (final).PDF", SHA) == f"Report-2024-final-{SHA[:12]}.pdf"
    assert safe_name("..\\..\\x.docx", SHA) == f"x-{SHA[:12]}.docx"
    assert safe_name("Ünïcode ré.md", SHA) == f"Unicode-re-{SHA[:12]}.md"
    assert safe_name(".htaccess", SHA) == f"htaccess-{SHA[:12]}"
    assert safe_name("....txt", SHA) == f"article-{SHA[:12]}.txt"


def test_only_regular_files_inside_the_corpus_can_be_removed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / UPLOADS).mkdir(parents=True)
    (corpus / "a.txt").write_text("A.")
    (tmp_path / "secret.txt").write_text("S.")
    os.symlink(tmp_path / "secret.txt", corpus / "link.txt")
    assert corpus_file(corpus, "a.txt") == (corpus / "a.txt").resolve()
    for bad in ("../secret.txt", "link.txt", str(tmp_path / "secret.txt"), "uploads", "", ".", "a.txt\x00"):
        assert corpus_file(corpus, bad) is None, bad


def test_remove_buttons_carry_an_opaque_key() -> None:
    for confirmed in (True, False):
        button = RemoveSource("abcdefghijkl", confirmed)
        assert decode(encode(button)) == button
    assert decode("r:abcdefghijkl:2") is None and decode("r:../a.txt:1") is None


def test_add_takes_http_and_https_addresses_only() -> None:
    for bad in ("file:///etc/passwd", "ftp://example.com/a", "javascript:alert(1)", "https://", "http://u:p@x.com/"):
        with pytest.raises(FetchError):
            check_url(bad)
    assert check_url("https://example.com/a.html").hostname == "example.com"


@pytest.mark.parametrize("host", ["127.0.0.1", "10.1.2.3", "192.168.0.1", "169.254.169.254", "::1", "0.0.0.0",
                                  "::ffff:127.0.0.1", "fe80::1", "224.0.0.1"])
def test_non_public_addresses_are_refused_unless_allowed(host: str) -> None:
    with pytest.raises(FetchError, match="ALLOW_PRIVATE_URLS"):
        asyncio.run(check_host(host, 80, allow_private=False))
    asyncio.run(check_host(host, 80, allow_private=True))


def test_a_public_literal_address_passes() -> None:
    asyncio.run(check_host("93.184.215.14", 443, allow_private=False))


def test_a_page_is_named_by_its_address_or_its_content_type() -> None:
    assert page_name("https://x.com/news/story.html", "text/plain") == "story.html"
    assert page_name("https://x.com/news/story", "text/html; charset=utf-8") == "story.html"
    assert page_name("https://x.com/", "application/pdf") == "x.com.pdf"
    with pytest.raises(FetchError, match="image/png"):
        page_name("https://x.com/cat", "image/png")
