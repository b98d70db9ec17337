//! S3's XML, read into its elements (one vector, in document order) by a reader of the XML
//! that S3 writes: elements, attributes (skipped), text with the predefined and numeric
//! entities, CDATA, comments and processing instructions. A DOCTYPE is refused (S3 never sends
//! one; it is how entity bombs start), and so is nesting deeper than S3's documents go. Written
//! by hand: quick-xml's event reader cost about 10 KB of wasm for the same job (README, "Size").

use std::borrow::Cow;

/// A document's elements in document order, each followed by its descendants: one vector,
/// where a tree of elements that each held a vector of their children took an allocation per
/// parent, and its growth, on a 1000-key listing page of about 7000 elements.
pub(crate) struct Document<'a> {
    nodes: Vec<Node<'a>>,
}

/// Names and plain text borrow from the document: allocating each again made reading a
/// listing page several times slower.
struct Node<'a> {
    /// The local name (the namespace prefix dropped).
    name: &'a str,
    text: Cow<'a, str>,
    /// How many nodes the element spans: itself and its descendants.
    span: usize,
}

/// An element of a [`Document`]: its name, its text and its child elements. It is the run of
/// nodes the element spans.
#[derive(Clone, Copy)]
pub(crate) struct Element<'a>(&'a [Node<'a>]);

/// S3's documents nest four levels at most; anything far deeper is hostile.
const MAX_DEPTH: usize = 32;

impl<'a> Document<'a> {
    /// Parses a document.
    pub fn parse(document: &'a [u8]) -> Result<Document<'a>, &'static str> {
        let text = core::str::from_utf8(document).map_err(|_| "the document is not UTF-8")?;
        let mut rest = text;
        let mut nodes: Vec<Node> = Vec::new();
        // Where the elements still open are.
        let mut open: Vec<usize> = Vec::new();
        loop {
            let Some(tag_at) = rest.bytes().position(|b| b == b'<') else {
                return Err("unclosed element");
            };
            let before = head(rest, tag_at);
            if let Some(&current) = open.last() {
                // Most tags follow another at once (`</Key><Size>`): no text to add.
                if !before.is_empty() {
                    append(&mut nodes[current].text, unescape(before)?);
                }
            } else if !before.trim_ascii().is_empty() {
                return Err("content outside the root element");
            }
            rest = tail(rest, tag_at + 1);
            let first = rest.as_bytes().first().copied();
            if first == Some(b'!') {
                if let Some(after) = rest.strip_prefix("!--") {
                    rest = skip_past(after, "-->")?;
                } else if let Some(after) = rest.strip_prefix("![CDATA[") {
                    let end = find(after, "]]>").ok_or("unclosed tag")?;
                    let &current = open.last().ok_or("content outside the root element")?;
                    append(&mut nodes[current].text, Cow::Borrowed(head(after, end)));
                    rest = tail(after, end + 3);
                } else {
                    return Err("a DOCTYPE or other declaration (S3 sends none)");
                }
            } else if first == Some(b'?') {
                rest = skip_past(tail(rest, 1), "?>")?;
            } else if first == Some(b'/') {
                let after = tail(rest, 1);
                let end = after.bytes().position(|b| b == b'>').ok_or("unclosed tag")?;
                let done = open.pop().ok_or("mismatched end tag")?;
                let span = nodes.len() - done;
                let node = &mut nodes[done];
                if local_name(head(after, end).trim_ascii_end()) != node.name {
                    return Err("mismatched end tag");
                }
                node.span = span;
                rest = tail(after, end + 1);
                if open.is_empty() {
                    return Ok(Document { nodes });
                }
            } else {
                let (tag, after, empty) = start_tag(rest)?;
                rest = after;
                if !empty {
                    if open.len() == MAX_DEPTH {
                        return Err("the document nests deeper than S3's do");
                    }
                    open.push(nodes.len());
                }
                nodes.push(Node { name: local_name(tag), text: Cow::Borrowed(""), span: 1 });
                if open.is_empty() {
                    return Ok(Document { nodes });
                }
            }
        }
    }

    pub fn root(&self) -> Element<'_> {
        Element(&self.nodes)
    }
}

impl<'a> Element<'a> {
    pub fn name(self) -> &'a str {
        self.0.first().map_or("", |node| node.name)
    }

    pub fn text(self) -> &'a str {
        self.0.first().map_or("", |node| &node.text)
    }

    pub fn child(self, name: &str) -> Option<Element<'a>> {
        self.children(name).next()
    }

    /// The child elements of that name, in order.
    pub fn children<'n>(self, name: &'n str) -> Children<'a, 'n> {
        Children { rest: self.0.get(1..).unwrap_or_default(), name }
    }
}

/// What [`Element::children`] gives: the element's descendants, taken a child's span at a time.
pub(crate) struct Children<'a, 'n> {
    rest: &'a [Node<'a>],
    name: &'n str,
}

impl<'a> Iterator for Children<'a, '_> {
    type Item = Element<'a>;

    fn next(&mut self) -> Option<Element<'a>> {
        while let Some(node) = self.rest.first() {
            let (child, rest) = self.rest.split_at_checked(node.span).unwrap_or((self.rest, &[]));
            self.rest = rest;
            if node.name == self.name {
                return Some(Element(child));
            }
        }
        None
    }
}

/// The name of a start tag (`<name attr="…"…>` or `<name/>`), what follows it, and whether it
/// closed itself. Attribute values may hold `>`, so quotes are followed.
fn start_tag(rest: &str) -> Result<(&str, &str, bool), &'static str> {
    let bytes = rest.as_bytes();
    let name_end =
        bytes.iter().position(|b| b.is_ascii_whitespace() || *b == b'>' || *b == b'/').ok_or("unclosed tag")?;
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate().skip(name_end) {
        match (quote, b) {
            (Some(q), b) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => {
                let empty = i > 0 && bytes[i - 1] == b'/';
                return Ok((head(rest, name_end), tail(rest, i + 1), empty));
            }
            _ => {}
        }
    }
    Err("unclosed tag")
}

fn skip_past<'a>(rest: &'a str, end: &str) -> Result<&'a str, &'static str> {
    find(rest, end).map(|at| tail(rest, at + end.len())).ok_or("unclosed tag")
}

/// Where `needle` first starts in `text` (a plain scan: core's substring searcher costs more
/// wasm than these few short needles are worth).
fn find(text: &str, needle: &str) -> Option<usize> {
    text.as_bytes().windows(needle.len()).position(|window| window == needle.as_bytes())
}

/// The text before byte `at`, and from byte `at` on. Every `at` here is next to an ASCII
/// delimiter, so these never fall inside a character; `get` rather than indexing keeps the
/// panic path (and its formatting code, several KB of wasm) out.
fn head(text: &str, at: usize) -> &str {
    text.get(..at).unwrap_or_default()
}

fn tail(text: &str, at: usize) -> &str {
    text.get(at..).unwrap_or_default()
}

/// The name without its namespace prefix (`s3:Key` is `Key`).
fn local_name(name: &str) -> &str {
    match name.bytes().rposition(|b| b == b':') {
        Some(colon) => tail(name, colon + 1),
        None => name,
    }
}

/// Adds a run of text to an element's text, borrowing while it is the only run.
fn append<'a>(text: &mut Cow<'a, str>, run: Cow<'a, str>) {
    if text.is_empty() {
        *text = run;
    } else if !run.is_empty() {
        text.to_mut().push_str(&run);
    }
}

/// Text with its entities replaced; borrowed when it has none.
fn unescape(text: &str) -> Result<Cow<'_, str>, &'static str> {
    if !text.as_bytes().contains(&b'&') {
        return Ok(Cow::Borrowed(text));
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    // Byte scans, not `str::find` with a char: its searcher is slower for one ASCII byte.
    while let Some(amp) = rest.bytes().position(|b| b == b'&') {
        out.push_str(head(rest, amp));
        let end = tail(rest, amp).bytes().position(|b| b == b';').ok_or("bad entity")? + amp;
        let entity = head(tail(rest, amp + 1), end - amp - 1);
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                // Parsed as u64, whose parser the wasm has anyway, rather than add u32's. The
                // parser takes a leading `+`, which no reference holds (`&#+65;`).
                let (digits, radix) = match entity.strip_prefix("#x") {
                    Some(hex) => (hex, 16),
                    None => (entity.strip_prefix('#').ok_or("bad entity")?, 10),
                };
                let code = u64::from_str_radix(digits, radix).ok().filter(|_| !digits.starts_with('+'));
                // No NUL or other control character but tab and line ends: XML 1.0 lets no
                // document hold them, even as references. <https://www.w3.org/TR/xml/#NT-Char>
                let allowed = |code: &u64| *code >= 0x20 || matches!(code, 9 | 10 | 13);
                code.filter(allowed).and_then(|code| char::from_u32(u32::try_from(code).ok()?)).ok_or("bad entity")?
            }
        };
        out.push(c);
        rest = tail(rest, end + 1);
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_elements_text_and_entities() {
        let doc = br#"<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment -->
<s3:Root xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/"><Key>a &amp; b &lt;c&gt; &#x41;</Key>
  <Empty/><Data><![CDATA[<raw>]]></Data></s3:Root>"#;
        let document = Document::parse(doc).unwrap();
        let root = document.root();
        assert_eq!(root.name(), "Root");
        assert_eq!(root.child("Key").unwrap().text(), "a & b <c> A");
        assert_eq!(root.child("Empty").unwrap().text(), "");
        assert_eq!(root.child("Data").unwrap().text(), "<raw>");
        assert_eq!(root.children("Key").count(), 1);
        let attrs = Document::parse(br#"<A x="1>2" y='/>'><B/>t&#233;xt</A>"#).unwrap();
        assert_eq!((attrs.root().children("B").count(), attrs.root().text()), (1, "téxt"));
        let semicolons = Document::parse(b"<A>a;b &amp; c;</A>").unwrap();
        assert_eq!(semicolons.root().text(), "a;b & c;");
        // Children are found past their siblings' descendants, never among them.
        let nested = Document::parse(b"<A><B><C>1</C><B>inner</B><C>2</C></B><B/><D>x</D><C>3</C></A>").unwrap();
        let b: Vec<_> =
            nested.root().children("B").map(|b| b.children("C").map(Element::text).collect::<Vec<_>>()).collect();
        assert_eq!(b, [vec!["1", "2"], vec![]]);
        let c: Vec<_> = nested.root().children("C").map(Element::text).collect();
        assert_eq!(c, ["3"]);
        assert_eq!(nested.root().child("D").map(Element::text), Some("x"));
        let empty_root = Document::parse(b"<A/>").unwrap();
        assert_eq!((empty_root.root().name(), empty_root.root().children("A").count()), ("A", 0));
    }

    #[test]
    fn refuses_broken_and_hostile_documents() {
        let deep = "<a>".repeat(MAX_DEPTH + 1);
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xx">]><a>&x;</a>"#;
        for doc in [
            &b"<A><B></A>"[..],
            b"<A>",
            b"",
            b"</A>",
            b"<A>&nope;</A>",
            b"<A><B></C></A>",
            deep.as_bytes(),
            bomb.as_bytes(),
            b"<A>\xff</A>",
            // Control characters no XML 1.0 document may hold, even as references.
            b"<A>a&#0;b</A>",
            b"<A>&#x1;</A>",
            b"<A>&#x1F;</A>",
            // A sign is no digit (Rust's integer parsers take a leading `+`).
            b"<A>&#+65;</A>",
            b"<A>&#x+41;</A>",
            b"<A>&#;</A>",
            b"<A>&#x;</A>",
        ] {
            assert!(Document::parse(doc).is_err(), "{}", String::from_utf8_lossy(doc));
        }
        let line_ends = Document::parse(b"<A>&#9;&#xA;&#13;&#x20;</A>").unwrap();
        assert_eq!(line_ends.root().text(), "\t\n\r ");
    }
}
