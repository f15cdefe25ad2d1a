"""The PowerPoint deck: one 16:9 slide per story step, to present or send on.

Each slide has the step's headline as its title, the chart as a PNG (kaleido in the
installed Chromium, all charts drawn in one browser session), the one-line caption under
it and the speaker notes that explain the figure and its caveats. A step whose analysis
is missing gets a text slide saying so.
"""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from goalload.export import figure_images
from goalload.i18n import t
from goalload.report import Analyses
from goalload.story import Slide, build_story

SLIDE_WIDTH = Emu(12192000)  # 13.333 in: exactly 16:9 with 7.5 in
SLIDE_HEIGHT = Inches(7.5)
MARGIN = Inches(0.5)
TITLE_TOP = Inches(0.3)
TITLE_HEIGHT = Inches(1.1)
IMAGE_TOP = Inches(1.45)
CAPTION_HEIGHT = Inches(0.5)
# Chart pixels: 18 px chart text comes out at about 14 pt on the slide.
IMAGE_PX = (1100, 470)
IMAGE_SCALE = 2
TEXT = RGBColor(0x1A, 0x1A, 0x1A)
MUTED = RGBColor(0x44, 0x44, 0x44)
TITLE_ONLY_LAYOUT = 5  # in python-pptx's default template


def _text(shape, text: str, size: int, colour: RGBColor = TEXT, bold: bool = False) -> None:
    frame = shape.text_frame
    frame.word_wrap = True
    frame.text = text
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.color.rgb = colour


def _add_slide(prs: Presentation, slide: Slide, image: bytes | None) -> None:
    page = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    width = SLIDE_WIDTH - 2 * MARGIN
    title = page.shapes.title
    title.left, title.top, title.width, title.height = MARGIN, TITLE_TOP, width, TITLE_HEIGHT
    _text(title, slide.headline, 30, bold=True)
    title.text_frame.paragraphs[0].alignment = PP_ALIGN.LEFT
    caption_top = SLIDE_HEIGHT - CAPTION_HEIGHT - Inches(0.25)
    if image is not None:
        box_height = caption_top - IMAGE_TOP - Inches(0.1)
        # Fit the picture in the box, keeping its aspect ratio, centred.
        ratio = IMAGE_PX[0] / IMAGE_PX[1]
        pic_width = min(width, Emu(int(box_height * ratio)))
        pic_height = Emu(int(pic_width / ratio))
        left = MARGIN + (width - pic_width) // 2
        page.shapes.add_picture(io.BytesIO(image), left, IMAGE_TOP, pic_width, pic_height)
    else:
        box = page.shapes.add_textbox(MARGIN, IMAGE_TOP + Inches(0.5), width, Inches(2))
        _text(box, slide.speaker_notes, 22, MUTED)
    caption = page.shapes.add_textbox(MARGIN, caption_top, width, CAPTION_HEIGHT)
    _text(caption, slide.caption, 16, MUTED)
    page.notes_slide.notes_text_frame.text = slide.speaker_notes


def pptx_bytes(a: Analyses, lang: str = "sv") -> bytes:
    """The deck for the document, in `lang`."""
    slides = build_story(a, lang)
    with_figures = [s for s in slides if s.figure is not None]
    images = figure_images(
        [s.figure for s in with_figures],
        "png",
        width=IMAGE_PX[0],
        height=IMAGE_PX[1],
        scale=IMAGE_SCALE,
    )
    image_of = {s.key: img for s, img in zip(with_figures, images, strict=True)}
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    props = prs.core_properties
    props.title = f"{a.doc.name} – {t('rep.title', lang)}"
    props.language = "en-GB" if lang == "en" else "sv-SE"
    props.author = "Goalload"
    for slide in slides:
        _add_slide(prs, slide, image_of.get(slide.key))
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
