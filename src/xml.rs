//! S3's XML, read into a small element tree by a reader of the XML that S3 writes: elements,
//! attributes (skipped), text with the predefined and numeric entities, CDATA, comments and
//! processing instructions. A DOCTYPE is refused (S3 never sends one; it is how entity bombs
//! start), and so is nesting deeper than S3's documents go. Written by hand: quick-xml's event
//! reader cost about 10 KB of wasm for the same job (README, "Size").

/// An element: its local name (namespace prefix dropped), its text and its child elements.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Element {
    pub name: String,
    pub text: String,
    pub children: Vec<Element>,
}

/// S3's documents nest four levels at most; anything far deeper is hostile.
const MAX_DEPTH: usize = 32;

impl Element {
    /// Parses a document into its root element.
    pub fn parse(document: &[u8]) -> Result<Element, String> {
        let text = core::str::from_utf8(document).map_err(|_| "the document is not UTF-8")?;
        let mut rest = text;
        let mut stack: Vec<Element> = Vec::new();
        loop {
            let Some(open) = rest.find('<') else {
                return Err("the document ends before its root element does".into());
            };
            if let Some(current) = stack.last_mut() {
                unescape_into(head(rest, open), &mut current.text)?;
            } else if !head(rest, open).trim().is_empty() {
                return Err("text outside the root element".into());
            }
            rest = tail(rest, open + 1);
            if let Some(after) = rest.strip_prefix("!--") {
                rest = skip_past(after, "-->")?;
            } else if let Some(after) = rest.strip_prefix("![CDATA[") {
                let end = find(after, "]]>").ok_or("a CDATA section is not closed")?;
                let current = stack.last_mut().ok_or("CDATA outside the root element")?;
                current.text.push_str(head(after, end));
                rest = tail(after, end + 3);
            } else if rest.starts_with('!') {
                return Err("a DOCTYPE or other declaration, which S3 never sends".into());
            } else if let Some(after) = rest.strip_prefix('?') {
                rest = skip_past(after, "?>")?;
            } else if let Some(after) = rest.strip_prefix('/') {
                let end = after.find('>').ok_or("an end tag is not closed")?;
                let done = stack.pop().ok_or("an end tag without a start tag")?;
                if local_name(head(after, end).trim_end()) != done.name {
                    return Err("an end tag does not match its start tag".into());
                }
                rest = tail(after, end + 1);
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return Ok(done),
                }
            } else {
                let (tag, after, empty) = start_tag(rest)?;
                rest = after;
                let element = Element { name: local_name(tag).into(), ..Default::default() };
                if empty {
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(element),
                        None => return Ok(element),
                    }
                } else if stack.len() == MAX_DEPTH {
                    return Err("the document nests deeper than S3's do".into());
                } else {
                    stack.push(element);
                }
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

/// The name of a start tag (`<name attr="…"…>` or `<name/>`), what follows it, and whether it
/// closed itself. Attribute values may hold `>`, so quotes are followed.
fn start_tag(rest: &str) -> Result<(&str, &str, bool), String> {
    let name_end = rest.find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/').ok_or("a tag is not closed")?;
    let mut quote = None;
    for (i, c) in rest.char_indices().skip(name_end) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => {
                let empty = head(rest, i).ends_with('/');
                return Ok((head(rest, name_end), tail(rest, i + 1), empty));
            }
            _ => {}
        }
    }
    Err("a tag is not closed".into())
}

fn skip_past<'a>(rest: &'a str, end: &str) -> Result<&'a str, String> {
    find(rest, end).map(|at| tail(rest, at + end.len())).ok_or_else(|| "a comment or declaration is not closed".into())
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
    name.rsplit(':').next().unwrap_or(name)
}

/// Appends text with its entities replaced.
fn unescape_into(text: &str, out: &mut String) -> Result<(), String> {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(head(rest, amp));
        let end = tail(rest, amp).find(';').ok_or("an entity is not closed")? + amp;
        let entity = head(tail(rest, amp + 1), end - amp - 1);
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = match entity.strip_prefix("#x") {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => entity.strip_prefix('#').and_then(|dec| dec.parse().ok()),
                };
                code.and_then(char::from_u32).ok_or("an unknown entity")?
            }
        };
        out.push(c);
        rest = tail(rest, end + 1);
    }
    out.push_str(rest);
    Ok(())
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
        let attrs = Element::parse(br#"<A x="1>2" y='/>'><B/>t&#233;xt</A>"#).unwrap();
        assert_eq!((attrs.children.len(), attrs.text.as_str()), (1, "téxt"));
        let semicolons = Element::parse(b"<A>a;b &amp; c;</A>").unwrap();
        assert_eq!(semicolons.text, "a;b & c;");
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
        ] {
            assert!(Element::parse(doc).is_err(), "{}", String::from_utf8_lossy(doc));
        }
    }
}
