"""Text as XML 1.0 can carry it.

The one text rule (``core.text``) refuses only NUL, so a stored title may hold control
characters such as U+001F, which XML 1.0 cannot represent at all: lxml refuses them and
an export would fail. Every element text the exporters write passes through here, which
replaces each such character by U+FFFD (the replacement character)."""

from __future__ import annotations

import re

# The complement of XML 1.0's Char production.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
