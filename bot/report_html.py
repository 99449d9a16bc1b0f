"""The client's report (bot.report) as one self-contained HTML page: what opens in any browser or phone and prints to
PDF, where the Markdown shows its pipes. Only the Markdown the report and the evidence (bot.evidence_page) write is
read: headings, tables, list items, paragraphs; web addresses become links."""

from __future__ import annotations

import html
import re

_ADDRESS = re.compile(r"https?://[^\s<>\"')»]+")
STYLE = """body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#1d1d1f;line-height:1.45}h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem;
border-bottom:1px solid #ddd;padding-bottom:.2rem}table{border-collapse:collapse;width:100%;margin:.5rem 0}
.scroll{overflow-x:auto}th,td{border:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f6}td:not(:first-child){white-space:nowrap}li{margin:.2rem 0}a{color:#0b63ce;word-break:break-all}
@media print{body{margin:0}a{color:inherit}}"""


def table_cell(text: str) -> str:
    """Text for a cell of the Markdown tables the pages read: one line, its pipes not column breaks."""
    return " ".join(text.split()).replace("|", "\\|")


def _inline(text: str) -> str:
    """A line's text as HTML: escaped, its web addresses linked."""
    out, last = [], 0
    for found in _ADDRESS.finditer(text):
        out.append(html.escape(text[last:found.start()]))
        address = html.escape(found.group())
        out.append(f'<a href="{address}">{address}</a>')
        last = found.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def _cells(row: str) -> list[str]:
    """A Markdown table row's cells (`\\|` is a pipe within a cell)."""
    inner = row.strip().removeprefix("|").removesuffix("|")
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", inner)]


def report_html(markdown: str, language: str) -> str:
    """The report's Markdown as an HTML page in `language` (its <html lang>), titled by its first heading."""
    body: list[str] = []
    title = ""
    table: list[list[str]] = []
    items: list[str] = []

    def flush() -> None:
        if table:
            head, *rows = table
            body.append('<div class="scroll"><table><thead><tr>'  # (wide tables scroll on a phone)
                        + "".join(f"<th>{_inline(c)}</th>" for c in head) + "</tr></thead>"
                        "<tbody>" + "".join("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in row) + "</tr>"
                                            for row in rows) + "</tbody></table></div>")
            table.clear()
        if items:
            body.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
            items.clear()

    for line in markdown.splitlines():
        if line.startswith("|"):
            if items:
                flush()
            if not re.fullmatch(r"\|(?:\s*:?-+:?\s*\|)+", line.strip()):  # not the header's separator
                table.append(_cells(line))
            continue
        if line.startswith("- "):
            if table:
                flush()
            items.append(_inline(line[2:]))
            continue
        flush()
        if line.startswith("### "):
            body.append(f"<h3>{_inline(line[4:])}</h3>")
        elif line.startswith("## "):
            body.append(f"<h2>{_inline(line[3:])}</h2>")
        elif line.startswith("# "):
            title = title or line[2:]
            body.append(f"<h1>{_inline(line[2:])}</h1>")
        elif line.strip():
            body.append(f"<p>{_inline(line)}</p>")
    flush()
    return (f'<!DOCTYPE html>\n<html lang="{html.escape(language)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")
