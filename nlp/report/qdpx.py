"""The run as a REFI-QDA project (QDA-XML 1.0, a .qdpx file) for NVivo, ATLAS.ti, MAXQDA, QualCoder:

    sources/     each transcript's plain text ("[mm:ss] Speaker: words" per line), as the report shows it
    project.qde  every transcript a text source whose quotes are coded selections (character positions
                 into that text) with their theme code and kind code; each recording an audio (or video)
                 source holding the same transcript with a sync point at every line; themes and kinds
                 as code groups that are not codable; every customer a case with the participants.csv
                 columns as variables; researchers' theme notes as notes

Written with lxml against the schema (Project.xsd): the Python REFI-QDA packages are a generated binding
still in beta (pyrefiqda), codebook-only (portableqda) or a MAXQDA reader (qdpxlib). GUIDs are uuid5 of
voc's ids (theme, quote, recording, customer), so exporting the same run twice gives the same file, and
a theme or quote keeps its GUID from run to run.
"""

from __future__ import annotations

import re
import shutil
import uuid
import zipfile
from datetime import datetime, timezone
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lxml import etree

from nlp.report.run_files import RunFiles
from nlp.report.transcripts import PlainText, ShownTranscript, plain_text
from nlp.report.view import KIND_NAMES, shorten
from nlp.schema import KINDS, Quote
from nlp.sources.formats import mmss
from nlp.sources.inbox import CONTACT_COLUMNS, VIDEO_EXTENSIONS, MEDIA_EXTENSIONS

NS = "urn:QDA-XML:project:1.0"
GUID_NAMESPACE = uuid.UUID("2256e440-935b-5331-9ed0-aec4c4d24110")  # uuid5(NAMESPACE_URL, "voc:refi-qda")
KIND_COLORS = {"pain": "#c2412d", "request": "#2f6fde", "praise": "#2e8b57", "question": "#8a5cd1", "other": "#8a93a3"}
THEME_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
                "#17becf")
# Not variables of a case: who the row is, and how to reach them (a project travels to other tools).
NOT_VARIABLES = ("file", "customer") + CONTACT_COLUMNS
INTEGER = re.compile(r"^-?\d+$")
VALUE_TAGS = {"Integer": "IntegerValue", "Float": "FloatValue", "Text": "TextValue"}


def guid(*parts: str) -> str:
    return str(uuid.uuid5(GUID_NAMESPACE, "/".join(parts)))


def _el(parent, tag: str, **attributes) -> etree._Element:
    return etree.SubElement(parent, f"{{{NS}}}{tag}", {k: str(v) for k, v in attributes.items() if v is not None})


def _text(parent, tag: str, text: str) -> etree._Element:
    element = _el(parent, tag)
    element.text = text
    return element


def xml_time(iso: str) -> str:
    """xsd:dateTime in UTC, as the tools write it."""
    when = datetime.fromisoformat(iso)
    when = when.replace(tzinfo=when.tzinfo or timezone.utc).astimezone(timezone.utc)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def variable_type(values: list[str]) -> str:
    if values and all(INTEGER.match(v) for v in values):
        return "Integer"
    try:
        if values and all(Decimal(v).is_finite() for v in values):
            return "Float"
    except InvalidOperation:
        pass
    return "Text"


class Project:
    """Builds project.qde and the files of sources/ for one run."""

    def __init__(self, run: RunFiles, embed_audio: bool = False, notes: dict[str, str] | None = None):
        self.run = run
        self.embed_audio = embed_audio
        self.notes = run.notes() if notes is None else notes
        self.when = xml_time(run.doc.run.finished_at or run.doc.run.started_at)
        self.user = guid("user", "voc")
        self.files: dict[str, bytes | Path] = {}  # archive path -> content (or a file to copy)
        self.by_customer: dict[str, list[str]] = {}  # customer -> GUIDs of their sources
        stems = [Path(t.recording).stem for t in run.transcripts]
        self.names = {t.recording: Path(t.recording).stem if stems.count(Path(t.recording).stem) == 1
                      else f"{Path(t.recording).stem}-{t.sha256[:8]}" for t in run.transcripts}

    def stamp(self) -> dict[str, str]:
        return {"creatingUser": self.user, "creationDateTime": self.when}

    def build(self) -> etree._Element:
        doc = self.run.doc
        root = etree.Element(f"{{{NS}}}Project", nsmap={None: NS})
        root.set("name", f"voc run {doc.run.id}")
        root.set("origin", "voc")
        root.set("creatingUserGUID", self.user)
        root.set("creationDateTime", self.when)
        _el(_el(root, "Users"), "User", guid=self.user, name="voc", id="voc")
        notes = self.notes
        self.codebook(root, notes)
        sources = etree.Element(f"{{{NS}}}Sources")
        quotes = {}
        for q in self.run.quotes:
            quotes.setdefault(q.recording, []).append(q)
        for shown in self.run.transcripts:
            text = plain_text(shown)
            self.text_source(sources, shown, text, quotes.get(shown.recording, []))
            if Path(shown.recording).suffix.lower() in MEDIA_EXTENSIONS:
                self.media_source(sources, shown, text)
        self.variables_and_cases(root)
        if len(sources):
            root.append(sources)
        if notes:
            holder = _el(root, "Notes")
            for theme in doc.themes:
                if theme.id in notes:
                    note = _el(holder, "Note", guid=guid("note", theme.id), name=f"Note on {theme.label}", **self.stamp())
                    _text(note, "PlainTextContent", notes[theme.id])
        _text(root, "Description", f"Voice-of-customer synthesis by voc, run {doc.run.id}: {len(doc.themes)} themes, "
              f"{len(self.run.quotes)} quotes from {doc.run.recordings} recordings. Codes: a theme code and a kind "
              "code on every quote.")
        return root

    def codebook(self, root, notes: dict[str, str]) -> None:
        codes = _el(_el(root, "CodeBook"), "Codes")
        themes = _el(codes, "Code", guid=guid("group", "themes"), name="Themes", isCodable="false")
        _text(themes, "Description", "voc's themes, in rank order")
        for i, theme in enumerate(self.run.doc.themes):
            code = _el(themes, "Code", guid=guid("theme", theme.id), name=theme.label, isCodable="true",
                       color=THEME_COLORS[i % len(THEME_COLORS)])
            _text(code, "Description", f"{theme.id}, rank {theme.rank}: {theme.why.rstrip('.')}. "
                  f"Keywords: {', '.join(theme.keywords)}.")
            if theme.id in notes:
                _el(code, "NoteRef", targetGUID=guid("note", theme.id))
        kinds = _el(codes, "Code", guid=guid("group", "kinds"), name="Kinds", isCodable="false")
        _text(kinds, "Description", "What each quote is: a pain point, a request, praise, a question or another remark")
        for kind in KINDS:
            code = _el(kinds, "Code", guid=guid("kind", kind), name=kind, isCodable="true", color=KIND_COLORS[kind])
            _text(code, "Description", KIND_NAMES[kind])

    def text_source(self, sources, shown: ShownTranscript, text: PlainText, quotes: list[Quote]) -> None:
        source_guid = guid("text", shown.sha256)
        self.files[f"sources/{source_guid}.txt"] = text.text.encode("utf-8")
        self.by_customer.setdefault(shown.customer, []).append(source_guid)
        source = _el(sources, "TextSource", guid=source_guid, name=self.names[shown.recording],
                     plainTextPath=f"internal://{source_guid}.txt", **self.stamp())
        _text(source, "Description", f"Interview with {shown.customer}: {Path(shown.recording).name}, transcribed by voc")
        for q in sorted(quotes, key=lambda q: q.start):
            if q.quote_id not in text.spans:
                continue
            start, end = text.spans[q.quote_id]
            selection = _el(source, "PlainTextSelection", guid=guid("quote", q.quote_id), name=shorten(q.text, 80),
                            startPosition=start, endPosition=end, **self.stamp())
            _text(selection, "Description", f"{q.quote_id}: {q.kind}, severity {q.severity:g}, sentiment {q.sentiment:g}; "
                  f"{Path(q.recording).name} {mmss(q.start)}-{mmss(q.end)}")
            codes = ([("theme", q.theme_id)] if q.theme_id else []) + [("kind", q.kind)]
            for what, key in codes:
                coding = _el(selection, "Coding", guid=guid("coding", q.quote_id, what), **self.stamp())
                _el(coding, "CodeRef", targetGUID=guid(what, key))

    def media_source(self, sources, shown: ShownTranscript, text: PlainText) -> None:
        recording = Path(shown.recording)
        media_guid = guid("media", shown.sha256)
        if self.embed_audio and recording.is_file():
            path = f"internal://{media_guid}{recording.suffix.lower()}"
            self.files[f"sources/{media_guid}{recording.suffix.lower()}"] = recording
        else:
            path = "absolute://" + recording.resolve().as_posix()
        tag = "VideoSource" if recording.suffix.lower() in VIDEO_EXTENSIONS else "AudioSource"
        self.by_customer.setdefault(shown.customer, []).append(media_guid)
        media = _el(sources, tag, guid=media_guid, name=recording.name, path=path, **self.stamp())
        transcript_guid = guid("transcript", shown.sha256)
        self.files[f"sources/{transcript_guid}.txt"] = text.text.encode("utf-8")
        transcript = _el(media, "Transcript", guid=transcript_guid, name=f"{recording.name}.txt",
                         plainTextPath=f"internal://{transcript_guid}.txt", **self.stamp())
        for i, (position, seconds) in enumerate(text.line_starts):
            _el(transcript, "SyncPoint", guid=guid("sync", shown.sha256, str(i)), timeStamp=round(seconds * 1000),
                position=position)

    def variables_and_cases(self, root) -> None:
        people = self.run.people
        customers = sorted({q.customer for q in self.run.quotes} | set(self.by_customer), key=str.lower)
        columns: list[str] = []
        for c in customers:
            columns += [k for k in people.get(c, {}) if k not in NOT_VARIABLES and k not in columns]
        types = {column: variable_type([people[c][column] for c in customers if people.get(c, {}).get(column)])
                 for column in columns}
        if columns:
            variables = _el(root, "Variables")
            for column in columns:
                _el(variables, "Variable", guid=guid("variable", column), name=column, typeOfVariable=types[column])
        if not customers:
            return
        cases = _el(root, "Cases")
        for customer in customers:
            case = _el(cases, "Case", guid=guid("case", customer), name=customer)
            row = people.get(customer, {})
            for column in columns:
                if row.get(column):
                    value = _el(case, "VariableValue")
                    _el(value, "VariableRef", targetGUID=guid("variable", column))
                    _text(value, VALUE_TAGS[types[column]], row[column])
            for source_guid in self.by_customer.get(customer, []):
                _el(case, "SourceRef", targetGUID=source_guid)


def write_qdpx(run: RunFiles, out: Path, embed_audio: bool = False, notes: dict[str, str] | None = None) -> Path:
    """Write the .qdpx (a zip: project.qde and sources/). The same run gives the same bytes. `notes`: theme id ->
    the researcher's note (default: the run's own, RunFiles.notes)."""
    project = Project(run, embed_audio, notes)
    xml = etree.tostring(project.build(), xml_declaration=True, encoding="utf-8", pretty_print=True)
    stamp = datetime.fromisoformat(project.when.replace("Z", "+00:00")).timetuple()[:6]
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in [("project.qde", xml)] + sorted(project.files.items()):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            if isinstance(content, Path):  # a recording: copied in pieces, never whole in memory
                with open(content, "rb") as source, archive.open(info, "w") as target:
                    shutil.copyfileobj(source, target, 1 << 20)
            else:
                archive.writestr(info, content)
    return out
