"""Names as catalogues spell them -> comparable keys, lists of names, links.

Catalogues spell one thing many ways: ``Llama-3.1-8B`` and ``Llama 3.1 8B``, ``HuggingFace``
and ``Hugging Face``, ``allen-institute-for-ai`` and ``Allen Institute for AI``. A *key*
removes what does not tell them apart (case, accents, spaces, hyphens, punctuation) and keeps
what does: a separator between two digits becomes a dot, so ``Qwen2.5-1.5B`` and
``Qwen2.5-15B`` keep different keys.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import urlsplit

import pyoxigraph as ox

_PARENTHESES = re.compile(r"\([^)]*\)")
_BETWEEN_DIGITS = re.compile(r"(?<=\d)[^a-z0-9]+(?=\d)")
_NOT_KEY = re.compile(r"[^a-z0-9\x00]+")
_COLLABORATION = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*&\s*")


def name_key(name: str, *, organization: bool = False) -> str:
    """A key under which spellings of one name meet; it is also a valid record id.

    ``organization`` drops parenthesized parts (``Zhipu AI (Z.ai)``, ``Mistral AI (API)``),
    which name a product, a team or an abbreviation of the same organization.

    Examples
    --------
    >>> name_key("Llama-3.1-8B") == name_key("Llama 3.1 8B") == name_key("llama-3.1-8b")
    True
    >>> name_key("Qwen2.5-1.5B"), name_key("Qwen2.5-15B")
    ('qwen2.5.1.5b', 'qwen2.5.15b')
    >>> name_key("allen-institute-for-ai") == name_key("Allen Institute for AI")
    True
    >>> name_key("Zhipu AI (Z.ai)", organization=True), name_key("Jülich"), name_key("01.AI")
    ('zhipuai', 'julich', '01ai')
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("&", " and ")
    if organization:
        text = _PARENTHESES.sub(" ", text)
    text = _BETWEEN_DIGITS.sub("\x00", text)
    key = _NOT_KEY.sub("", text).replace("\x00", ".")
    if not key:  # a name with no Latin letters or digits, e.g. in Chinese script
        key = "n" + hashlib.sha256(name.strip().encode("utf-8")).hexdigest()[:10]
    return key


def collaboration_parts(name: str) -> list[str]:
    """The names a collaboration's name joins with commas, ``and`` or ``&``; [] if none.

    Examples
    --------
    >>> collaboration_parts("USC, Meta, CMU, and UCSD")
    ['USC', 'Meta', 'CMU', 'UCSD']
    >>> collaboration_parts("Mistral AI and NVIDIA"), collaboration_parts("Meta")
    (['Mistral AI', 'NVIDIA'], [])
    """
    parts = [p.strip() for p in _COLLABORATION.split(name) if p.strip()]
    return parts if len(parts) > 1 else []


def as_list(value: object) -> list[object]:
    """A field that may be null, one value or a list of values, as a list.

    Examples
    --------
    >>> as_list(None), as_list("https://a.org"), as_list(["x", None])
    ([], ['https://a.org'], ['x', None])
    """
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def web_iri(text: object) -> ox.NamedNode | None:
    """An http(s) URL as an IRI, or None if ``text`` is not one.

    Examples
    --------
    >>> web_iri(" https://huggingface.co/allenai/OLMo-7B ").value
    'https://huggingface.co/allenai/OLMo-7B'
    >>> web_iri("see the model card"), web_iri("https://"), web_iri(42)
    (None, None, None)
    """
    if not isinstance(text, str):
        return None
    url = text.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
        return None
    try:
        return ox.NamedNode(url)
    except ValueError:
        return None


def plain_text(value: object) -> str | None:
    """A scalar field as stripped text, or None when it is empty or not a scalar.

    Examples
    --------
    >>> plain_text("  Ai2 "), plain_text(7), plain_text(""), plain_text(["x"])
    ('Ai2', '7', None, None)
    """
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = str(value).strip()
    return text or None
