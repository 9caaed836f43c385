"""Which URLs a curated fact may cite: the publisher's own page, never a copy of it.

A source is an http(s) URL whose host is a real host name (``huggingface.co.`` with its
trailing dot is a different cache key of the same site and breaks links) and is not a known
mirror, SEO copy or aggregator of other publishers' pages (:data:`MIRRORS`). Curators add a
host to :data:`MIRRORS` when they meet a new one; docs/curation.md gives the rule.
"""

from __future__ import annotations

from urllib.parse import urlsplit

MIRRORS: dict[str, str] = {
    "1ai.net": "a news aggregator",
    "42papers.com": "an aggregator of paper summaries",
    "aiwiki.ai": "a wiki compiled from other pages",
    "alpha-ollama.hf-mirror.com": "a copy of Hugging Face pages",
    "apxml.com": "an aggregator of model cards",
    "arxiv-vanity.com": "a copy of arXiv papers",
    "cdn-avatars.qwak.ai": "a copy of Hugging Face pages",
    "content.edgar-online.com": "a copy of SEC EDGAR filings",
    "deeppaper.ai": "an aggregator of arXiv papers",
    "docslib.org": "a document-sharing copy of papers",
    "documents.pub": "a document-sharing copy of papers",
    "fast.hugflare.com": "a copy of Hugging Face pages",
    "git.lnyan.com": "a copy of Hugging Face pages",
    "groundai.com": "a copy of arXiv papers",
    "hf-mirror.492719920.workers.dev": "a copy of Hugging Face pages",
    "hf-p-cfw.fyan.top": "a copy of Hugging Face pages",
    "hf.898520.xyz": "a copy of Hugging Face pages",
    "hf.edwardfuchs.keenetic.pro": "a copy of Hugging Face pages",
    "hf.global-rail.com": "a copy of Hugging Face pages",
    "hf.qhduan.com": "a copy of Hugging Face pages",
    "hf.xwall.us.kg": "a copy of Hugging Face pages",
    "hf.yi-lab.net": "a copy of Hugging Face pages",
    "hivebook.wiki": "a wiki compiled from other pages",
    "huggingface.datasetlab.ai": "a copy of Hugging Face pages",
    "huggingface.erdda.com": "a copy of Hugging Face pages",
    "huggingface.proxy.nlp.skieer.com": "a copy of Hugging Face pages",
    "katalog.lib.cas.cz": "a library catalogue's copy of papers",
    "kiadev.net": "an SEO news rewrite of other sites",
    "modelstorage.xiaosuai.com": "a copy of Hugging Face pages",
    "movatter.jp": "a translating proxy of other sites",
    "onehourindexing01.prideseotools.com": "an SEO copy of other sites",
    "phind.xodi.top": "a proxy copy of other sites",
    "readkong.com": "a document-sharing copy of papers",
    "researchpapers.dev": "an SEO summary site of papers",
    "scholarfeed.org": "an aggregator of arXiv papers",
    "shuiyin.accos.tk": "a copy of Hugging Face pages",
    "sotaverified.org": "an aggregator of paper results",
    "study.space": "an aggregator of paper summaries",
    "summarizepaper.com": "an aggregator of arXiv papers",
    "vdocuments.net": "a document-sharing copy of papers",
    "vdocuments.site": "a document-sharing copy of papers",
    "voozh.deno.dev": "a proxy copy of other sites",
    "vuink.com": "a ROT13 mirror of other sites",
    "xugj520.cn": "an SEO blog rewriting other sites",
    "zoo.bimant.com": "a copy of model cards",
}
"""Hosts (and their subdomains) whose pages copy other publishers' pages, with what they are."""

FIX = "cite the publisher's own page that states the fact (model card, paper, organization site, press release)"


def source_problem(url: str) -> str | None:
    """Why ``url`` cannot be a fact's source, or None if it can.

    Examples
    --------
    >>> source_problem("https://huggingface.co/allenai/OLMo-7B") is None
    True
    >>> source_problem("notes/bloom.md").startswith("'notes/bloom.md' is not an http(s) URL")
    True
    >>> source_problem("https://huggingface.co./EleutherAI/pythia-70m")
    "host 'huggingface.co.' ends in a dot: write 'huggingface.co'"
    """
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return f"{url!r} is not an http(s) URL: {FIX}"
    host = parts.hostname.lower()
    if host.endswith("."):
        return f"host {host!r} ends in a dot: write {host.rstrip('.')!r}"
    for mirror, what in MIRRORS.items():
        if host == mirror or host.endswith("." + mirror):
            return f"{mirror} is {what}, not a primary source: {FIX}"
    return None


def primary_source(value: object) -> object:
    """Pydantic before-validator of source URLs: refuses what :func:`source_problem` refuses."""
    if isinstance(value, str):
        problem = source_problem(value)
        if problem:
            raise ValueError(problem)
    return value
