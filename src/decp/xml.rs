//! The regulatory DECP in XML (2019 format 1.x and 2024 format 2.0.x): a streaming reader on
//! `quick-xml` (feature `xml`).
//!
//! Each `<marche>` or `<contrat-concession>` element is turned into the record the JSON format
//! would publish (list wrappers, numbers, booleans) and converted by the same lenient code as
//! the JSON reader: the same warnings, rejections, duplicates and accounting.

use std::io::BufRead;

use quick_xml::events::Event;

use super::diag::Accounting;
use super::format::Format;
use super::json::{Member, Scanner, write_str};
use super::lenient::{Kind, resolve_fields};
use super::model::Entry;
use super::reader::{Core, Scanned, Sink};
use crate::error::{Error, ErrorKind, Result};
use crate::util::text::excerpt;

/// An element of a record: its text, or its children in order.
#[derive(Debug)]
enum Node {
    Text(String),
    Elem(Vec<(String, Node)>),
}

/// List fields published as `{"inner": [texts]}` in JSON.
const STRING_LISTS: [(&str, &str); 5] = [
    ("considerationsSociales", "considerationSociale"),
    (
        "considerationsEnvironnementales",
        "considerationEnvironnementale",
    ),
    ("techniques", "technique"),
    ("modalitesExecution", "modaliteExecution"),
    ("typesPrix", "typePrix"),
];

/// List fields published as `[{"inner": {…}}]` in JSON 2024 (`[{…}]` in 2019).
const OBJECT_LISTS: [(&str, &str); 6] = [
    ("titulaires", "titulaire"),
    ("modifications", "modification"),
    ("concessionnaires", "concessionnaire"),
    ("actesSousTraitance", "acteSousTraitance"),
    (
        "modificationsActesSousTraitance",
        "modificationActeSousTraitance",
    ),
    ("donneesExecution", "donneesAnnuelles"),
];

/// Fields whose text is a number in JSON.
const NUMBERS: [&str; 9] = [
    "montant",
    "valeurGlobale",
    "montantSubventionPublique",
    "dureeMois",
    "offresRecues",
    "tauxAvance",
    "origineUE",
    "origineFrance",
    "depensesInvestissement",
];

/// Fields whose text is a boolean in JSON.
const BOOLEANS: [&str; 3] = [
    "marcheInnovant",
    "attributionAvance",
    "sousTraitanceDeclaree",
];

/// Fields that only the 2024 format has: a record with one of them is read as 2024.
const ONLY_2024: [&str; 8] = [
    "considerationsSociales",
    "considerationsEnvironnementales",
    "techniques",
    "modalitesExecution",
    "typesPrix",
    "offresRecues",
    "marcheInnovant",
    "ccag",
];

fn is_json_number(t: &str) -> bool {
    if !matches!(t.as_bytes().first(), Some(b'-' | b'0'..=b'9')) {
        return false;
    }
    // A trailing blank lets the scanner see the end of the number.
    let padded = format!("{t} ");
    let s = Scanner {
        b: padded.as_bytes(),
    };
    matches!(s.value(0, 0, None), Ok((end, _)) if end == t.len())
}

/// Writes `node` (the value of element `name`, child of `parent`) as JSON.
fn write_value(out: &mut String, name: &str, parent: &str, node: &Node, v2024: bool) {
    if let Some(&(_, inner)) = STRING_LISTS.iter().find(|(n, _)| *n == name) {
        out.push('{');
        match node {
            Node::Text(t) if t.trim().is_empty() => {}
            Node::Text(t) => {
                // Text where a list is expected: kept as one string (the reader warns).
                write_str(out, inner);
                out.push(':');
                write_str(out, t.trim());
            }
            Node::Elem(children) => {
                write_str(out, inner);
                out.push_str(":[");
                let mut first = true;
                for (k, c) in children {
                    if k != inner {
                        continue;
                    }
                    if !first {
                        out.push(',');
                    }
                    first = false;
                    match c {
                        Node::Text(t) => write_str(out, t.trim()),
                        Node::Elem(_) => write_object(out, k, c, v2024),
                    }
                }
                out.push(']');
            }
        }
        out.push('}');
        return;
    }
    if let Some(&(_, inner)) = OBJECT_LISTS.iter().find(|(n, _)| *n == name) {
        match node {
            Node::Text(t) if t.trim().is_empty() => out.push_str("[]"),
            Node::Text(t) => write_str(out, t.trim()),
            Node::Elem(children) if children.iter().all(|(k, _)| k == inner) => {
                out.push('[');
                for (i, (k, c)) in children.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    if v2024 {
                        out.push('{');
                        write_str(out, inner);
                        out.push(':');
                        write_object(out, k, c, v2024);
                        out.push('}');
                    } else {
                        write_object(out, k, c, v2024);
                    }
                }
                out.push(']');
            }
            // The children of one item without its element (`<titulaires><id>…`): one object,
            // which the lenient reader takes as a list of one, with a warning.
            Node::Elem(_) => write_object(out, name, node, v2024),
        }
        return;
    }
    match node {
        Node::Elem(_) => write_object(out, name, node, v2024),
        Node::Text(t) => {
            let t = t.trim();
            let numeric = NUMBERS.contains(&name)
                || (name == "id" && parent == "modification")
                || name == "tarif";
            if (numeric && is_json_number(t))
                || (BOOLEANS.contains(&name) && matches!(t, "true" | "false"))
            {
                out.push_str(t);
            } else if BOOLEANS.contains(&name) && matches!(t, "1" | "0") {
                out.push_str(if t == "1" { "true" } else { "false" });
            } else {
                write_str(out, t);
            }
        }
    }
}

/// Writes an element's children as a JSON object; a repeated child name becomes an array
/// (the JSON members of a record are unique).
fn write_object(out: &mut String, name: &str, node: &Node, v2024: bool) {
    let Node::Elem(children) = node else {
        if let Node::Text(t) = node {
            if t.trim().is_empty() {
                out.push_str("{}");
            } else {
                write_str(out, t.trim());
            }
        }
        return;
    };
    out.push('{');
    let mut first = true;
    for (i, (k, c)) in children.iter().enumerate() {
        if children[..i].iter().any(|(p, _)| p == k) {
            continue;
        }
        if !first {
            out.push(',');
        }
        first = false;
        write_str(out, k);
        out.push(':');
        let same: Vec<&Node> = children[i..]
            .iter()
            .filter(|(p, _)| p == k)
            .map(|(_, c)| c)
            .collect();
        if same.len() > 1 {
            out.push('[');
            for (j, c) in same.iter().enumerate() {
                if j > 0 {
                    out.push(',');
                }
                write_value(out, k, name, c, v2024);
            }
            out.push(']');
        } else {
            write_value(out, k, name, c, v2024);
        }
    }
    out.push('}');
}

/// The record in `json` as the record-level core converts it.
fn scanned<'a>(json: &'a str, members: &'a [Member], kind: Kind, format: Format) -> Scanned<'a> {
    let hash = Scanner { b: json.as_bytes() }
        .value(0, 0, None)
        .map_or(0, |(_, h)| h);
    Scanned {
        format,
        kind,
        text: json,
        start: 0,
        members,
        hash,
        fixes: &[],
        single: false,
    }
}

/// An element being read: its name, its children so far, its text so far.
type Open = (String, Vec<(String, Node)>, String);

/// Where the reader is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Start,
    InRoot,
    /// After a document whose root is a single record.
    AfterLone,
    Done,
}

/// Streams the records of a DECP XML file (2019 `<marches><marche>…`, 2024 2.0.x XML), with the
/// leniency and accounting of the JSON reader ([`crate::decp::DecpReader`]).
///
/// The format of each record is told by its fields (a record with any of the fields the 2019
/// format lacks — considerations, techniques, `offresRecues`… — is read as 2024). After an
/// error the reader is finished.
///
/// ```
/// let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
/// <marches><marche><id>1</id><acheteur><id>21350238800019</id></acheteur>
///   <montant>50000</montant><dateNotification>2024-05-02</dateNotification>
///   <considerationsSociales><considerationSociale>Clause sociale</considerationSociale></considerationsSociales>
///   <considerationsEnvironnementales><considerationEnvironnementale>Pas de considération environnementale</considerationEnvironnementale></considerationsEnvironnementales>
/// </marche></marches>"#;
/// let mut r = spaser::decp::XmlReader::new(xml.as_bytes());
/// let e = r.next_entry()?.unwrap();
/// assert!(e.warnings.is_empty());
/// assert!(r.next_entry()?.is_none());
/// assert_eq!(r.accounting().accepted, 1);
/// # Ok::<(), spaser::Error>(())
/// ```
pub struct XmlReader<R> {
    xml: quick_xml::Reader<R>,
    buf: Vec<u8>,
    state: State,
    format: Option<Format>,
    core: Core,
    json: String,
    members: Vec<Member>,
}

impl<R> std::fmt::Debug for XmlReader<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XmlReader")
            .field("offset", &self.xml.buffer_position())
            .field("format", &self.format)
            .field("accounting", &self.core.acc)
            .finish_non_exhaustive()
    }
}

fn xml_error(at: u64, what: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::Parse,
        format!(
            "byte {at}: invalid DECP XML: {}",
            excerpt(&what.to_string())
        ),
    )
}

/// The text of a general entity reference (`&amp;`, `&#233;`), or `None` when unknown.
fn entity(name: &[u8]) -> Option<char> {
    match name {
        b"amp" => Some('&'),
        b"lt" => Some('<'),
        b"gt" => Some('>'),
        b"quot" => Some('"'),
        b"apos" => Some('\''),
        [b'#', b'x' | b'X', hex @ ..] => std::str::from_utf8(hex)
            .ok()
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .and_then(char::from_u32),
        [b'#', dec @ ..] => std::str::from_utf8(dec)
            .ok()
            .and_then(|d| d.parse::<u32>().ok())
            .and_then(char::from_u32),
        _ => None,
    }
}

impl<R: BufRead> XmlReader<R> {
    /// A reader over `src`.
    pub fn new(src: R) -> XmlReader<R> {
        let mut xml = quick_xml::Reader::from_reader(src);
        xml.config_mut().expand_empty_elements = true;
        let mut core = Core::default();
        core.full = true;
        XmlReader {
            xml,
            buf: Vec::new(),
            state: State::Start,
            format: None,
            core,
            json: String::new(),
            members: Vec::new(),
        }
    }

    /// Keeps only the fields the indicators read (see
    /// [`DecpReader::indicator_fields_only`](crate::decp::DecpReader::indicator_fields_only)).
    pub fn indicator_fields_only(mut self) -> XmlReader<R> {
        self.core.full = false;
        self
    }

    pub(crate) fn with_strategy_fields(mut self, on: bool) -> XmlReader<R> {
        self.core.strategy = on;
        self
    }

    pub(crate) fn with_convention(
        mut self,
        declared: Option<crate::values::money::NumberConvention>,
    ) -> XmlReader<R> {
        self.core.declared = declared;
        self
    }

    /// The format of the first record (`None` before it).
    pub fn format(&self) -> Option<Format> {
        self.format
    }

    /// The accounting so far.
    pub fn accounting(&self) -> Accounting {
        self.core.acc
    }

    /// The next record, or `None` at the end.
    ///
    /// # Errors
    /// [`ErrorKind::Parse`] when the input is not well-formed XML (with the byte offset) or has
    /// no `<marches>` root; [`ErrorKind::Io`] when reading fails. After an error the reader is
    /// finished (later calls return `Ok(None)`).
    pub fn next_entry(&mut self) -> Result<Option<Entry>> {
        match self.next_record() {
            Ok(Some((kind, format))) => {
                let s = scanned(&self.json, &self.members, kind, format);
                Ok(Some(self.core.process(&s)))
            }
            Ok(None) => Ok(None),
            Err(e) => {
                self.state = State::Done;
                Err(e)
            }
        }
    }

    /// The next record into `sink`; false at the end.
    pub(crate) fn next_into(&mut self, sink: &mut impl Sink) -> Result<bool> {
        match self.next_record() {
            Ok(Some((kind, format))) => {
                let s = scanned(&self.json, &self.members, kind, format);
                self.core.process_into(&s, sink);
                Ok(true)
            }
            Ok(None) => Ok(false),
            Err(e) => {
                self.state = State::Done;
                Err(e)
            }
        }
    }

    fn event(&mut self) -> Result<Event<'static>> {
        self.buf.clear();
        let at = self.xml.buffer_position();
        match self.xml.read_event_into(&mut self.buf) {
            Ok(e) => Ok(e.into_owned()),
            Err(quick_xml::Error::Io(e)) => Err(Error::new(
                ErrorKind::Io,
                format!("reading DECP XML at byte {at}: {e}"),
            )),
            Err(e) => Err(xml_error(self.xml.error_position(), e)),
        }
    }

    /// Reads up to the next record and converts it to JSON in `self.json`.
    fn next_record(&mut self) -> Result<Option<(Kind, Format)>> {
        loop {
            match self.state {
                State::Done => return Ok(None),
                State::Start => match self.event()? {
                    Event::Start(e)
                        if matches!(e.local_name().as_ref(), b"marche" | b"contrat-concession") =>
                    {
                        // A document of one record (the 2019 examples `mar-basique.xml`…).
                        let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                        let node = self.element()?;
                        self.state = State::AfterLone;
                        return Ok(Some(self.record(&name, &node)));
                    }
                    Event::Start(e) => {
                        if e.local_name().as_ref() != b"marches" {
                            return Err(Error::new(
                                ErrorKind::Parse,
                                format!(
                                    "not a DECP XML document: the root element is <{}>, not <marches>",
                                    excerpt(&String::from_utf8_lossy(e.local_name().as_ref()))
                                ),
                            ));
                        }
                        self.state = State::InRoot;
                    }
                    Event::Eof => {
                        return Err(Error::new(
                            ErrorKind::Parse,
                            "empty input: expected a DECP XML document with a <marches> root",
                        ));
                    }
                    Event::Text(t) if !t.iter().all(u8::is_ascii_whitespace) => {
                        return Err(xml_error(
                            self.xml.buffer_position(),
                            "text before the root",
                        ));
                    }
                    _ => {}
                },
                State::InRoot => match self.event()? {
                    Event::Start(e) => {
                        let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                        let node = self.element()?;
                        if !matches!(name.as_str(), "marche" | "contrat-concession") {
                            // Not a record (a wrapper of another producer?): skipped.
                            continue;
                        }
                        return Ok(Some(self.record(&name, &node)));
                    }
                    Event::End(_) => {
                        self.trailer()?;
                        self.state = State::Done;
                    }
                    Event::Eof => {
                        return Err(xml_error(
                            self.xml.buffer_position(),
                            "the file ends inside <marches> (truncated)",
                        ));
                    }
                    _ => {}
                },
                State::AfterLone => {
                    self.trailer()?;
                    self.state = State::Done;
                }
            }
        }
    }

    /// After the root element: only blanks, comments and processing instructions.
    fn trailer(&mut self) -> Result<()> {
        loop {
            match self.event()? {
                Event::Eof => return Ok(()),
                Event::Text(t) if t.iter().all(u8::is_ascii_whitespace) => {}
                Event::Comment(_) | Event::PI(_) => {}
                _ => {
                    return Err(xml_error(
                        self.xml.buffer_position(),
                        "content after the root element",
                    ));
                }
            }
        }
    }

    /// Turns a record element into its JSON in `self.json`; returns its kind and format.
    fn record(&mut self, name: &str, node: &Node) -> (Kind, Format) {
        let kind = if name == "contrat-concession" {
            Kind::Concession
        } else {
            Kind::Marche
        };
        let v2024 = match node {
            Node::Elem(ch) => ch.iter().any(|(k, _)| ONLY_2024.contains(&k.as_str())),
            Node::Text(_) => true,
        };
        let format = if v2024 { Format::V2024 } else { Format::V2019 };
        self.format.get_or_insert(format);
        self.json.clear();
        match node {
            Node::Elem(_) => write_object(&mut self.json, name, node, v2024),
            Node::Text(t) => write_str(&mut self.json, t.trim()),
        }
        self.members.clear();
        let scanner = Scanner {
            b: self.json.as_bytes(),
        };
        if scanner.value(0, 0, Some(&mut self.members)).is_err() {
            self.members.clear();
        }
        resolve_fields(&mut self.members, self.json.as_bytes());
        (kind, format)
    }

    /// Reads the content of the element just opened, up to its end.
    fn element(&mut self) -> Result<Node> {
        // (name, children, text) of the open elements, innermost last.
        let mut stack: Vec<Open> = vec![(String::new(), Vec::new(), String::new())];
        loop {
            let ev = self.event()?;
            match ev {
                Event::Start(e) => {
                    if stack.len() > 64 {
                        return Err(xml_error(
                            self.xml.buffer_position(),
                            "elements nested deeper than 64 levels",
                        ));
                    }
                    let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                    stack.push((name, Vec::new(), String::new()));
                }
                Event::End(_) => {
                    let Some((name, children, text)) = stack.pop() else {
                        return Err(xml_error(self.xml.buffer_position(), "unbalanced end tag"));
                    };
                    let node = if children.is_empty() {
                        Node::Text(text)
                    } else {
                        Node::Elem(children)
                    };
                    match stack.last_mut() {
                        Some(parent) => parent.1.push((name, node)),
                        None => return Ok(node),
                    }
                }
                Event::Text(t) => {
                    if let Some(top) = stack.last_mut() {
                        top.2.push_str(&String::from_utf8_lossy(&t.into_inner()));
                    }
                }
                Event::CData(t) => {
                    if let Some(top) = stack.last_mut() {
                        top.2.push_str(&String::from_utf8_lossy(&t.into_inner()));
                    }
                }
                Event::GeneralRef(r) => {
                    let raw = r.into_inner();
                    if let Some(top) = stack.last_mut() {
                        match entity(&raw) {
                            Some(c) => top.2.push(c),
                            None => {
                                top.2.push('&');
                                top.2.push_str(&String::from_utf8_lossy(&raw));
                                top.2.push(';');
                            }
                        }
                    }
                }
                Event::Eof => {
                    return Err(xml_error(
                        self.xml.buffer_position(),
                        "the file ends inside a record (truncated)",
                    ));
                }
                _ => {}
            }
        }
    }
}

impl<R: BufRead> Iterator for XmlReader<R> {
    type Item = Result<Entry>;

    /// The next entry; after an error, `None`.
    fn next(&mut self) -> Option<Result<Entry>> {
        self.next_entry().transpose()
    }
}
