//! Real S3 servers for integration tests: each test starts its own on a free 127.0.0.1 port
//! with a fresh directory, waits until it answers, and kills it when dropped.

#![allow(dead_code)] // each test binary uses part of this module

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use livery_s3::{Credentials, S3Client};

pub mod canned;

/// The native transport with a look at each request first: `inspect` sees it and may fail it
/// (an error in place of sending), so a test records what was sent or injects a fault.
#[cfg(feature = "native")]
pub struct Inspecting<F> {
    inner: livery_s3::transport::native::NativeTransport,
    inspect: F,
}

#[cfg(feature = "native")]
impl<F> Inspecting<F>
where
    F: Fn(&livery_s3::http::HttpRequest) -> Option<livery_s3::Error> + Send + Sync,
{
    pub fn new(inspect: F) -> Self {
        Inspecting { inner: livery_s3::transport::native::NativeTransport::new().unwrap(), inspect }
    }
}

#[cfg(feature = "native")]
impl<F> livery_s3::transport::Transport for Inspecting<F>
where
    F: Fn(&livery_s3::http::HttpRequest) -> Option<livery_s3::Error> + Send + Sync,
{
    fn send<'a>(
        &'a self,
        request: livery_s3::http::HttpRequest,
        signal: &'a livery_s3::platform::Signal,
        timeout: Option<Duration>,
    ) -> livery_s3::platform::BoxFuture<'a, livery_s3::Result<livery_s3::http::HttpResponse>> {
        match (self.inspect)(&request) {
            Some(error) => Box::pin(async move { Err(error) }),
            None => self.inner.send(request, signal, timeout),
        }
    }
}

pub const ACCESS_KEY: &str = "AKIALIVERYTEST0000001";
pub const SECRET_KEY: &str = "livery/test/secret+key=0123456789abcdefghij";

/// Garage only takes keys of its own shape: `GK` + 24 hex digits, and 64 hex digits.
pub const GARAGE_ACCESS_KEY: &str = "GK1a2b3c4d5e6f7a8b9c0d1e2f";
pub const GARAGE_SECRET_KEY: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// Which server: s3s-fs verifies every signature; moto implements versioning; Garage is a
/// real distributed store (upload listings with pagination, no versioning).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    S3sFs,
    Moto,
    Garage,
}

pub struct Server {
    pub kind: Kind,
    pub endpoint: String,
    pub access_key: &'static str,
    pub secret_key: &'static str,
    child: Child,
    dir: PathBuf,
}

impl Server {
    pub fn start(kind: Kind) -> Server {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "livery-s3-test-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let port = free_port();
        let mut command = match kind {
            Kind::S3sFs => {
                let mut c = Command::new("s3s-fs");
                c.args(["--host", "127.0.0.1", "--port", &port.to_string()])
                    .args(["--access-key", ACCESS_KEY, "--secret-key", SECRET_KEY])
                    .args(["--domain", &format!("localhost:{port}")])
                    .arg(&dir);
                c
            }
            Kind::Moto => {
                let mut c = Command::new("moto_server");
                c.args(["-H", "127.0.0.1", "-p", &port.to_string()]).current_dir(&dir);
                c
            }
            Kind::Garage => garage_command(&dir, port),
        };
        let log = std::fs::File::create(dir.join("server.log")).unwrap();
        let child = command
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {kind:?} (run `make test`, which installs it): {e}"));
        let (access_key, secret_key) =
            if kind == Kind::Garage { (GARAGE_ACCESS_KEY, GARAGE_SECRET_KEY) } else { (ACCESS_KEY, SECRET_KEY) };
        let mut server =
            Server { kind, endpoint: format!("http://127.0.0.1:{port}"), access_key, secret_key, child, dir };
        server.wait_until_listening(port);
        if kind == Kind::Garage {
            server.set_up_garage();
        }
        server
    }

    /// A one-node layout and the fixed test key, as `garage` commands.
    fn set_up_garage(&self) {
        let garage = |args: &[&str]| {
            let out =
                Command::new("garage").args(args).env("GARAGE_CONFIG_FILE", self.dir.join("garage.toml")).output();
            let out = out.expect("garage CLI");
            assert!(out.status.success(), "garage {args:?}: {}", String::from_utf8_lossy(&out.stderr));
            String::from_utf8(out.stdout).unwrap()
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        let node = loop {
            let out = Command::new("garage")
                .args(["node", "id", "-q"])
                .env("GARAGE_CONFIG_FILE", self.dir.join("garage.toml"))
                .output()
                .unwrap();
            if out.status.success() {
                break String::from_utf8(out.stdout).unwrap();
            }
            assert!(Instant::now() < deadline, "garage did not start");
            std::thread::sleep(Duration::from_millis(100));
        };
        let node_id = node.trim().split('@').next().unwrap().to_owned();
        garage(&["layout", "assign", "-z", "dc1", "-c", "1G", &node_id]);
        garage(&["layout", "apply", "--version", "1"]);
        garage(&["key", "import", "--yes", "-n", "test-key", GARAGE_ACCESS_KEY, GARAGE_SECRET_KEY]);
        garage(&["key", "allow", "--create-bucket", "test-key"]);
    }

    fn wait_until_listening(&mut self, port: u16) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "{:?} did not listen on {port}", self.kind);
            let exited = self.child.try_wait().ok().flatten();
            assert!(exited.is_none(), "{:?} exited ({exited:?}) before listening on {port}", self.kind);
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn client(&self) -> S3Client {
        self.client_with(Credentials::new(self.access_key, self.secret_key))
    }

    pub fn client_with(&self, credentials: Credentials) -> S3Client {
        S3Client::builder().region("us-east-1").endpoint(&self.endpoint).credentials(credentials).build().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Garage's config: one node on loopback, sqlite metadata, everything under `dir`.
fn garage_command(dir: &std::path::Path, s3_port: u16) -> Command {
    let config = format!(
        "metadata_dir = \"{dir}/meta\"\ndata_dir = \"{dir}/data\"\ndb_engine = \"sqlite\"\nreplication_factor = 1\n\
         rpc_bind_addr = \"127.0.0.1:{rpc}\"\nrpc_public_addr = \"127.0.0.1:{rpc}\"\nrpc_secret = \"{secret}\"\n\
         [s3_api]\ns3_region = \"us-east-1\"\napi_bind_addr = \"127.0.0.1:{s3_port}\"\nroot_domain = \".localhost\"\n\
         [admin]\napi_bind_addr = \"127.0.0.1:{admin}\"\nadmin_token = \"{token}\"\n",
        dir = dir.display(),
        rpc = free_port(),
        admin = free_port(),
        secret = "5".repeat(64),
        token = "7".repeat(32),
    );
    let path = dir.join("garage.toml");
    std::fs::write(&path, config).unwrap();
    // Garage refuses a configuration holding secrets that others can read.
    std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let mut c = Command::new("garage");
    c.arg("server").env("GARAGE_CONFIG_FILE", &path);
    c
}

/// A free port below the kernel's ephemeral range (32768 and up on Linux), different for each
/// server of this test binary. A port `bind(0)` handed out is ephemeral: between its release
/// and the server's bind, another test's server, or an outgoing connection, can take it, and
/// the readiness check then reaches that instead (seen once in CI: a server that never bound).
fn free_port() -> u16 {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    loop {
        let offset = NEXT.fetch_add(1, Ordering::Relaxed) + std::process::id() as usize * 37;
        let port = 20_000 + (offset % 12_000) as u16;
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

/// A client of an endpoint where nothing listens (port 9, discard): a validation error from
/// it proves no request was made, and a valid request fails as a network error.
pub fn offline_client() -> S3Client {
    S3Client::builder()
        .region("us-east-1")
        .endpoint("http://127.0.0.1:9")
        .credentials(Credentials::new("AK", "SK"))
        .build()
        .unwrap()
}

/// A bucket name no other test uses.
pub fn bucket_name(prefix: &str) -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    format!("{prefix}-{}-{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// Collects a streamed body.
pub async fn read_body(mut body: livery_s3::http::ResponseBody) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(chunk) = body.chunk().await.unwrap() {
        out.extend_from_slice(&chunk);
    }
    out
}

/// A plain GET with no credentials (what a browser does with a presigned URL).
pub async fn fetch_response(url: &str) -> livery_s3::http::HttpResponse {
    use livery_s3::transport::Transport;
    let request = livery_s3::http::HttpRequest {
        method: livery_s3::http::Method::Get,
        url: url.into(),
        headers: vec![],
        body: livery_s3::Body::Empty,
    };
    livery_s3::transport::native::NativeTransport::new()
        .unwrap()
        .send(request, &Default::default(), None)
        .await
        .unwrap()
}

/// The status and body of [`fetch_response`].
pub async fn fetch(url: &str) -> (u16, Vec<u8>) {
    let response = fetch_response(url).await;
    (response.status, response.body.bytes().await.unwrap().to_vec())
}
