"""Exports open cleanly: Word (python-docx and LibreOffice), PDF (pypdf: tagged, title,
language, text), JSON (its schema), Markdown, HTML; open data streamed and pseudonymised;
the ``flask kil export`` commands."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import jsonschema
import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn
from pypdf import PdfReader

from kil_consult.exports import opendata
from kil_consult.exports.statement import schema
from kil_consult.statements import services
from kil_consult.timeutil import utcnow
from tests import factories
from tests.documents import libreoffice_pdf

from . import world as world_module


@pytest.fixture
def published(db):
    return build_published(db)


def build_published(db):
    """The world with its statement agreed, signed and published, and some progress."""
    world = world_module.build()
    statement = services.start_from_summaries(world.process, world.facilitator)
    content = dict(statement.latest.content)
    content["champions"] = [
        {"kind": "cabinet", "name": "Cllr Ann Able", "role": "Cabinet Member for Communities"},
        {"kind": "smt", "name": "Bob Baker", "role": "Director of Communities"},
    ]
    services.save_version(statement, world.facilitator, content, "Champions named")
    services.record_decision(statement, world.admin, "Cabinet", utcnow().date(), "Minute 42")
    services.add_signatory(statement, world.admin, "Cllr Lee Leader", "Leader", utcnow().date())
    services.publish(statement, world.admin, override="Owners and dates follow in the next version")
    commitment = next(iter(services.commitments_by_id(statement).values()))
    services.add_progress(
        commitment, world.admin, services.CommitmentStatus.IN_PROGRESS, utcnow().date(), "Begun."
    )
    db.session.commit()
    world.statement = statement
    return world


def _get(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response


def test_word_export_has_headings_numbered_commitments_and_header_rows(client, published, tmp_path):
    response = _get(client, "/statement/download/docx")
    assert "attachment" in response.headers["Content-Disposition"]
    doc = open_docx(io.BytesIO(response.data))
    styles = [p.style.name for p in doc.paragraphs]
    assert "Title" in styles and styles.count("Heading 1") >= 5 and "Heading 2" in styles
    assert styles.count("List Number") == 2
    assert doc.core_properties.title.startswith("Keep it Local Testshire")
    assert doc.core_properties.language == "en-GB"
    lang = (
        doc.styles.element.find(qn("w:docDefaults"))
        .find(qn("w:rPrDefault"))
        .find(qn("w:rPr"))
        .find(qn("w:lang"))
    )
    assert lang.get(qn("w:val")) == "en-GB"
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    tables = {t.rows[0].cells[0].text: t for t in doc.tables}
    champions, signatories, evidence = tables["Champion"], tables["Name"], tables["Idea"]
    assert champions.rows[1].cells[1].text == "Cllr Ann Able"
    assert signatories.rows[1].cells[0].text == "Cllr Lee Leader"
    assert evidence.rows[1].cells[1].text == published.ideas[0].title
    for table in (champions, signatories, evidence):
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    path = tmp_path / "statement.docx"
    path.write_bytes(response.data)
    _libreoffice_converts(path, tmp_path)


def _libreoffice_converts(path, tmp_path):
    pdf = PdfReader(io.BytesIO(libreoffice_pdf(path, tmp_path)))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "Our commitments" in text


def test_pdf_export_is_tagged_with_title_and_language(client, published):
    response = _get(client, "/statement/download/pdf")
    reader = PdfReader(io.BytesIO(response.data))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert reader.metadata.title.startswith("Keep it Local Testshire")
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Our commitments" in text and "Cllr Lee Leader" in text and "Minute 42" in text


def test_json_export_matches_its_schema(client, published):
    data = _get(client, "/statement/download/json").get_json(force=True)
    served = _get(client, "/statement/schema.json").get_json(force=True)
    assert served == schema()
    jsonschema.Draft202012Validator.check_schema(served)
    jsonschema.validate(data, served, format_checker=jsonschema.FormatChecker())
    assert data["status"] == "published" and data["decision"]["reference"] == "Minute 42"
    assert data["commitments"][0]["status"] == "in_progress"
    assert data["commitments"][0]["progress"][0]["text"] == "Begun."
    assert {e["idea"] for e in data["evidence"]} >= {published.ideas[0].id}
    organisations = {o for e in data["evidence"] for o in e["organisations"]}
    assert "Testshire Larder" in organisations


def test_markdown_and_html_exports(client, published):
    markdown = _get(client, "/statement/download/md").get_data(as_text=True)
    assert markdown.startswith("# Keep it Local Testshire") and "1. We will open a hub" in markdown
    html = _get(client, "/statement/download/html").get_data(as_text=True)
    assert '<html lang="en-GB">' in html and "<style>" in html and '<ol class="commitments"' in html
    assert "<script" not in html


def test_draft_export_is_marked_and_hidden_from_the_public(client, login_as, published, db):
    statement = published.statement
    content = dict(statement.latest.content, title="Second thoughts")
    services.save_version(statement, published.facilitator, content, "Retitled")
    db.session.commit()
    assert client.get("/statement/download/json?version=3").status_code == 404
    login_as(published.facilitator)
    data = client.get("/statement/download/json?version=3").get_json(force=True)
    assert data["status"] == "draft" and data["title"] == "Second thoughts"


def test_reports_as_word_and_pdf(client, published):
    slug = published.process.consultations[0].slug
    doc = open_docx(io.BytesIO(_get(client, f"/consultations/{slug}/report.docx").data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "You said" in text and "We did" in text and "People want a hub." in text
    pdf = PdfReader(io.BytesIO(_get(client, f"/consultations/{slug}/report.pdf").data))
    assert pdf.trailer["/Root"]["/Lang"] == "en-GB"
    # An unpublished consultation's report is for staff only.
    other = published.process.consultations[4].slug
    assert client.get(f"/consultations/{other}/report.pdf").status_code in (302, 404)
    progress = open_docx(io.BytesIO(_get(client, "/statement/progress/download/docx").data))
    assert "Begun." in "\n".join(c.text for t in progress.tables for r in t.rows for c in r.cells)
    assert PdfReader(io.BytesIO(_get(client, "/statement/progress/download/pdf").data)).pages


def _zip_tables(data: bytes) -> dict[str, list[dict]]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    return {
        name[:-4]: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
        for name in archive.namelist()
        if name.endswith(".csv")
    }


def test_open_data_is_pseudonymised_and_leaves_out_hidden_content(client, published, db):
    consultation = published.process.consultations[0]
    factories.make_comment(published.ideas[0], published.resident, "Secret email a@b.c? no")
    db.session.commit()
    first = _zip_tables(_get(client, f"/consultations/{consultation.slug}/open-data.zip").data)
    second = _zip_tables(_get(client, f"/consultations/{consultation.slug}/open-data.zip").data)
    assert set(first) == {
        "ideas",
        "votes",
        "comments",
        "events",
        "workshop_votes",
        "themes",
        "results",
        "question_answers",
    }
    ids = {int(r["idea_id"]) for r in first["ideas"]}
    assert published.hidden.id not in ids and published.ideas[0].id in ids
    # Two spaces: voters (stable within the export's votes) and authors, never sharing a value.
    voters = {r["voter"] for r in first["votes"]}
    authors = {r["author"] for r in first["ideas"]} | {r["author"] for r in first["comments"]}
    assert voters and authors and not voters & authors
    assert all(v.startswith("voter-") for v in voters)
    assert all(a.startswith("author-") for a in authors)
    # The resident disagreed with one idea and agreed with another: one voter throughout.
    (resident,) = {r["voter"] for r in first["votes"] if r["value"] == "disagree"}
    first_idea = str(published.ideas[0].id)
    assert resident in {r["voter"] for r in first["votes"] if r["idea_id"] == first_idea}
    # Unlinkable across exports: nobody keeps a pseudonym of either kind.
    assert not voters & {r["voter"] for r in second["votes"]}
    assert not authors & {r["author"] for r in second["ideas"]}
    raw = json.dumps(first)
    for user in (published.resident, published.volunteer, published.facilitator):
        assert user.email not in raw and user.display_name not in raw
    data = json.loads(_get(client, f"/consultations/{consultation.slug}/open-data.json").data)
    assert len(data["votes"]) == len(first["votes"]) and data["about"]["slug"] == consultation.slug


def test_open_data_carries_the_licence_summary_and_decision(client, published):
    consultation = published.process.consultations[0]
    archive = zipfile.ZipFile(
        io.BytesIO(_get(client, f"/consultations/{consultation.slug}/open-data.zip").data)
    )
    names = archive.namelist()
    assert names[:3] == ["LICENCE.txt", "README.md", "README.json"]
    licence = archive.read("LICENCE.txt").decode()
    assert "Open Government Licence v3.0" in licence
    assert "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/" in licence
    council = _council_name()
    attribution = (
        f"Contains public sector information from {council}, licensed under the Open "
        "Government Licence v3.0."
    )
    assert attribution in licence
    readme = archive.read("README.md").decode()
    assert attribution in readme and "`workshop_votes.csv`" in readme
    summary = opendata_summary(consultation)
    assert "## The council's summary" in readme and summary.overview.strip()[:30] in readme
    assert "### Key findings" in readme and "(ideas " in readme
    assert "agreed by Cabinet on" in readme and "(reference: Minute 42)" in readme
    assert "Cllr Lee Leader, Leader, on" in readme
    about = json.loads(archive.read("README.json"))
    assert about["licence"]["attribution"] == attribution


def _council_name() -> str:
    from kil_consult.consultations.services import current_council

    return current_council().name


def opendata_summary(consultation):
    from kil_consult.statements import summaries

    return summaries.published_version(consultation)


def test_open_data_before_any_summary_or_decision_says_so(client, db):
    factories.make_council()
    consultation = factories.make_consultation()
    db.session.commit()
    archive = zipfile.ZipFile(
        io.BytesIO(_get(client, f"/consultations/{consultation.slug}/open-data.zip").data)
    )
    readme = archive.read("README.md").decode()
    assert "Not published yet" in readme and "No decision recorded yet" in readme


def test_open_data_streams_in_batches(published, db, monkeypatch):
    """The generators yield as they go: the first chunk comes before the last row is read."""
    monkeypatch.setattr(opendata, "BATCH", 1)
    consultation = published.process.consultations[0]
    chunks = list(opendata.json_stream(consultation))
    assert len(chunks) > 6
    zipped = list(opendata.csv_zip(consultation))
    assert len([c for c in zipped if c]) > 6


def test_cli_exports(app, published, tmp_path):
    runner = app.test_cli_runner()
    for kind in ("docx", "pdf", "md", "html", "json"):
        out = tmp_path / f"s.{kind}"
        result = runner.invoke(
            args=["kil", "export", "statement", "--format", kind, "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 500
    slug = published.process.consultations[0].slug
    result = runner.invoke(args=["kil", "export", "open-data", slug, "-o", str(tmp_path / "o.zip")])
    assert result.exit_code == 0 and zipfile.is_zipfile(tmp_path / "o.zip")
    result = runner.invoke(
        args=["kil", "export", "report", slug, "--format", "pdf", "-o", str(tmp_path / "r.pdf")]
    )
    assert result.exit_code == 0
    result = runner.invoke(args=["kil", "export", "progress", "-o", str(tmp_path / "p.docx")])
    assert result.exit_code == 0
