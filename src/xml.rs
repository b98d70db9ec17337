//! S3's XML, read into a small element tree with quick-xml's event reader and written with
//! `format!`. S3 documents are plain (elements and text, no mixed content), and walking a tree
//! by hand costs a fraction of the wasm that serde-driven XML does.

use quick_xml::events::Event;

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
}

fn local_name(name: &[u8]) -> String {
    String::from_utf8_lossy(name).into_owned()
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
        let root = Element::parse(doc).unwrap();
        assert_eq!(root.name, "Root");
        assert_eq!(root.child("Key").unwrap().text, "a & b <c> A");
        assert_eq!(root.child("Empty").unwrap().text, "");
        assert_eq!(root.child("Data").unwrap().text, "<raw>");
        assert_eq!(root.children("Key").count(), 1);
    }

    #[test]
    fn refuses_broken_documents() {
        for doc in [&b"<A><B></A>"[..], b"<A>", b"", b"</A>"] {
            assert!(Element::parse(doc).is_err(), "{}", String::from_utf8_lossy(doc));
        }
    }
}
