//! Real S3 servers for integration tests: each test starts its own on a free 127.0.0.1 port
//! with a fresh directory, waits until it answers, and kills it when dropped.

#![allow(dead_code)] // each test binary uses part of this module

use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use livery_s3::{Credentials, S3Client};

pub const ACCESS_KEY: &str = "AKIALIVERYTEST0000001";
pub const SECRET_KEY: &str = "livery/test/secret+key=0123456789abcdefghij";

/// Which server: s3s-fs verifies every signature; moto implements versioning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    S3sFs,
    Moto,
}

pub struct Server {
    pub kind: Kind,
    pub endpoint: String,
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
        };
        let log = std::fs::File::create(dir.join("server.log")).unwrap();
        let child = command
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {kind:?} (run `make test`, which installs it): {e}"));
        let server = Server { kind, endpoint: format!("http://127.0.0.1:{port}"), child, dir };
        server.wait_until_listening(port);
        server
    }

    fn wait_until_listening(&self, port: u16) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "{:?} did not listen on {port}", self.kind);
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn client(&self) -> S3Client {
        self.client_with(Credentials::new(ACCESS_KEY, SECRET_KEY))
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

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
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
