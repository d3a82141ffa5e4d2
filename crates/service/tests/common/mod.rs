//! Starts the service in process on a loopback port with a fresh data folder, and stops it.

#![allow(
    dead_code,
    reason = "each test binary uses a different part of the helpers"
)]

use starplan_service::{serve, Config};
use std::time::Duration;

pub struct Server {
    pub base: String,
    pub dir: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Server {
    /// A server on 127.0.0.1 (a free port) with `tune` applied to the defaults.
    pub async fn start(tune: impl FnOnce(&mut Config)) -> Server {
        let dir = tempfile::tempdir().expect("temp dir");
        Server::start_in(dir, tune).await
    }

    pub async fn start_in(dir: tempfile::TempDir, tune: impl FnOnce(&mut Config)) -> Server {
        let mut config = Config::new(dir.path());
        config.grace = Duration::from_millis(200);
        tune(&mut config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            serve(config, listener, async {
                let _ = rx.await;
            })
            .await
            .expect("the server runs");
        });
        Server {
            base,
            dir,
            stop: Some(tx),
            task: Some(task),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Stops the server gracefully and returns its data folder.
    pub async fn stop(mut self) -> tempfile::TempDir {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.task.take() {
            tokio::time::timeout(Duration::from_secs(10), t)
                .await
                .expect("the server stops within 10 s")
                .expect("the server task ends cleanly");
        }
        self.dir
    }
}

/// A small province (one region unless asked) that solves to its gap in well under a second.
pub fn small_input(seed: u64, regions: usize, groups: usize) -> String {
    let file = starplan_format::generate::province(seed, regions, groups, None);
    serde_json::to_string(&file).expect("input serializes")
}

/// Waits for a job to finish (long-polling) and returns its view.
pub async fn finished(client: &reqwest::Client, url: &str) -> serde_json::Value {
    for _ in 0..60 {
        let v: serde_json::Value = client
            .get(format!("{url}?wait=10"))
            .send()
            .await
            .expect("GET job")
            .json()
            .await
            .expect("job JSON");
        if matches!(v["state"].as_str(), Some("done" | "failed" | "cancelled")) {
            return v;
        }
    }
    panic!("job {url} did not finish within 10 minutes");
}
