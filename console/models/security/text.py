"""Text safe to store and show anywhere: invalid Unicode and control characters replaced."""
from __future__ import annotations


def clean(text: str) -> str:
    """The text with invalid Unicode and control characters replaced (safe to store anywhere)."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    return "".join(ch if ch >= " " and ch != "\x7f" else "\ufffd" for ch in text)
