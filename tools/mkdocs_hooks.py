"""MkDocs hooks of the documentation site (mkdocs.yml ``hooks:``).

- The Markdown under docs/ is read on the repository host as well as on the site, so it
  links to files outside docs/ (``../tests/authoring_errors/CR101-yaml-syntax/``). Such a
  link has no page on the site: the hook checks that its target exists in the repository
  (a missing one fails the strict build) and shows the link's text without the link.
- Chinese paragraphs are wrapped in the source; a browser shows each line break as a
  space, which Chinese text has none of. The hook joins a line ending in a Chinese
  character to the next one starting with one (outside code blocks).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

_LINK = re.compile(r"\[(?P<text>[^\]]+)\]\((?P<url>[^)\s]+)\)")
_CJK = "\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\u201c\u201d\u2018\u2019"
_ENDS_CJK = re.compile(f"[{_CJK}]$")
_STARTS_CJK = re.compile(f"^\\s*[{_CJK}]")


def join_cjk_lines(markdown: str) -> str:
    """Join wrapped lines of Chinese text, leaving code blocks as they are."""
    out: list[str] = []
    fence = False
    for line in markdown.split("\n"):
        stripped = line.lstrip()
        joinable = (
            not fence
            and out
            and not out[-1].lstrip().startswith(("#", "|"))
            and _ENDS_CJK.search(out[-1]) is not None
            and _STARTS_CJK.match(line) is not None
        )
        if stripped.startswith(("```", "~~~")):
            fence = not fence
        if joinable:
            out[-1] += stripped
        else:
            out.append(line)
    return "\n".join(out)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    from mkdocs.exceptions import PluginError  # the docs extra; tests import this module without it

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

    return join_cjk_lines(_LINK.sub(outside, markdown))
