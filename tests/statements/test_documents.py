"""Cabinet-ready documents (issue 15 item 4, issue 21 points 5 and 6): the statement, the
consultation report and the progress report, as Word (opened and printed to PDF by LibreOffice)
and as PDF (WeasyPrint), read page by page: a running header and footer with the council,
the title, the version and "Page X of Y"; no word broken inside a table header; commitments
keeping their own numbers; who took part and how to read the figures; workshop ideas and
ideas without votes said so; table descriptions, header scope and language of parts."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn
from docx.shared import Mm
from pypdf import PdfReader

from kil_consult.ideas.models import CommunityEvent, Source
from kil_consult.statements import services
from kil_consult.timeutil import utcnow
from tests import factories
from tests.documents import libreoffice_pdf

from . import world as world_module

COUNCIL = "East Testshire Council"
WELSH = "Croeso i bawb yn Nhestshire."
HEADER_WORDS = ("Neighbourhood", "Organisations", "Disagree", "agreeing", "Attended", "Comments")


@pytest.fixture
def cabinet(db):
    """A published statement citing many ideas: long titles, a workshop idea, an idea with no
    votes, organisations with long names, people in neighbourhoods with populations, and a
    Welsh passage in the preamble."""
    world = world_module.build()
    places = [
        factories.make_neighbourhood("Neighbourhood North", population=12000),
        factories.make_neighbourhood("St Leonards-on-Sea", population=8000),
    ]
    consultation = world.process.consultations[0]
    event = CommunityEvent(
        consultation=consultation,
        kind=Source.EVENT,
        name="Hastings library workshop",
        held_on=date(2026, 11, 3),
        place="Hastings library",
        attendees=24,
    )
    factories.db.session.add(event)
    factories.db.session.flush()
    voters = [factories.make_user(neighbourhood_id=places[i % 2].id) for i in range(4)]
    workshop = factories.make_idea(
        consultation,
        world.facilitator,
        title="A repair café in every library",
        source=Source.EVENT,
        event_id=event.id,
    )
    silent = factories.make_idea(consultation, title="Allotments on council land")
    organisation = factories.make_organisation(name="Hastings and Rother Voluntary Organisations")
    extra = []
    for n in range(24):
        idea = factories.make_idea(
            consultation,
            voters[n % 4],
            title=f"Community-led neighbourhood improvement scheme number {n} for the high street",
            organisation_id=organisation.id if n % 3 == 0 else None,
        )
        for voter in voters[: 1 + n % 4]:
            factories.make_vote(idea, voter, "agree" if n % 2 else "disagree")
        extra.append(idea)
    factories.make_vote(workshop, voters[0], "agree")
    statement = services.start_from_summaries(world.process, world.facilitator)
    content = dict(statement.latest.content)
    content["preamble"] = f"We endorse the principles.\n\n:::lang cy\n{WELSH}\n:::"
    commitments = [dict(c) for c in content["commitments"]]
    commitments[0]["ideas"] = sorted(
        {*commitments[0]["ideas"], workshop.id, silent.id, *(i.id for i in extra)}
    )
    commitments[0]["owner"] = "Director of Communities"
    content["commitments"] = commitments
    services.save_version(statement, world.facilitator, content, "More evidence")
    services.record_decision(statement, world.admin, "Cabinet", utcnow().date(), "Minute 42")
    services.add_signatory(statement, world.admin, "Cllr Lee Leader", "Leader", utcnow().date())
    services.publish(statement, world.admin, override="Owners and dates follow in the next version")
    for commitment in services.commitments_by_id(statement).values():
        services.add_progress(
            commitment,
            world.admin,
            services.CommitmentStatus.IN_PROGRESS,
            utcnow().date(),
            "Begun with the first three neighbourhoods.",
        )
    factories.db.session.commit()
    world.statement, world.workshop, world.silent = statement, workshop, silent
    return world


def _download(client, path: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.data


def _paths(world) -> dict[str, str]:
    slug = world.process.consultations[0].slug
    return {
        "statement": "/statement/download/{kind}",
        "report": f"/consultations/{slug}/report.{{kind}}",
        "progress": "/statement/progress/download/{kind}",
    }


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def _assert_clean_pages(pages: list[str], title_start: str) -> None:
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text, (number, text[-300:])
        assert COUNCIL in text, number
        assert title_start in text, number
        for word in HEADER_WORDS:
            for cut in range(1, len(word)):
                broken = f"{word[:cut]}\n{word[cut:]}"
                assert broken not in text, f"'{word}' is broken on page {number}"


@pytest.mark.parametrize("document", ["statement", "report", "progress"])
def test_word_and_pdf_print_with_running_header_footer_and_whole_words(
    client, cabinet, tmp_path, document
):
    path = _paths(cabinet)[document]
    title_start = {
        "statement": "Keep it Local",
        "report": "You said, we did",
        "progress": "progress report",
    }[document]
    word = tmp_path / f"{document}.docx"
    word.write_bytes(_download(client, path.format(kind="docx")))
    printed = libreoffice_pdf(word, tmp_path)
    (tmp_path / f"{document}-weasy.pdf").write_bytes(_download(client, path.format(kind="pdf")))
    for pages in (_pages(printed), _pages((tmp_path / f"{document}-weasy.pdf").read_bytes())):
        _assert_clean_pages(pages, title_start)
        if document != "progress":
            assert len(pages) >= 2, "the document should run to more than one page"
        text = " ".join("\n".join(pages).split())
        if document != "progress":
            assert "Who took part and how" in text and "How we read the results" in text
            assert "Hastings library workshop" in text and "Neighbourhood North" in text
            assert "Groups agreeing: A, B" in text  # the plain-words explanation
            assert re.search(r"No votes yet|no votes yet", text)
        if document == "progress":
            # Each commitment keeps its own number, with tables of updates between them.
            lines = "\n".join(pages).splitlines()
            markers = [m.group(1) for m in (re.match(r"\s*(\d+)\.(\s|$)", x) for x in lines) if m]
            assert markers == ["1", "2"], markers
        if document == "statement":
            assert re.search(r"Version \d+, agreed", text)
            assert "Allotments on council land No votes yet." in text
            assert (
                "A repair café in every library (Gathered at Hastings library workshop, "
                "3 November 2026)" in text
            )


def test_progress_report_numbers_each_commitment(client, cabinet):
    doc = open_docx(io.BytesIO(_download(client, "/statement/progress/download/docx")))
    numbering = doc.part.numbering_part.element
    starts = []
    for paragraph in doc.paragraphs:
        if paragraph.style.name != "List Number":
            continue
        num_id = paragraph._p.pPr.numPr.numId.val
        num = next(n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == str(num_id))
        starts.append(
            int(num.find(f"{qn('w:lvlOverride')}/{qn('w:startOverride')}").get(qn("w:val")))
        )
    assert starts == [1, 2]


def test_word_tables_are_described_sized_and_unsplittable(client, cabinet):
    doc = open_docx(io.BytesIO(_download(client, "/statement/download/docx")))
    xml = doc.element.xml
    assert 'w:val="Caption"' not in xml
    evidence = next(t for t in doc.tables if t.rows[0].cells[0].text == "Idea")
    tbl_pr = evidence._tbl.tblPr
    assert tbl_pr.find(qn("w:tblCaption")).get(qn("w:val")) == "Ideas cited by the statement"
    description = tbl_pr.find(qn("w:tblDescription")).get(qn("w:val"))
    assert "rows, with the columns Idea, Title, Agree" in description
    for table in doc.tables:
        for index, row in enumerate(table.rows):
            assert row._tr.trPr.find(qn("w:cantSplit")) is not None
            assert (row._tr.trPr.find(qn("w:tblHeader")) is not None) == (index == 0)
    widths = [column.width for column in evidence.columns]
    assert widths[1] > 2 * max(widths[0], widths[2], widths[4]), "titles get room, counts little"
    assert widths[3] > widths[2], '"Disagree" is longer than "Agree"'
    assert abs(sum(widths) - Mm(170)) < Mm(1), "the table fills the line"
    for name in ("Title", "Heading 1", "Heading 2"):
        assert doc.styles[name].paragraph_format.keep_with_next
    footer = doc.sections[0].footer._element.xml
    assert "NUMPAGES" in footer and " PAGE " in footer
    assert COUNCIL in doc.sections[0].header.paragraphs[0].text


def test_language_of_parts_in_word_pdf_and_page(client, cabinet):
    data = _download(client, "/statement/download/docx")
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    run = re.search(r"<w:r>(?:(?!</w:r>).)*Croeso i bawb(?:(?!</w:r>).)*</w:r>", xml, re.DOTALL)
    assert run and 'w:lang w:val="cy"' in run.group(0)
    assert "We endorse the principles." in xml and ":::lang" not in xml
    html = _download(client, "/statement/download/html").decode()
    assert re.search(rf'<div lang="cy">\s*<p[^>]*>{WELSH}</p>\s*</div>', html)
    reader = PdfReader(io.BytesIO(_download(client, "/statement/download/pdf")))
    welsh = [n for n in _structure(reader) if n.get("/Lang") == "cy"]
    assert welsh, "no structure element of the PDF is marked as Welsh"


def _structure(reader) -> list:
    found, stack = [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            stack.extend(node)
        elif hasattr(node, "get"):
            found.append(node)
            if node.get("/K") is not None:
                stack.append(node["/K"])
    return found


@pytest.mark.parametrize("document", ["statement", "report"])
def test_pdf_table_headers_carry_scope(client, cabinet, document):
    path = _paths(cabinet)[document].format(kind="pdf")
    nodes = _structure(PdfReader(io.BytesIO(_download(client, path))))
    headers = [n for n in nodes if n.get("/S") == "/TH"]
    assert headers
    scopes = {str(n["/A"].get_object()["/Scope"]) for n in headers}
    assert scopes == {"/Column", "/Row"}  # header rows head columns, first cells head rows


def test_report_citations_say_where_an_idea_came_from_and_flag_no_votes(app, cabinet):
    from kil_consult.exports.report import _cited

    with app.test_request_context():
        cited = _cited([cabinet.workshop.id, cabinet.silent.id, cabinet.ideas[0].id])
    assert cited == [
        f"idea {cabinet.workshop.id} (A repair café in every library), gathered at Hastings "
        "library workshop, 3 November 2026",
        f"idea {cabinet.silent.id} (Allotments on council land), no votes yet",
        f"idea {cabinet.ideas[0].id} (Hub for principle 1)",
    ]
