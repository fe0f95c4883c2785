"""The Word certificate samples (imported by make_cert_samples.py, which writes them).

Word certificate templates set the learner and the course in large centred runs, put them in text boxes
anchored on the page (Word writes each box twice: a DrawingML shape and a VML fallback), lay labels and
values out in a borderless table, or leave a placeholder name in the template.
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.shared import Mm, Pt

__all__ = ["DOCX_SAMPLES"]

FIXED = dt.datetime(2025, 1, 1, 12, 0, 0)
_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
       'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
       'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
       'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
       'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
       'xmlns:v="urn:schemas-microsoft-com:vml"')


def _document(landscape: bool = False) -> Any:
    document = docx.Document()
    props = document.core_properties
    props.author = props.last_modified_by = "cpd-evidence samples"
    props.created = props.modified = props.last_printed = FIXED
    props.revision = 1
    if landscape:
        section = document.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    return document


def _save(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def _line(document: Any, text: str, size: float, bold: bool = False, italic: bool = False, font: str = "Calibri",
          centred: bool = True, space_after: float = 6) -> None:
    paragraph = document.add_paragraph()
    if centred:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(space_after)
    run = paragraph.add_run(text)
    run.font.size, run.font.bold, run.font.italic, run.font.name = Pt(size), bold, italic, font


def centred_runs() -> bytes:
    document = _document(landscape=True)
    _line(document, "Larkspur Training Ltd", 14, bold=True, font="Georgia")
    _line(document, "Certificate of Completion", 30, bold=True, font="Georgia", space_after=18)
    _line(document, "This certificate is awarded to", 12)
    _line(document, "Harriet Cole", 28, font="Georgia", italic=True)
    _line(document, "for successfully completing the e-learning module", 12)
    _line(document, "Trust Registration Service: 2025 Changes", 20, bold=True)
    _line(document, "Completed on 9 September 2025  |  CPD: 1 hour", 11, space_after=24)
    _line(document, "Certificate number: LT-2025-44871", 9)
    return _save(document)


def _box(texts: list[tuple[str, float, bool]], top_pt: float, left_pt: float, width_pt: float, number: int) -> str:
    """An anchored text box as Word writes it: a DrawingML shape, and a VML copy for older readers."""
    paragraphs = "".join(
        f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr>{"<w:b/>" if bold else ""}'
        f'<w:sz w:val="{int(size * 2)}"/></w:rPr><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
        for text, size, bold in texts)
    emu = 12700
    return (
        f'<w:r {_NS}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        f'<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="{number}" behindDoc="0" '
        f'locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="page"><wp:posOffset>{int(left_pt * emu)}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="page"><wp:posOffset>{int(top_pt * emu)}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{int(width_pt * emu)}" cy="{int(60 * emu)}"/><wp:wrapNone/>'
        f'<wp:docPr id="{number}" name="Text Box {number}"/>'
        f'<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f'<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr/><wps:txbx><w:txbxContent>{paragraphs}</w:txbxContent>'
        f'</wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
        f'<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{paragraphs}</w:txbxContent></v:textbox>'
        f'</v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>'
    )


def text_boxes() -> bytes:
    document = _document(landscape=True)
    anchor = document.add_paragraph()
    boxes = [
        ([("Kestrel Professional Education", 12, True)], 50, 60, 300),
        ([("CERTIFICATE OF ATTENDANCE", 26, True)], 110, 120, 600),
        ([("This is to certify that", 12, False)], 175, 120, 600),
        ([("Matteo Bianchi", 30, False)], 200, 120, 600),
        ([("attended the seminar", 12, False)], 250, 120, 600),
        ([("Offshore Trusts and the Economic Substance Rules", 20, True)], 275, 120, 600),
        ([("DATE", 9, True), ("27 November 2025", 12, False)], 400, 120, 200),
        ([("CPD HOURS", 9, True), ("3", 12, False)], 400, 520, 200),
        ([("Programme Director", 9, False)], 480, 520, 200),
    ]
    for number, (texts, top, left, width) in enumerate(boxes, start=1):
        anchor._p.append(parse_xml(_box(texts, top, left, width, number)))
    return _save(document)


def placeholder_template() -> bytes:
    document = _document()
    _line(document, "Certificate of Completion", 28, bold=True)
    _line(document, "This is to certify that", 12)
    _line(document, "Recipient Name", 24, italic=True)
    _line(document, "has successfully completed the online course", 12)
    _line(document, "Client Money Rules for Trust Companies", 18, bold=True)
    _line(document, "Date: 2 December 2025", 11)
    _line(document, "Ashdown Compliance Ltd", 11)
    return _save(document)


def layout_table() -> bytes:
    document = _document()
    _line(document, "Fenwick Law School", 14, bold=True)
    _line(document, "Certificate of CPD Attendance", 24, bold=True, space_after=18)
    table = document.add_table(rows=5, cols=2)
    for row, (label, value) in zip(table.rows, (
            ("Participant", "Niamh O'Sullivan"), ("Course title", "Contentious Probate: Recent Cases"),
            ("Date of course", "19 June 2025"), ("CPD hours", "2.5"), ("Course code", "FLS-CP-0619"))):
        row.cells[0].text, row.cells[1].text = label, value
    _line(document, "Authorised signatory", 9)
    return _save(document)


def spanish_constancia() -> bytes:
    document = _document(landscape=True)
    _line(document, "Colegio de Asesores Patrimoniales", 14, bold=True)
    _line(document, "CONSTANCIA DE PARTICIPACIÓN", 26, bold=True, space_after=18)
    _line(document, "Se otorga la presente constancia a", 12)
    _line(document, "María José Ortega", 26, italic=True)
    _line(document, "por su participación en el taller", 12)
    _line(document, "Sucesiones transfronterizas en la Unión Europea", 18, bold=True)
    _line(document, "realizado el 12 de marzo de 2025, con una duración de 4 horas.", 11)
    return _save(document)


def recognition_docx() -> bytes:
    document = _document(landscape=True)
    _line(document, "CERTIFICATE", 36, bold=True)
    _line(document, "OF RECOGNITION", 18)
    _line(document, "This Certificate Is Awarded To", 12)
    _line(document, "Hannah Morales", 30, italic=True)
    _line(document, "Lorem ipsum dolor sit amet, consectetur adipiscing elit.", 11)
    _line(document, "Juliana Silva", 12)
    _line(document, "Chief Executive", 10)
    return _save(document)


DOCX_SAMPLES: list[dict[str, Any]] = [
    {"name": "docx-centred-runs", "style": "Word template, centred paragraphs with large runs", "make": centred_runs,
     "activities": [{"title": "Trust Registration Service: 2025 Changes", "learner": "Harriet Cole",
                     "provider": "Larkspur Training Ltd", "activity_type": "e_learning", "completed_on": "2025-09-09",
                     "cpd_hours": 1.0, "reference": "LT-2025-44871"}]},
    {"name": "docx-text-boxes", "style": "Word template built of anchored text boxes (with VML fallback copies)",
     "make": text_boxes,
     "activities": [{"title": "Offshore Trusts and the Economic Substance Rules", "learner": "Matteo Bianchi",
                     "provider": "Kestrel Professional Education", "activity_type": "seminar",
                     "completed_on": "2025-11-27", "cpd_hours": 3.0}]},
    {"name": "docx-placeholder-name", "style": "Word template left with a placeholder name", "make": placeholder_template,
     "activities": [{"title": "Client Money Rules for Trust Companies", "learner": None,
                     "activity_type": "e_learning", "completed_on": "2025-12-02"}]},
    {"name": "docx-layout-table", "style": "Word certificate with a borderless label/value table", "make": layout_table,
     "activities": [{"title": "Contentious Probate: Recent Cases", "learner": "Niamh O'Sullivan",
                     "provider": "Fenwick Law School", "completed_on": "2025-06-19", "cpd_hours": 2.5,
                     "reference": "FLS-CP-0619"}]},
    {"name": "docx-spanish-constancia", "style": "Spanish constancia de participación", "make": spanish_constancia,
     "activities": [{"title": "Sucesiones transfronterizas en la Unión Europea", "learner": "María José Ortega",
                     "provider": "Colegio de Asesores Patrimoniales", "activity_type": "workshop",
                     "completed_on": "2025-03-12", "duration_minutes": 240}]},
    {"name": "docx-recognition-no-activity", "style": "certificate of recognition naming nothing learned",
     "make": recognition_docx, "activities": []},
]
