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
        let home = || (self.vars)("HOME").or_else(|| (self.vars)("USERPROFILE"));
        (self.vars)(variable).map(PathBuf::from).or_else(|| home().map(|h| PathBuf::from(h).join(".aws").join(default)))
    }

    async fn load(&self) -> Result<Credentials> {
        let name = (self.vars)("AWS_PROFILE").unwrap_or_else(|| "default".into());
        let files = [("AWS_SHARED_CREDENTIALS_FILE", "credentials", false), ("AWS_CONFIG_FILE", "config", true)];
        let mut found = false;
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
                properties.extend(profile);
            }
        }
        if !found {
            return Err(Error::Credentials("no ~/.aws/credentials or ~/.aws/config file".into()));
        }
        // A profile that sets no credentials (only a region, as `aws configure set region`
        // writes) is as good as absent: the chain goes on to the container and the instance.
        if !properties.keys().any(|key| CREDENTIAL_KEYS.contains(&key.as_str())) {
            return Err(Error::Credentials(format!(
                "profile {name} is not in the shared files, or sets no credentials"
            )));
        }
        resolve(&name, &properties, &self.transport, &self.region).await
    }
}

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
    if let Some(id) = get("aws_access_key_id") {
        let secret = get("aws_secret_access_key").ok_or_else(|| {
            Error::Credentials(format!("profile {name} has aws_access_key_id but no aws_secret_access_key"))
        })?;
        let credentials = Credentials::new(id, secret);
        return Ok(match get("aws_session_token") {
            Some(token) => credentials.with_session_token(token),
            None => credentials,
        });
    }
    match (get("role_arn"), get("web_identity_token_file")) {
        (Some(role_arn), Some(file)) => {
            let mut web_identity = WebIdentity::new(role_arn, TokenSource::File(file.into()));
            web_identity.role_session_name = get("role_session_name");
            let region = get("region").unwrap_or_else(|| region.to_owned());
            web_identity.into_provider(transport.clone(), &region)?.provide().await
        }
        (Some(_), None) => Err(Error::Credentials(format!(
            "profile {name} assumes a role from another profile (source_profile), which livery-s3 does not do"
        ))),
        _ => Err(Error::Credentials(format!(
            "profile {name} has neither aws_access_key_id nor role_arn with web_identity_token_file"
        ))),
    }
}

/// The profiles of one file. In the config file a profile's section is `[profile name]`
/// (`[default]` for the default); other sections (`[sso-session …]`, `[services …]`) are
/// skipped. Lines starting with `#` or `;` are comments; indented lines belong to a nested
/// property (`s3 =` then `  max_concurrent_requests = 10`) and are skipped; names are
/// case-sensitive, keys are not.
fn parse(text: &str, is_config: bool) -> Profiles {
    let mut profiles = Profiles::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with(['#', ';']) || line.starts_with([' ', '\t']) {
            continue;
        }
        if let Some(section) = trimmed.strip_prefix('[').and_then(|s| s.split(']').next()) {
            let section = section.trim();
            current = match (is_config, section.strip_prefix("profile ")) {
                (true, Some(name)) => Some(name.trim().to_owned()),
                (true, None) => (section == "default").then(|| section.to_owned()),
                (false, _) => Some(section.to_owned()),
            };
            if let Some(name) = &current {
                profiles.entry(name.clone()).or_default();
            }
            continue;
        }
        let (Some(profile), Some((key, value))) = (&current, trimmed.split_once('=')) else { continue };
        // An inline comment needs a space before it: `key = value # note`.
        let value = value.split(" #").next().unwrap_or(value).split(" ;").next().unwrap_or(value);
        let properties = profiles.entry(profile.clone()).or_default();
        properties.insert(key.trim().to_ascii_lowercase(), value.trim().to_owned());
    }
    profiles
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
        assert!(block_on(provider.provide()).unwrap_err().to_string().contains("sets no credentials"));
        // A file that is there but cannot be read is a broken setup, not a missing one.
        let (provider, dir) = provider_over(&[("config", CONFIG)], None);
        std::fs::write(dir.0.join("credentials"), b"[default]\naws_access_key_id = \xff\n").unwrap();
        assert!(block_on(provider.provide()).unwrap_err().to_string().contains("cannot read"));
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
