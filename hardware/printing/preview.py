"""Layout operations drawn as the paper would look (the `preview:` printer and the docs)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont

from hardware.printing.layout import Cut, Feed, Logo, Op, Qr, Rule, Text
from hardware.printing.ticket import Paper

CELL_W, CELL_H = 12, 24  # font A: 12 x 24 dots per character
FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/Library/Fonts",
    "C:/Windows/Fonts",
)
MARGIN = 16

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@cache
def _font(scale: int, bold: bool) -> Font:
    name = "DejaVuSansMono-Bold.ttf" if bold else "DejaVuSansMono.ttf"
    for folder in FONT_DIRS:
        path = Path(folder) / name
        if path.exists():
            return ImageFont.truetype(str(path), size=20 * scale)
    return ImageFont.load_default(size=20 * scale)


def _qr_image(payload: str, module_dots: int) -> Image.Image:
    code = qrcode.QRCode(box_size=module_dots, border=1)
    code.add_data(payload)
    code.make(fit=True)
    image: Image.Image = code.make_image().get_image()
    return image.convert("1")


def render_image(ops: list[Op], paper: Paper) -> Image.Image:
    """The ticket as a black-on-white image `paper.dots` wide, with a margin of paper around."""
    canvas = Image.new("1", (paper.dots, 6000), 1)
    draw = ImageDraw.Draw(canvas)
    y = 0
    for op in ops:
        if isinstance(op, Text):
            font = _font(op.scale, op.bold)
            width = round(draw.textlength(op.text, font=font))
            x = {"left": 0, "center": (paper.dots - width) // 2, "right": paper.dots - width}[
                op.align
            ]
            height = CELL_H * op.scale
            if op.invert:
                draw.rectangle((x, y, x + width, y + height - 1), fill=0)
            draw.text(
                (x, y + height // 2), op.text, font=font, fill=1 if op.invert else 0, anchor="lm"
            )
            y += height
        elif isinstance(op, Rule):
            draw.line((0, y + CELL_H // 2, paper.dots, y + CELL_H // 2), fill=0, width=2)
            y += CELL_H
        elif isinstance(op, Qr | Logo):
            image = _qr_image(op.payload, op.module_dots) if isinstance(op, Qr) else op.image
            canvas.paste(image, ((paper.dots - image.width) // 2, y))
            y += image.height + (CELL_H if isinstance(op, Qr) else 0)
        elif isinstance(op, Feed):
            y += CELL_H * op.lines
        elif isinstance(op, Cut):
            for x in range(0, paper.dots, 16):
                draw.line((x, y + 8, x + 8, y + 8), fill=0)
            y += 16
    ticket = canvas.crop((0, 0, paper.dots, y))
    framed = Image.new("L", (paper.dots + 2 * MARGIN, y + 2 * MARGIN), 235)
    framed.paste(ticket.convert("L"), (MARGIN, MARGIN))
    return framed
