//! S3's XML, read into a small element tree with quick-xml's event reader and written with
//! `format!`. S3 documents are plain (elements and text, no mixed content), and walking a tree
//! by hand costs a fraction of the wasm that serde-driven XML does.

use crate::error::{Error, Result};
use crate::time::Timestamp;
use quick_xml::events::Event;
use std::str::FromStr;

/// An element: its local name (namespace prefix dropped), its text and its child elements.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Element {
    pub name: String,
    pub text: String,
    pub children: Vec<Element>,
}

impl Element {
    /// Parses a document into its root element.
    pub fn parse(document: &[u8]) -> std::result::Result<Element, String> {
        let mut reader = quick_xml::Reader::from_reader(document);
        let mut stack: Vec<Element> = Vec::new();
        loop {
            match reader.read_event().map_err(|e| e.to_string())? {
                Event::Start(start) => {
                    stack.push(Element { name: local_name(start.local_name().as_ref()), ..Default::default() })
                }
                Event::Empty(empty) => {
                    let element = Element { name: local_name(empty.local_name().as_ref()), ..Default::default() };
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(element),
                        None => return Ok(element),
                    }
                }
                Event::Text(text) => {
                    if let Some(open) = stack.last_mut() {
                        open.text.push_str(&text.unescape().map_err(|e| e.to_string())?);
                    }
                }
                Event::CData(data) => {
                    if let Some(open) = stack.last_mut() {
                        open.text.push_str(&String::from_utf8_lossy(&data));
                    }
                }
                Event::End(_) => {
                    let done = stack.pop().ok_or("unbalanced end tag")?;
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(done),
                        None => return Ok(done),
                    }
                }
                Event::Eof => return Err("the document ends before its root element does".into()),
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
            }
        }
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of a child element.
    pub fn text(&self, name: &str) -> Option<String> {
        self.child(name).map(|c| c.text.clone())
    }

    /// A child's text parsed as a number (or anything `FromStr`); absent is `None`, unreadable
    /// is an error.
    pub fn number<T: FromStr>(&self, name: &str) -> Result<Option<T>> {
        self.child(name)
            .map(|c| c.text.trim().parse().map_err(|_| invalid(format!("<{name}> holds {:?}", c.text))))
            .transpose()
    }

    /// A child's text as `true`/`false`; absent is false.
    pub fn flag(&self, name: &str) -> Result<bool> {
        match self.child(name).map(|c| c.text.trim()) {
            None | Some("false") => Ok(false),
            Some("true") => Ok(true),
            Some(other) => Err(invalid(format!("<{name}> holds {other:?}, not true or false"))),
        }
    }

    /// A child's text as an ISO 8601 (or HTTP) date.
    pub fn date(&self, name: &str) -> Result<Option<Timestamp>> {
        self.child(name)
            .map(|c| {
                Timestamp::parse(&c.text).ok_or_else(|| invalid(format!("<{name}> holds {:?}, not a date", c.text)))
            })
            .transpose()
    }

    /// A child that must be there.
    pub fn required(&self, name: &str) -> Result<String> {
        self.text(name).ok_or_else(|| invalid(format!("<{}> has no <{name}>", self.name)))
    }
}

fn local_name(name: &[u8]) -> String {
    String::from_utf8_lossy(name).into_owned()
}

fn invalid(message: String) -> Error {
    Error::invalid_response(200, message)
}

/// Escapes text for an XML element.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Carriage returns would be normalised to newlines by the parser.
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

/// A request body: the XML declaration, then `root` in the S3 namespace around `inner`.
pub(crate) fn document(root: &str, inner: &str) -> bytes::Bytes {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><{root} xmlns="http://s3.amazonaws.com/doc/2006-03-01/">{inner}</{root}>"#
    )
    .into_bytes()
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_elements_text_and_entities() {
        let doc = br#"<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment -->
<s3:Root xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/"><Key>a &amp; b &lt;c&gt; &#x41;</Key>
  <Empty/><Data><![CDATA[<raw>]]></Data><N>42</N><T>true</T><D>2009-10-12T17:50:30.000Z</D></s3:Root>"#;
        let root = Element::parse(doc).unwrap();
        assert_eq!(root.name, "Root");
        assert_eq!(root.text("Key").as_deref(), Some("a & b <c> A"));
        assert_eq!(root.text("Empty").as_deref(), Some(""));
        assert_eq!(root.text("Data").as_deref(), Some("<raw>"));
        assert_eq!(root.number::<u64>("N").unwrap(), Some(42));
        assert!(root.flag("T").unwrap());
        assert_eq!(root.date("D").unwrap().map(Timestamp::unix_seconds), Some(1_255_369_830));
        assert!(root.number::<u64>("Key").is_err());
        assert!(root.flag("Key").is_err());
        assert!(root.required("Missing").is_err());
    }

    #[test]
    fn refuses_broken_documents() {
        for doc in [&b"<A><B></A>"[..], b"<A>", b"", b"</A>"] {
            assert!(Element::parse(doc).is_err(), "{}", String::from_utf8_lossy(doc));
        }
    }

    #[test]
    fn escaped_text_round_trips() {
        let text = "k&<>\"'\r\n é";
        let doc = document("Delete", &format!("<Key>{}</Key>", escape(text)));
        assert_eq!(Element::parse(&doc).unwrap().text("Key").as_deref(), Some(text));
    }
}
