"""MkDocs hooks of the documentation site (mkdocs.yml ``hooks:``).

The Markdown under docs/ is read on the repository host as well as on the site, so it
links to files outside docs/ (``../tests/authoring_errors/CR101-yaml-syntax/``). Such a
link has no page on the site: this hook checks that its target exists in the repository
(a missing one fails the strict build) and shows the link's text without the link.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

_LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<url>[^)\s]+)\)")


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    docs = Path(config["docs_dir"]).resolve()
    repo = docs.parent
    here = Path(page.file.abs_src_path).parent

    def outside(m: re.Match[str]) -> str:
        url = m.group("url")
        if "://" in url or url.startswith(("#", "mailto:")):
            return m.group(0)
        target = (here / url.split("#", 1)[0]).resolve()
        if target.is_relative_to(docs):
            return m.group(0)
        if not target.is_relative_to(repo) or not target.exists():
            raise PluginError(f"{page.file.src_path}: link to {url}, which does not exist")
        return m.group("text")

    return _LINK.sub(outside, markdown)
