"""/add <url>: download one web page over http or https, with a time limit and a size cap.

Every address the host name resolves to is checked before connecting, and again at each redirect (followed
by hand, at most five): private, loopback, link-local, multicast, reserved and unspecified addresses are
refused unless ALLOW_PRIVATE_URLS is set, so that an admin's /add cannot reach the bot's own network.
(httpx is python-telegram-bot's HTTP client: no new dependency.)
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import urllib.parse
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Final

import httpx

from retrieval.corpus.loaders import suffix_of, supported_suffixes

MAX_REDIRECTS: Final = 5
# What a response's Content-Type says the file is, when its address has no suffix the loaders read.
SUFFIX_OF_TYPE: Final = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/plain": ".txt",
    "text/markdown": ".md",
    "application/pdf": ".pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}


class FetchError(Exception):
    """Why a page was not downloaded, in words for the admin."""


@dataclass(frozen=True)
class Page:
    url: str  # after redirects
    name: str  # a file name for the loaders: the address's last segment, with a suffix they read
    data: bytes


def check_url(url: str) -> urllib.parse.SplitResult:
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError("Only http:// and https:// addresses can be added.")
    if parts.username or parts.password:
        raise FetchError("Addresses with a user name or password are not fetched.")
    return parts


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def check_host(host: str, port: int, allow_private: bool) -> None:
    """Refuse a host that resolves to a non-public address (or to nothing)."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise FetchError(f"The address's host {host!r} could not be resolved.") from exc
    addresses = {str(info[4][0]) for info in infos}
    if not addresses:
        raise FetchError(f"The address's host {host!r} could not be resolved.")
    if not allow_private and not all(_is_public(a) for a in addresses):
        raise FetchError(
            f"{host} is a private, loopback or link-local address; such addresses are not fetched "
            "(setting ALLOW_PRIVATE_URLS)."
        )


def page_name(url: str, content_type: str) -> str:
    """A file name for the page: the last path segment, given the suffix its Content-Type names when the
    segment has none the loaders read."""
    parts = urllib.parse.urlsplit(url)
    segment = PurePosixPath(urllib.parse.unquote(parts.path)).name or (parts.hostname or "page")
    if suffix_of(segment) in supported_suffixes():
        return segment
    suffix = SUFFIX_OF_TYPE.get(content_type.split(";", 1)[0].strip().lower())
    if suffix is None:
        raise FetchError(f"The page is {content_type or 'of no stated type'}, not an article format.")
    return segment + suffix


async def fetch_page(url: str, *, max_bytes: int, timeout: float, allow_private: bool) -> Page:
    """The page at ``url``: at most ``max_bytes`` bytes, all of it within ``timeout`` seconds."""
    try:
        return await asyncio.wait_for(_fetch(url, max_bytes, timeout, allow_private), timeout)
    except TimeoutError as exc:
        raise FetchError(f"The page did not arrive within {timeout:g} s.") from exc


async def _fetch(url: str, max_bytes: int, timeout: float, allow_private: bool) -> Page:
    async with httpx.AsyncClient(timeout=timeout, follow_redirects=False, trust_env=False) as client:
        for _ in range(MAX_REDIRECTS + 1):
            parts = check_url(url)
            assert parts.hostname is not None
            await check_host(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80), allow_private)
            try:
                async with client.stream("GET", url) as response:
                    if response.is_redirect:
                        url = urllib.parse.urljoin(url, response.headers.get("location", ""))
                        continue
                    if response.status_code != 200:
                        raise FetchError(f"The server answered {response.status_code} {response.reason_phrase}.")
                    declared = response.headers.get("content-length", "")
                    if declared.isdigit() and int(declared) > max_bytes:
                        raise FetchError(f"The page is larger than {max_bytes // (1024 * 1024)} MB.")
                    data = bytearray()
                    async for chunk in response.aiter_bytes():
                        data.extend(chunk)
                        if len(data) > max_bytes:
                            raise FetchError(f"The page is larger than {max_bytes // (1024 * 1024)} MB.")
                    name = page_name(str(response.url), response.headers.get("content-type", ""))
                    return Page(str(response.url), name, bytes(data))
            except httpx.HTTPError as exc:
                raise FetchError(f"The page could not be downloaded ({exc.__class__.__name__}).") from exc
        raise FetchError(f"More than {MAX_REDIRECTS} redirects.")
