"""Pages shown the way they are read: landscape tables printed on portrait paper.

A landscape table on portrait paper is drawn turned a quarter. With /Rotate 90 (or 270) the page
asks viewers to turn it back; pdfminer then returns its text and rules upright already, and only
the page box needs turning (`upright`). Without /Rotate only the text matrix says which way is up:
pdfminer reads every glyph as rotated, and table finding would see the columns as rows. `upright`
then turns every object of the page back a quarter, so that text runs left to right again.
"""

from __future__ import annotations

from collections import Counter

from pdfplumber.page import DerivedPage

_TURNED_SHARE = 0.8     # of a page's glyphs, drawn turned the same way, for the page to be read turned
LEFT, RIGHT = "left", "right"


def upright(page):
    """The page as it is read: turned back if its content is drawn turned a quarter without
    /Rotate; with /Rotate 90 or 270 cropped to the turned box (pdfplumber keeps the unturned box,
    and cropping to a table outside it would fail)."""
    if page.rotation % 180 != 0:
        return page.crop((0, 0, page.height, page.width), strict=False)
    turn = content_turn(page.chars)
    return page if turn is None else TurnedPage(page, turn)


def content_turn(chars: list[dict]) -> str | None:
    """Which way most glyphs are drawn turned a quarter (LEFT: text reads upwards), if they are."""
    turns = Counter(_turn(char["matrix"]) for char in chars)
    if not turns:
        return None
    turn, count = turns.most_common(1)[0]
    return turn if turn is not None and count >= _TURNED_SHARE * len(chars) else None


def _turn(matrix: tuple) -> str | None:
    a, b, c, d = matrix[:4]
    if abs(a) < 1e-6 and abs(d) < 1e-6 and b > 0 > c:
        return LEFT
    if abs(a) < 1e-6 and abs(d) < 1e-6 and b < 0 < c:
        return RIGHT
    return None


class TurnedPage(DerivedPage):
    """A page whose objects are turned a quarter back: a page drawn turned LEFT is turned right."""

    def __init__(self, parent_page, turn: str):
        self.bbox = (0, 0, parent_page.height, parent_page.width)
        self.turn = turn
        super().__init__(parent_page)

    @property
    def objects(self) -> dict[str, list[dict]]:
        if not hasattr(self, "_objects"):
            self._objects = {kind: [self._turned(obj) for obj in objects]
                             for kind, objects in self.parent_page.objects.items()}
        return self._objects

    def _point(self, x: float, top: float) -> tuple[float, float]:
        if self.turn == LEFT:
            return self.parent_page.height - top, x
        return top, self.parent_page.width - x

    def _turned(self, obj: dict) -> dict:
        corners = [self._point(obj["x0"], obj["top"]), self._point(obj["x1"], obj["bottom"])]
        x0, x1 = sorted(x for x, _ in corners)
        top, bottom = sorted(y for _, y in corners)
        turned = {**obj, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
                  "y0": self.height - bottom, "y1": self.height - top,
                  "doctop": self.initial_doctop + top}
        if "pts" in obj:
            turned["pts"] = [self._point(x, y) for x, y in obj["pts"]]
        if obj.get("object_type") == "char":
            turned["upright"] = True
        return turned
