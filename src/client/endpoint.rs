//! Where a request goes: the endpoint, path-style or virtual-hosted addressing, and the URL
//! path an object key becomes.
//! <https://docs.aws.amazon.com/AmazonS3/latest/userguide/VirtualHosting.html>

use crate::error::{Error, Result};
use crate::sigv4::uri_encode;

/// How the bucket is named in the URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Addressing {
    /// `https://host/bucket/key`: works with every server and every bucket name.
    #[default]
    Path,
    /// `https://bucket.host/key`: what AWS prefers. Buckets whose names are not a single DNS
    /// label over https (dots break the wildcard certificate) fall back to path style.
    Virtual,
}

/// A parsed endpoint: `http(s)://host[:port]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    scheme: String,
    /// `host[:port]`, exactly as it goes in the `Host` header.
    pub(crate) authority: String,
}

impl Endpoint {
    pub fn parse(url: &str) -> Result<Self> {
        let bad = |why: &str| Error::validation(["endpoint \"", url, "\" ", why].concat());
        let (scheme, rest) = url.split_once(':').ok_or_else(|| bad("must start with http:// or https://"))?;
        let scheme = scheme.to_ascii_lowercase();
        let rest = rest.strip_prefix("//").filter(|_| scheme == "http" || scheme == "https");
        let rest = rest.ok_or_else(|| bad("must start with http:// or https://"))?;
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        if authority.is_empty()
            || authority.contains(['/', '?', '#', '@', '\\'])
            || !authority.bytes().all(|b| b.is_ascii_graphic())
        {
            return Err(bad("must be scheme://host[:port] with no path, query or user info"));
        }
        // The port follows the last colon, unless that colon is inside an IPv6 literal.
        if let Some((host, port)) = authority.rsplit_once(':').filter(|(_, port)| !port.ends_with(']')) {
            if port.parse::<u16>().is_err() || !port.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("has a port that is not a number from 0 to 65535"));
            }
            // `http://:80` would become `http:///bucket`, which URL parsers read as host `bucket`.
            if host.is_empty() {
                return Err(bad("must be scheme://host[:port] with no path, query or user info"));
            }
        }
        // The default port is left out, as fetch and every server do in `Host`.
        let default_port = if scheme == "https" { ":443" } else { ":80" };
        let authority = authority.strip_suffix(default_port).unwrap_or(authority).to_ascii_lowercase();
        Ok(Endpoint { scheme, authority })
    }

    /// AWS's regional S3 endpoint.
    pub fn aws(region: &str) -> Self {
        Self::aws_service("s3", region)
    }

    /// The regional endpoint of an AWS service (China's regions have their own domain).
    pub(crate) fn aws_service(service: &str, region: &str) -> Self {
        let domain = if region.starts_with("cn-") { "amazonaws.com.cn" } else { "amazonaws.com" };
        Endpoint { scheme: "https".into(), authority: [service, ".", region, ".", domain].concat() }
    }

    pub fn is_https(&self) -> bool {
        self.scheme == "https"
    }

    /// The host (and port) a request for `bucket` goes to, and the URL path of `key`.
    pub(crate) fn locate(&self, addressing: Addressing, bucket: Option<&str>, key: Option<&str>) -> Location {
        let key_path = key.map(|k| uri_encode(k, true)).unwrap_or_default();
        match bucket {
            Some(bucket) if addressing == Addressing::Virtual && self.virtual_hostable(bucket) => Location {
                scheme: self.scheme.clone(),
                authority: [bucket, ".", &self.authority].concat(),
                path: ["/", &key_path].concat(),
            },
            Some(bucket) => Location {
                scheme: self.scheme.clone(),
                authority: self.authority.clone(),
                path: if key.is_some() { ["/", bucket, "/", &key_path].concat() } else { ["/", bucket].concat() },
            },
            None => Location { scheme: self.scheme.clone(), authority: self.authority.clone(), path: "/".into() },
        }
    }

    /// Whether `bucket` can be named in the host: not when the endpoint is an IP address (a
    /// bucket is no subdomain of one; `[::1]` would not even parse), nor a dotted bucket over
    /// https (the wildcard certificate covers one label). Path style serves those.
    fn virtual_hostable(&self, bucket: &str) -> bool {
        let host = self.authority.split(':').next().unwrap_or_default();
        let ip = self.authority.starts_with('[') || host.bytes().all(|b| b.is_ascii_digit() || b == b'.');
        !(ip || self.is_https() && bucket.contains('.'))
    }
}

/// Where one request goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Location {
    pub scheme: String,
    pub authority: String,
    /// Percent-encoded once, as sent and as signed (S3 does not normalise or double-encode).
    pub path: String,
}

impl Location {
    /// `scheme://host[:port]`: which endpoint answered.
    pub fn origin(&self) -> String {
        [&self.scheme, "://", &self.authority].concat()
    }

    pub fn url(&self, query: &str) -> String {
        let mut url = [&self.scheme, "://", &self.authority, &self.path].concat();
        if !query.is_empty() {
            url.push('?');
            url.push_str(query);
        }
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_endpoints() {
        let e = Endpoint::parse("http://127.0.0.1:9000/").unwrap();
        assert_eq!(e.authority, "127.0.0.1:9000");
        assert_eq!(Endpoint::parse("https://S3.example.com:443").unwrap().authority, "s3.example.com");
        assert_eq!(Endpoint::parse("http://[::1]:9000").unwrap().authority, "[::1]:9000");
        assert!(Endpoint::parse("http://[::1]").is_ok());
        for bad in [
            "127.0.0.1:9000",
            "ftp://x",
            "http://",
            "http://h/base",
            "http://u:p@h",
            "http://h\\x",
            "http://h:x",
            "http://h :1",
            "http://h:99999",
            // An empty host (it would become `http:///bucket`, host `bucket`), a signed port.
            "http://:80",
            "https://:443",
            "http://h:+80",
        ] {
            assert!(matches!(Endpoint::parse(bad), Err(Error::Validation(_))), "{bad}");
        }
    }

    #[test]
    fn locates_path_and_virtual_style() {
        let e = Endpoint::parse("https://s3.example.com").unwrap();
        let path = e.locate(Addressing::Path, Some("b"), Some("a b/c+d"));
        assert_eq!(path.url("x=1"), "https://s3.example.com/b/a%20b/c%2Bd?x=1");
        let virt = e.locate(Addressing::Virtual, Some("b"), Some("k"));
        assert_eq!(virt.url(""), "https://b.s3.example.com/k");
        let dotted = e.locate(Addressing::Virtual, Some("my.bucket"), None);
        assert_eq!(dotted.url(""), "https://s3.example.com/my.bucket");
        assert_eq!(e.locate(Addressing::Path, None, None).url(""), "https://s3.example.com/");
        for ip in ["http://127.0.0.1:9000", "https://[::1]:8443", "http://10.0.0.1"] {
            let url = Endpoint::parse(ip).unwrap().locate(Addressing::Virtual, Some("b"), Some("k")).url("");
            assert_eq!(url, [ip, "/b/k"].concat(), "an IP endpoint is addressed path-style");
        }
    }
}
