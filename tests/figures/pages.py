"""Reading pages as a viewer would, to compare them between two versions of the answers.

What differs between two responses for reasons other than the data is taken out: the CSRF
token and the CSP nonce (new for every response), and the creation time inside an XLSX file.
"""

from __future__ import annotations

import io
import re
import zipfile

CSRF = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*"')
NONCE = re.compile(rb'nonce="[^"]*"')


def content(response) -> bytes:
    data = (
        b"".join(response.streaming_content)
        if getattr(response, "streaming", False)
        else response.content
    )
    if data[:2] == b"PK":  # XLSX: the sheets and strings, not the file's creation time
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return b"\n".join(
                archive.read(name)
                for name in sorted(archive.namelist())
                if name != "docProps/core.xml"
            )
    return NONCE.sub(b'nonce=""', CSRF.sub(rb'\1"', data))


def read(client, urls) -> dict[str, tuple[int, bytes]]:
    """Status and normalised content of every URL."""
    result = {}
    for url in urls:
        response = client.get(url)
        result[url] = (response.status_code, content(response))
    return result


def differences(first: dict, second: dict) -> list[str]:
    return [url for url in first if first[url] != second.get(url)]
