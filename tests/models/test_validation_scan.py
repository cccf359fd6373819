"""The text checks of validation.py (control, bidirectional, surrogate characters) scan with
regular expressions, fast on long imported texts: they refuse exactly the characters the
Unicode definitions name, no more, no less."""
from __future__ import annotations

import sys
import unicodedata

from console.models.validation import (
    BIDI_CONTROLS,
    check_text,
    has_bidi_controls,
    has_control_characters,
)


def test_control_characters_are_exactly_unicode_category_cc_but_tab_and_newlines():
    # The whole Basic Multilingual Plane, and the last code point: Cc lies in U+0000-U+009F.
    for code in [*range(0x10000), sys.maxunicode]:
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        expected = unicodedata.category(ch) == "Cc" and ch not in "\t\n\r"
        assert has_control_characters(f"a{ch}b") is expected, hex(code)
        assert has_bidi_controls(f"a{ch}b") is (ch in BIDI_CONTROLS), hex(code)


def test_lone_surrogates_are_refused_and_paired_characters_are_not():
    for code in (0xD800, 0xDBFF, 0xDC00, 0xDFFF):
        errors: dict[str, str] = {}
        check_text("title", f"a{chr(code)}b", 300, errors, required=True)
        assert errors == {"title": "contains invalid Unicode (lone surrogate)"}
    errors = {}
    assert check_text("title", "🚑 U+D7FF \ud7ff U+E000 \ue000", 300, errors, required=True)
    assert errors == {}
