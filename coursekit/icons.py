"""A small stand-in for the theme's Font Awesome bundle, holding only the icons the site uses.

pydata-sphinx-theme ships all of Font Awesome Free as one 1.5 MB script that swaps each
``<i class="fa-solid fa-NAME">`` for an inline SVG. This module reads the icon shapes out of that
script and writes a script of a few kilobytes that does the same for the icons the built pages name.
Font Awesome Free icons are CC BY 4.0 and its code MIT (https://fontawesome.com/license/free)."""

from __future__ import annotations

import json
import re
from pathlib import Path

BUNDLE = Path("_static") / "scripts" / "fontawesome.js"
PACK_CALL = re.compile(r'\b\w+\("(fab|far|fas)",\w+\)')
ICON = re.compile(r'(?:"([a-z0-9-]+)"|\b([a-z0-9]+)):\[(\d+),(\d+),\[([^\]]*)\],"[0-9a-f]*","([^"]*)"\]')
PACKS = {"fab": "brands", "far": "regular", "fas": "solid"}

RUNTIME = """(() => {
  const PACK = {fas: "solid", "fa-solid": "solid", far: "regular", "fa-regular": "regular", fab: "brands", "fa-brands": "brands"};
  const NS = "http://www.w3.org/2000/svg";
  const style = document.createElement("style");
  style.textContent = ".svg-inline--fa{display:inline-block;height:1em;overflow:visible;vertical-align:-.125em;width:auto}"
    + ".svg-inline--fa.fa-lg{height:1.25em;vertical-align:-.2em}.svg-inline--fa.fa-fw{width:1.25em}";
  document.head.appendChild(style);
  const swap = (el) => {
    let pack = "solid", def = null, name = null;
    for (const c of el.classList) if (PACK[c]) pack = PACK[c];
    for (const c of el.classList) {
      const n = c.slice(3);
      if (c.startsWith("fa-") && ICONS[pack] && ICONS[pack][n]) { def = ICONS[pack][n]; name = n; }
    }
    if (!def) return;
    const svg = document.createElementNS(NS, "svg");
    for (const a of el.attributes) if (a.name !== "class") svg.setAttribute(a.name, a.value);
    svg.setAttribute("class", "svg-inline--fa " + el.getAttribute("class"));
    svg.setAttribute("data-icon", name);
    svg.setAttribute("viewBox", "0 0 " + def[0] + " " + def[1]);
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const path = document.createElementNS(NS, "path");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", def[2]);
    svg.appendChild(path);
    el.replaceWith(svg);
  };
  const scan = (root) => root.querySelectorAll && root.querySelectorAll("i[class*='fa-'], span[class*='fa-']").forEach(swap);
  const start = () => {
    scan(document);
    new MutationObserver((records) => records.forEach((r) => r.addedNodes.forEach((n) => {
      if (n.nodeType === 1) { if (n.matches("i[class*='fa-'], span[class*='fa-']")) swap(n); else scan(n); }
    }))).observe(document.body, {childList: true, subtree: true});
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
"""


class IconError(Exception):
    """The theme's icon bundle could not be read."""


def read_bundle(text: str) -> dict[str, dict[str, list]]:
    """Every icon in the Font Awesome bundle, by pack and by name (aliases included)."""
    packs: dict[str, dict[str, list]] = {}
    start = 0
    for call in PACK_CALL.finditer(text):
        icons: dict[str, list] = {}
        for m in ICON.finditer(text, start, call.start()):
            shape = [int(m.group(3)), int(m.group(4)), m.group(6)]
            icons[m.group(1) or m.group(2)] = shape
            for alias in re.findall(r'"([a-z0-9-]+)"', m.group(5)):
                icons.setdefault(alias, shape)
        if icons:
            packs.setdefault(PACKS[call.group(1)], {}).update(icons)
        start = call.end()
    if "solid" not in packs:
        raise IconError("no solid icons found: the theme's fontawesome.js has a layout coursekit does not know")
    return packs


def used_names(outdir: Path) -> set[str]:
    """Every fa-NAME the built pages and the theme's scripts mention."""
    names: set[str] = set()
    files = [p for p in outdir.rglob("*.html") if "_static" not in p.relative_to(outdir).parts]
    files += [p for p in (outdir / "_static").rglob("*.js") if p.name != "fontawesome.js"]
    for path in files:
        names |= set(re.findall(r"\bfa-([a-z0-9-]+)", path.read_text(encoding="utf-8", errors="replace")))
    return names


def write_subset(outdir: Path) -> int:
    """Overwrite the built site's fontawesome.js with the subset it needs; return the icon count."""
    bundle = outdir / BUNDLE
    if not bundle.is_file():
        return 0
    text = bundle.read_text(encoding="utf-8")
    if text.startswith("/* coursekit icon subset"):
        return -1  # already replaced in this output folder
    packs = read_bundle(text)
    wanted = used_names(outdir)
    subset = {pack: {n: icons[n] for n in sorted(wanted) if n in icons} for pack, icons in packs.items()}
    subset = {pack: icons for pack, icons in subset.items() if icons}
    count = sum(len(icons) for icons in subset.values())
    header = ("/* coursekit icon subset of Font Awesome Free (https://fontawesome.com/license/free): "
              "icons CC BY 4.0, code MIT. */\n")
    bundle.write_text(header + "const ICONS = " + json.dumps(subset, separators=(",", ":")) + ";\n" + RUNTIME,
                      encoding="utf-8")
    (outdir / BUNDLE).with_suffix(".js.map").unlink(missing_ok=True)
    return count


def css_codepoints(outdir: Path) -> set[int]:
    """The icon-font characters (Unicode private use area) that the site's stylesheets draw."""
    found: set[int] = set()
    for css in (outdir / "_static").rglob("*.css"):
        found |= {ord(c) for c in css.read_text(encoding="utf-8", errors="replace") if 0xE000 <= ord(c) <= 0xF8FF}
    return found


def subset_webfonts(outdir: Path) -> int:
    """Cut the theme's Font Awesome web fonts down to the glyphs its CSS uses; return bytes saved."""
    import logging

    from fontTools import subset

    logging.getLogger("fontTools").setLevel(logging.WARNING)

    fonts = sorted((outdir / "_static").rglob("fa-*.woff2"))
    codepoints = css_codepoints(outdir)
    saved = 0
    for font_path in fonts:
        before = font_path.stat().st_size
        options = subset.Options()
        options.flavor = "woff2"
        options.layout_features = ["*"]
        font = subset.load_font(str(font_path), options)
        if not codepoints & set(font.getBestCmap() or {}):
            font.close()
            continue  # nothing of this font is used; leave it as it is (it is never downloaded)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codepoints)
        subsetter.subset(font)
        subset.save_font(font, str(font_path), options)
        font.close()
        saved += before - font_path.stat().st_size
    return saved
