# workerd config for the runtime test: worker.mjs with the package as ES modules and its wasm
# as a compiled `wasm` module, exactly what wrangler uploads. runtimes.test.mjs starts it as
#   S3_ENDPOINT=… S3_ACCESS_KEY=… S3_SECRET_KEY=… workerd serve workerd.capnp \
#     --socket-addr http=127.0.0.1:0 --control-fd 3
# and checks that "livery-s3" below embeds the entry the exports map gives the `workerd` condition.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    # workerd refuses loopback/private addresses by default ("internal error").
    (name = "internet", network = (allow = ["public", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
    (name = "roundtrip.mjs", esModule = embed "roundtrip.mjs"),
    (name = "livery-s3", esModule = embed "../../pkg/index.workerd.js"),
    (name = "wasm-server/livery_s3_bg.wasm", wasm = embed "../../pkg/wasm-server/livery_s3_bg.wasm"),
  ],
  compatibilityDate = "2025-09-01",
  bindings = [
    (name = "S3_ENDPOINT", fromEnvironment = "S3_ENDPOINT"),
    (name = "S3_ACCESS_KEY", fromEnvironment = "S3_ACCESS_KEY"),
    (name = "S3_SECRET_KEY", fromEnvironment = "S3_SECRET_KEY"),
  ],
);
