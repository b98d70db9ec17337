//! What a server may answer that no S3 would: answers made at random from the pieces of the
//! real ones (every declared element and header name, entities, CDATA, comments, odd numbers
//! and dates, bytes that are not UTF-8) go through every reader an answer meets. None may
//! panic: in the npm package a panic is a trap that leaves the whole client unusable, so a
//! hostile or broken server must only ever produce an error or an odd value.

use super::read::{read_output, url_decode, Answer};
use super::service_error::service_error;
use crate::credentials::random_texts;
use crate::encoding::{base64, encoded_word};
use crate::http::Headers;
use crate::operations::catalog::ALL;
use crate::operations::{Field, Loc, Ty};
use crate::time::Timestamp;
use crate::xml::Document;

/// Text S3 answers are made of, and text they never hold.
const TOKENS: &[&str] = &[
    "<",
    ">",
    "</",
    "/>",
    " ",
    "\n",
    "x",
    "é",
    "😀",
    "\u{0}",
    "\u{7f}",
    "&amp;",
    "&lt;",
    "&quot;",
    "&#x41;",
    "&#65;",
    "&#x110000;",
    "&#99999999999999999999;",
    "&#;",
    "&bogus;",
    "&",
    ";",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "<?xml version=\"1.0\"?>",
    "?>",
    "<!DOCTYPE x>",
    "\"",
    "'",
    "=",
    ":",
    "s3:",
    "xmlns=\"u\"",
    "%",
    "%2",
    "%2F",
    "%zz",
    "%C3%A9",
    "%FF",
    "+",
    "0",
    "1",
    "-1",
    "18446744073709551616",
    "9007199254740993",
    "2026-01-01T00:00:00.000Z",
    "2026-13-45T99:99:99Z",
    "0000-00-00T00:00:00Z",
    "99999-01-01T00:00:00Z",
    "Thu, 01 Jan 1970 00:00:00 GMT",
    "Tue, 31 Feb 2026 25:61:61 GMT",
    "true",
    "false",
    "url",
    "none",
    "=?UTF-8?B?",
    "=?UTF-8?Q?",
    "?=",
    "=?",
    "_",
    "=E9",
    "=ZZ",
    "Y2Fm",
    "4pyT",
    "====",
    "bytes 0-9/10",
    "bytes */10",
    "AccessDenied",
    "NoSuchKey",
    "us-west-2",
    "\"abc-3\"",
];

/// The element and header names an operation's answer is read from, at every depth.
fn names(fields: &[Field], out: &mut Vec<String>) {
    for field in fields {
        match (field.loc(), field.ty()) {
            (_, Ty::Record(inner) | Ty::List(inner)) => names(inner, out),
            (Loc::Header(_) | Loc::Xml(_) | Loc::XmlKey(_), _) => {}
            _ => continue,
        }
        if matches!(field.loc(), Loc::Header(_) | Loc::Xml(_) | Loc::XmlKey(_)) {
            for name in field.wire().split('/') {
                out.push(name.into());
            }
        }
    }
}

/// A document of the declared elements nested at random, with random text in them; now and
/// then broken by a random piece.
struct Documents<'a> {
    names: &'a [String],
    seed: u64,
}

impl Documents<'_> {
    fn next(&mut self, below: usize) -> usize {
        self.seed ^= self.seed << 13;
        self.seed ^= self.seed >> 7;
        self.seed ^= self.seed << 17;
        (self.seed % below as u64) as usize
    }

    fn element(&mut self, out: &mut String, depth: usize) {
        let name = self.names[self.next(self.names.len())].clone();
        out.push_str(&["<", &name, ">"].concat());
        for _ in 0..self.next(6) {
            if depth < 5 && self.next(2) == 0 {
                self.element(out, depth + 1);
            } else {
                out.push_str(TOKENS[self.next(TOKENS.len())]);
            }
        }
        out.push_str(&["</", &name, ">"].concat());
    }

    fn document(&mut self) -> String {
        let mut out = String::new();
        self.element(&mut out, 0);
        if self.next(4) == 0 {
            let at = self.next(out.len() + 1);
            let at = (at..=out.len()).find(|&at| out.is_char_boundary(at)).unwrap_or(out.len());
            out.insert_str(at, TOKENS[self.next(TOKENS.len())]);
        }
        out
    }
}

#[test]
fn no_answer_makes_a_reader_panic() {
    let mut documents = 0;
    for (n, operation) in ALL.iter().enumerate() {
        let mut names_read = Vec::new();
        names(operation.output, &mut names_read);
        names_read.extend(["Error", "Code", "Message", "RequestId", "Region", "EncodingType"].map(String::from));
        let tags: Vec<String> =
            names_read.iter().flat_map(|name| [["<", name, ">"].concat(), ["</", name, ">"].concat()]).collect();
        let pieces: Vec<&str> = TOKENS.iter().copied().chain(tags.iter().map(String::as_str)).collect();
        let mut nested = Documents { names: &names_read, seed: 0x2545_f491_4f6c_dd1d ^ n as u64 };
        let texts = random_texts(&pieces, 300, 60, 0x9e37_79b9_7f4a_7c15 ^ n as u64);
        for (i, text) in texts.into_iter().chain((0..300).map(|_| nested.document())).enumerate() {
            let mut headers = Headers::new();
            for (at, name) in names_read.iter().enumerate().filter(|(at, _)| (at + i) % 3 == 0) {
                // Header values from the same random text, cut at varying places.
                let value = text.get(at % 7..).unwrap_or_default();
                headers.append(&name.to_ascii_lowercase(), value.chars().filter(|c| *c != '\n').collect::<String>());
            }
            headers.append("x-amz-meta-m", text.clone());
            headers.append("retry-after", text.clone());
            headers.append("date", text.clone());
            // As sent, and cut short mid-document (a truncated body) or mid-character.
            for body in [text.as_bytes(), &text.as_bytes()[..text.len() / 2]] {
                if let Ok(document) = Document::parse(body) {
                    documents += 1;
                    let answer = Answer { status: 200, headers: &headers, root: Some(document.root()) };
                    let _ = read_output(operation.output, &answer);
                }
                let answer = Answer { status: 200, headers: &headers, root: None };
                let _ = read_output(operation.output, &answer);
                for status in [200, 301, 400, 403, 404, 500, 503] {
                    let _ = service_error(status, &headers, body);
                }
            }
            let _ = (Timestamp::parse(&text), url_decode(&text), encoded_word::decode(&text), base64::decode(&text));
        }
    }
    // The nested documents must parse often enough for the readers behind the parser to run.
    assert!(documents > 2000, "only {documents} random answers parsed as XML");
}

/// The same for what a caller gives: endpoints, bucket names, keys, header names and values,
/// ranges and metadata are refused with an error, never a panic, whatever they hold.
#[test]
fn no_input_makes_a_check_panic() {
    use crate::operations::{build::range_header, ByteRange};
    let pieces: Vec<&str> =
        TOKENS.iter().copied().chain(["http://", "https://", "[::1]", ":65536", ":80", "/", ".", ".."]).collect();
    let mut refused = 0;
    for text in random_texts(&pieces, 3000, 12, 0x5851_f42d_4c95_7f2d) {
        let checks = [
            super::endpoint::Endpoint::parse(&text).is_err(),
            crate::validate::bucket_name(&text).is_err(),
            crate::validate::object_key(&text, false).is_err(),
            crate::validate::header_value("x", &text).is_err(),
            crate::validate::headers(&[(text.clone(), text.clone())]).is_err(),
            range_header(&ByteRange::Raw(text.clone())).is_err(),
        ];
        refused += checks.iter().filter(|&&refused| refused).count();
        let _ = (crate::sigv4::uri_encode(&text, true), encoded_word::encode(&text));
    }
    assert!(refused > 3000, "only {refused} refusals: the random inputs are too tame to test the checks");
}
