//! Credentials from the shared files: `~/.aws/credentials` and `~/.aws/config`
//! (`AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`), profile `AWS_PROFILE` or `default`.
//! A profile holds static keys, or `role_arn` + `web_identity_token_file` (exchanged with
//! STS). <https://docs.aws.amazon.com/sdkref/latest/guide/file-format.html>

use super::env::Vars;
use super::web_identity::{TokenSource, WebIdentity};
use super::{Credentials, ProvideCredentials};
use crate::error::{Error, Result};
use crate::platform::BoxFuture;
use crate::transport::Transport;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

/// The properties of each profile in one file, by profile name.
type Profiles = HashMap<String, HashMap<String, String>>;

/// Reads the files at each call (the cache in front keeps what they give).
pub struct ProfileCredentials {
    vars: Vars,
    transport: Arc<dyn Transport>,
    region: String,
}

impl ProfileCredentials {
    /// `transport` and `region` serve a profile that names a web identity role.
    pub fn new(vars: Vars, transport: Arc<dyn Transport>, region: impl Into<String>) -> Self {
        ProfileCredentials { vars, transport, region: region.into() }
    }

    fn file(&self, variable: &str, default: &str) -> Option<PathBuf> {
        let home = || (self.vars)("HOME").or_else(|| (self.vars)("USERPROFILE")).map(PathBuf::from);
        let Some(path) = (self.vars)(variable) else { return home().map(|home| home.join(".aws").join(default)) };
        // No shell expands `~` in a Dockerfile's or a systemd unit's variables; the SDKs do.
        match path.strip_prefix('~').filter(|rest| rest.is_empty() || rest.starts_with(['/', '\\'])) {
            Some(rest) => home().map(|home| home.join(rest.trim_start_matches(['/', '\\']))),
            None => Some(PathBuf::from(path)),
        }
    }

    async fn load(&self) -> Result<Credentials> {
        let name = (self.vars)("AWS_PROFILE").unwrap_or_else(|| "default".into());
        let files = [("AWS_SHARED_CREDENTIALS_FILE", "credentials", false), ("AWS_CONFIG_FILE", "config", true)];
        let mut found = false;
        let mut named = false;
        let mut properties = HashMap::new();
        // The config file first, so the credentials file's values win.
        for (variable, default, is_config) in files.into_iter().rev() {
            let Some(path) = self.file(variable, default) else { continue };
            // Only a file that is not there is skipped: one that cannot be read is a broken setup,
            // which must not fall through to another identity (the container's, the instance's).
            let text = match super::read_file(path.clone()).await {
                Ok(text) => text,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(Error::Credentials(format!("cannot read {}: {e}", path.display()))),
            };
            found = true;
            if let Some(profile) = parse(&text, is_config).remove(&name) {
                named = true;
                properties.extend(profile);
            }
        }
        if !found {
            return Err(Error::Credentials("no ~/.aws/credentials or ~/.aws/config file".into()));
        }
        if !named {
            return Err(Error::Credentials(format!("profile {name} {NOT_THERE}")));
        }
        // A profile that sets no credentials (only a region, as `aws configure set region`
        // writes) is as good as absent: the chain goes on to the container and the instance,
        // as the SDKs' does, even for a profile named by AWS_PROFILE.
        if !properties.keys().any(|key| CREDENTIAL_KEYS.contains(&key.as_str())) {
            return Err(Error::Credentials(format!("profile {name} {NO_CREDENTIALS}")));
        }
        resolve(&name, &properties, &self.transport, &self.region).await
    }
}

/// How the errors of a profile that is not there, and of one that sets no credentials, end
/// (the default chain tells them apart: [`super::chain`]).
pub(super) const NOT_THERE: &str = "is not in the shared files";
pub(super) const NO_CREDENTIALS: &str = "sets no credentials";

/// The keys by which a profile says where its credentials come from (the ones livery-s3 reads,
/// and the ones it does not, which are then refused by name rather than passed over).
const CREDENTIAL_KEYS: &[&str] = &[
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "role_arn",
    "web_identity_token_file",
    "source_profile",
    "credential_source",
    "credential_process",
    "sso_session",
    "sso_start_url",
    "sso_account_id",
    "sso_role_name",
];

/// The credentials one profile's properties describe.
async fn resolve(
    name: &str,
    properties: &HashMap<String, String>,
    transport: &Arc<dyn Transport>,
    region: &str,
) -> Result<Credentials> {
    let get = |key: &str| properties.get(key).filter(|v| !v.is_empty()).cloned();
    // The SDKs' order: a role first, then SSO and `credential_process`, then static keys, so
    // keys left next to a `role_arn` never sign in the role's place.
    match (get("role_arn"), get("web_identity_token_file")) {
        (Some(role_arn), Some(file)) => {
            let mut web_identity = WebIdentity::new(role_arn, TokenSource::File(file.into()));
            web_identity.role_session_name = get("role_session_name");
            let region = get("region").unwrap_or_else(|| region.to_owned());
            return web_identity.into_provider(transport.clone(), &region)?.provide().await;
        }
        (Some(_), None) => {
            return Err(Error::Credentials(format!(
                "profile {name} assumes a role from another profile or source (source_profile, \
                 credential_source), which livery-s3 does not do"
            )))
        }
        (None, _) => {}
    }
    if let Some(key) = ["sso_session", "sso_start_url", "credential_process"].into_iter().find(|key| get(key).is_some())
    {
        return Err(Error::Credentials(format!(
            "profile {name} gets its credentials by {key}, which livery-s3 does not do"
        )));
    }
    if let Some(id) = get("aws_access_key_id") {
        let secret = get("aws_secret_access_key").ok_or_else(|| {
            Error::Credentials(format!("profile {name} has aws_access_key_id but no aws_secret_access_key"))
        })?;
        let credentials = Credentials::new(id, secret);
        // `aws_security_token` is the name boto and the AWS CLI still read for an older one.
        return Ok(match get("aws_session_token").or_else(|| get("aws_security_token")) {
            Some(token) => credentials.with_session_token(token),
            None => credentials,
        });
    }
    Err(Error::Credentials(format!(
        "profile {name} has neither aws_access_key_id nor role_arn with web_identity_token_file"
    )))
}

/// The profiles of one file. In the config file a profile's section is `[profile name]`
/// (`[profile default]`, or `[default]` when there is no such section, for the default); other
/// sections (`[sso-session …]`, `[services …]`) are skipped. Lines starting with `#` or `;` are
/// comments, and so is what follows ` #` or ` ;` (a space or tab before it) in a property's
/// line. An indented line continues the value above it (`\n` between them, kept as written),
/// or, below a key with no value (`s3 =` then `  max_concurrent_requests = 10`), is a nested
/// property and skipped.
/// Profile names are case-sensitive, keys are not.
fn parse(text: &str, is_config: bool) -> Profiles {
    // `[default]` in the config file, kept apart: a `[profile default]` replaces it whole.
    const BARE_DEFAULT: &str = "\0default";
    let mut profiles = Profiles::new();
    let mut current: Option<String> = None;
    let mut last_key: Option<String> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        // As in the SDKs: a comment starts its line, and a continuation keeps what looks like
        // one (`  b # c` continues a value with `b # c`).
        if trimmed.is_empty() || line.starts_with(['#', ';']) {
            continue;
        }
        if line.starts_with([' ', '\t']) {
            let continued = current.as_ref().zip(last_key.as_ref());
            let value = continued.and_then(|(profile, key)| profiles.get_mut(profile)?.get_mut(key));
            if let Some(value) = value.filter(|value| !value.is_empty()) {
                value.push('\n');
                value.push_str(trimmed);
            }
            continue;
        }
        last_key = None;
        if let Some(section) = trimmed.strip_prefix('[').and_then(|s| s.split(']').next()) {
            let section = section.trim();
            current = match (is_config, section.strip_prefix("profile ")) {
                (true, Some(name)) => Some(name.trim().to_owned()),
                (true, None) => (section == "default").then(|| BARE_DEFAULT.to_owned()),
                (false, _) => Some(section.to_owned()),
            };
            if let Some(name) = &current {
                profiles.entry(name.clone()).or_default();
            }
            continue;
        }
        let (Some(profile), Some((key, value))) = (&current, trimmed.split_once('=')) else { continue };
        let key = key.trim().to_ascii_lowercase();
        profiles.entry(profile.clone()).or_default().insert(key.clone(), uncommented(value).trim().to_owned());
        last_key = Some(key);
    }
    if let Some(bare) = profiles.remove(BARE_DEFAULT) {
        profiles.entry("default".into()).or_insert(bare);
    }
    profiles
}

/// A value without its inline comment (`value # note`, `value\t; note`).
fn uncommented(value: &str) -> &str {
    let comment = value.as_bytes().windows(2).position(|w| matches!(w, [b' ' | b'\t', b'#' | b';']));
    comment.map_or(value, |at| &value[..at])
}

impl ProvideCredentials for ProfileCredentials {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials>> {
        Box::pin(self.load())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "\
# a comment
[default]
region = eu-west-1
; another comment

[profile dev]
aws_access_key_id = AKIDCONFIG
aws_secret_access_key = from-config
s3 =
  max_concurrent_requests = 20
Unknown_Key = kept but unused

[sso-session corp]
sso_region = us-east-1

[profile   web  ]
role_arn = arn:aws:iam::123456789012:role/web
web_identity_token_file = /var/run/token
";

    const CREDENTIALS: &str = "\
[default]
aws_access_key_id=AKIDDEFAULT
aws_secret_access_key = default-secret   # inline note
aws_session_token = TOKEN

[dev]
AWS_ACCESS_KEY_ID = AKIDDEV
aws_secret_access_key = dev-secret
";

    #[test]
    fn any_text_parses_without_panicking() {
        const PIECES: &[&str] =
            &["[", "]", "profile ", "=", "#", ";", " ", "\t", "\n", "\r\n", "a", "é", "key", "[default]"];
        for (n, text) in super::super::random_texts(PIECES, 2000, 40, 0x9e37_79b9_7f4a_7c15).iter().enumerate() {
            let _ = parse(text, n % 2 == 0);
        }
    }

    #[test]
    fn config_sections_need_the_profile_prefix() {
        let config = parse(CONFIG, true);
        assert_eq!(config["default"]["region"], "eu-west-1");
        assert_eq!(config["dev"]["aws_access_key_id"], "AKIDCONFIG");
        assert!(!config["dev"].contains_key("max_concurrent_requests"), "nested properties are skipped");
        assert_eq!(config["dev"]["unknown_key"], "kept but unused");
        assert!(!config.contains_key("sso-session corp") && !config.contains_key("corp"));
        assert_eq!(config["web"]["role_arn"], "arn:aws:iam::123456789012:role/web");
    }

    #[test]
    fn credentials_file_keys_are_case_insensitive_and_comments_dropped() {
        let credentials = parse(CREDENTIALS, false);
        assert_eq!(credentials["default"]["aws_secret_access_key"], "default-secret");
        assert_eq!(credentials["dev"]["aws_access_key_id"], "AKIDDEV");
    }

    fn provider_over(files: &[(&str, &str)], profile: Option<&str>) -> (ProfileCredentials, tempdir::Dir) {
        let dir = tempdir::Dir::new();
        for (name, text) in files {
            std::fs::write(dir.0.join(name), text).unwrap();
        }
        let mut pairs = vec![
            ("AWS_SHARED_CREDENTIALS_FILE".to_string(), dir.0.join("credentials").display().to_string()),
            ("AWS_CONFIG_FILE".to_string(), dir.0.join("config").display().to_string()),
        ];
        if let Some(profile) = profile {
            pairs.push(("AWS_PROFILE".into(), profile.into()));
        }
        let map: HashMap<String, String> = pairs.into_iter().collect();
        let vars: Vars = Arc::new(move |name| map.get(name).cloned());
        struct NoNetwork;
        impl Transport for NoNetwork {
            fn send<'a>(
                &'a self,
                _: crate::http::HttpRequest,
                _: &'a crate::platform::Signal,
                _: Option<std::time::Duration>,
            ) -> BoxFuture<'a, Result<crate::http::HttpResponse>> {
                Box::pin(async { Err(Error::Network("no network in this test".into())) })
            }
        }
        (ProfileCredentials::new(vars, Arc::new(NoNetwork), "us-east-1"), dir)
    }

    mod tempdir {
        pub struct Dir(pub std::path::PathBuf);
        impl Dir {
            pub fn new() -> Self {
                let path = std::env::temp_dir().join(format!("livery-profile-{:016x}", crate::platform::random_u64()));
                std::fs::create_dir_all(&path).unwrap();
                Dir(path)
            }
        }
        impl Drop for Dir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }

    fn block_on<F: std::future::Future>(future: F) -> F::Output {
        let mut future = std::pin::pin!(future);
        let cx = &mut std::task::Context::from_waker(std::task::Waker::noop());
        loop {
            if let std::task::Poll::Ready(value) = future.as_mut().poll(cx) {
                return value;
            }
        }
    }

    #[test]
    fn the_legacy_aws_security_token_is_the_session_token_when_aws_session_token_is_absent() {
        let legacy = "[default]\naws_access_key_id = AKID\naws_secret_access_key = s\naws_security_token = OLD\n";
        let (provider, _dir) = provider_over(&[("credentials", legacy)], None);
        assert_eq!(block_on(provider.provide()).unwrap().for_signing().session_token, Some("OLD"));
        let both = format!("{legacy}aws_session_token = NEW\n");
        let (provider, _dir) = provider_over(&[("credentials", &both)], None);
        assert_eq!(block_on(provider.provide()).unwrap().for_signing().session_token, Some("NEW"));
    }

    #[test]
    fn the_credentials_file_wins_over_the_config_file() {
        let (provider, _dir) = provider_over(&[("config", CONFIG), ("credentials", CREDENTIALS)], Some("dev"));
        let c = block_on(provider.provide()).unwrap();
        assert_eq!(c.access_key_id(), "AKIDDEV");
        let (provider, _dir) = provider_over(&[("config", CONFIG)], Some("dev"));
        assert_eq!(block_on(provider.provide()).unwrap().access_key_id(), "AKIDCONFIG");
        let (provider, _dir) = provider_over(&[("credentials", CREDENTIALS)], None);
        let c = block_on(provider.provide()).unwrap();
        assert_eq!((c.access_key_id(), c.for_signing().session_token), ("AKIDDEFAULT", Some("TOKEN")));
    }

    #[test]
    fn a_missing_profile_or_file_is_a_credentials_error_that_says_which() {
        let (provider, _dir) = provider_over(&[("credentials", CREDENTIALS)], Some("prod"));
        let error = block_on(provider.provide()).unwrap_err();
        assert!(error.to_string().contains("profile prod is not in"), "{error}");
        let (provider, _dir) = provider_over(&[], None);
        assert!(block_on(provider.provide()).unwrap_err().to_string().contains("no ~/.aws/credentials"));
        let (provider, _dir) = provider_over(&[("config", "[profile half]\naws_access_key_id = A\n")], Some("half"));
        assert!(block_on(provider.provide()).unwrap_err().to_string().contains("no aws_secret_access_key"));
        // A region alone is no credentials (the default chain then goes on).
        let (provider, _dir) = provider_over(&[("config", "[default]\nregion = eu-west-1\n")], None);
        assert!(block_on(provider.provide()).unwrap_err().to_string().ends_with(NO_CREDENTIALS));
        let (provider, _dir) = provider_over(&[("config", "[profile prod]\nregion = eu-west-1\n")], Some("prod"));
        assert!(block_on(provider.provide()).unwrap_err().to_string().ends_with(NO_CREDENTIALS));
        // A file that is there but cannot be read is a broken setup, not a missing one.
        let (provider, dir) = provider_over(&[("config", CONFIG)], None);
        std::fs::write(dir.0.join("credentials"), b"[default]\naws_access_key_id = \xff\n").unwrap();
        assert!(block_on(provider.provide()).unwrap_err().to_string().contains("cannot read"));
    }

    #[test]
    fn continuation_lines_join_their_value_and_nested_properties_are_skipped() {
        let config = parse(
            "[profile p]\naws_session_token = first\n  second\t# a note\n\tthird\ns3 =\n  addressing_style = path\n\
             region = eu-west-1\t; tab comment\nnote = a#b c;d\n",
            true,
        );
        assert_eq!(config["p"]["aws_session_token"], "first\nsecond\t# a note\nthird", "kept as the SDKs keep it");
        assert_eq!(config["p"]["s3"], "", "a nested property's line joins nothing");
        assert!(!config["p"].contains_key("addressing_style"));
        assert_eq!(config["p"]["region"], "eu-west-1");
        assert_eq!(config["p"]["note"], "a#b c;d", "a comment needs whitespace before it");
    }

    #[test]
    fn profile_default_replaces_a_bare_default_section_in_the_config_file() {
        let both = "[default]\nregion = eu-west-1\naws_access_key_id = BARE\n[profile default]\nregion = us-west-2\n";
        let config = parse(both, true);
        assert_eq!(config["default"].get("region").map(String::as_str), Some("us-west-2"));
        assert!(!config["default"].contains_key("aws_access_key_id"), "the sections are not merged");
        assert_eq!(parse("[default]\nregion = eu-west-1\n", true)["default"]["region"], "eu-west-1");
        // The credentials file has no `profile ` prefix: `[profile default]` is a profile of that name.
        assert!(parse(both, false).contains_key("profile default"));
    }

    #[test]
    fn a_role_wins_over_keys_left_beside_it_and_unsupported_sources_are_named() {
        let role_and_keys = "[profile r]\naws_access_key_id = AKIDSTALE\naws_secret_access_key = s\n\
                             role_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\n";
        let (provider, _dir) = provider_over(&[("config", role_and_keys)], Some("r"));
        let error = block_on(provider.provide()).unwrap_err();
        assert!(error.to_string().contains("assumes a role"), "never the keys beside the role: {error}");
        for (key, value) in [("credential_process", "/bin/creds"), ("sso_session", "corp")] {
            let text = format!("[profile p]\naws_access_key_id = AKID\naws_secret_access_key = s\n{key} = {value}\n");
            let (provider, _dir) = provider_over(&[("config", &text)], Some("p"));
            let error = block_on(provider.provide()).unwrap_err();
            assert!(error.to_string().contains(key), "{error}");
        }
    }

    #[test]
    fn a_tilde_in_the_file_variables_is_the_home_directory() {
        let dir = tempdir::Dir::new();
        std::fs::create_dir_all(dir.0.join("cfg")).unwrap();
        std::fs::write(dir.0.join("cfg").join("credentials"), CREDENTIALS).unwrap();
        let home = dir.0.display().to_string();
        let map: HashMap<String, String> = [
            ("HOME".to_string(), home),
            ("AWS_SHARED_CREDENTIALS_FILE".to_string(), "~/cfg/credentials".to_string()),
            ("AWS_CONFIG_FILE".to_string(), "~/cfg/config".to_string()),
        ]
        .into_iter()
        .collect();
        let vars: Vars = Arc::new(move |name| map.get(name).cloned());
        let (with_files, _files) = provider_over(&[], None);
        let provider = ProfileCredentials::new(vars, with_files.transport.clone(), "us-east-1");
        assert_eq!(block_on(provider.provide()).unwrap().access_key_id(), "AKIDDEFAULT");
    }

    #[test]
    fn a_web_identity_profile_goes_to_sts_with_the_token_file() {
        let (provider, dir) = provider_over(&[("config", CONFIG)], Some("web"));
        let error = block_on(provider.provide()).unwrap_err();
        // The token file does not exist here: reading it is the step that fails, before STS.
        assert!(error.to_string().contains("/var/run/token"), "{error}");
        drop(dir);
    }
}
