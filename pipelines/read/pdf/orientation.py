"""Pages shown the way they are read: landscape tables printed on portrait paper.

A landscape table on portrait paper is drawn turned a quarter. With /Rotate 90 (or 270) the page
asks viewers to turn it back; pdfminer then returns its text and rules upright already, and only
the page box needs turning (`upright`). Without /Rotate only the text matrix says which way is up:
pdfminer reads every glyph as rotated, and table finding would see the columns as rows. The same
happens to an upright page that a tool turned with /Rotate (a page rotated in a viewer and saved).
`upright` then turns every object of the page back a quarter, so that text runs left to right again.
"""

from __future__ import annotations

from collections import Counter

from pdfplumber.page import DerivedPage

_TURNED_SHARE = 0.8  # of a page's glyphs, drawn turned the same way, for the page to be read turned
LEFT, RIGHT = "left", "right"


def upright(page):
    """The page as it is read. With /Rotate 90 or 270, cropped to the box that holds its content
    (pdfplumber may give the unturned box, and cropping to a table outside it would fail). Then, if
    its text still runs up or down the page (content drawn turned without /Rotate, or upright
    content on a page that /Rotate shows turned), turned back."""
    if page.rotation % 180 != 0:
        page = page.crop(_content_box(page), strict=False)
    turn = content_turn(page.chars)
    return page if turn is None else TurnedPage(page, turn)


def _content_box(page) -> tuple[float, float, float, float]:
    """The page's box, or the box turned if that holds more of its text (or, on a page without text,
    of its rules), widened to what is printed past its edges (a title centred over a sheet wider
    than the paper)."""
    drawn = page.chars or [obj for objects in page.objects.values() for obj in objects]

    def held(width: float, height: float) -> int:
        return sum(1 for obj in drawn if obj["x1"] <= width + 1 and obj["bottom"] <= height + 1)

    width, height = (
        (page.width, page.height)
        if held(page.width, page.height) >= held(page.height, page.width)
        else (page.height, page.width)
    )
    return (
        min([0.0] + [obj["x0"] for obj in drawn]),
        min([0.0] + [obj["top"] for obj in drawn]),
        max([width] + [obj["x1"] for obj in drawn]),
        max([height] + [obj["bottom"] for obj in drawn]),
    )


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
            self._objects = {
                kind: [self._turned(obj) for obj in objects] for kind, objects in self.parent_page.objects.items()
            }
        return self._objects

    def _point(self, x: float, top: float) -> tuple[float, float]:
        x0, top0, x1, bottom = self.parent_page.bbox
        if self.turn == LEFT:
            return bottom - top, x - x0
        return top - top0, x1 - x

    def _turned(self, obj: dict) -> dict:
        corners = [self._point(obj["x0"], obj["top"]), self._point(obj["x1"], obj["bottom"])]
        x0, x1 = sorted(x for x, _ in corners)
        top, bottom = sorted(y for _, y in corners)
        turned = {
            **obj,
            "x0": x0,
            "x1": x1,
            "top": top,
            "bottom": bottom,
            "width": x1 - x0,
            "height": bottom - top,
            "y0": self.height - bottom,
            "y1": self.height - top,
            "doctop": self.initial_doctop + top,
        }
        if "pts" in obj:
            turned["pts"] = [self._point(x, y) for x, y in obj["pts"]]
        if obj.get("object_type") == "char":
            turned["upright"] = True
        return turned
