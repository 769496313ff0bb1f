//! mock.rs: a binance-mock for the flow: started on an ephemeral port with
//! the bundled keys (vectors/keys/registry.json), stopped on drop; its admin
//! API (journal) read with plain HTTP; the bundled test keys of alice.
//! The binary comes from --mock, $BINANCE_MOCK, $BC_BIN_DIR or build/bin.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

/// The repository root: $BC_SOURCE_DIR, else three levels above this crate.
pub fn repo_root() -> PathBuf {
    std::env::var_os("BC_SOURCE_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
}

pub struct Mock {
    child: Child,
    pub url: String,
}

fn mock_binary(explicit: Option<&str>) -> anyhow::Result<PathBuf> {
    let mut cands: Vec<PathBuf> = Vec::new();
    cands.extend(explicit.map(PathBuf::from));
    cands.extend(std::env::var_os("BINANCE_MOCK").map(PathBuf::from));
    cands.extend(std::env::var_os("BC_BIN_DIR").map(|d| PathBuf::from(d).join("binance-mock")));
    cands.push(repo_root().join("build/bin/binance-mock"));
    cands
        .into_iter()
        .find(|c| c.exists())
        .ok_or_else(|| anyhow::anyhow!("binance-mock not found (--mock, BINANCE_MOCK, BC_BIN_DIR, build/bin)"))
}

impl Mock {
    pub fn start(explicit: Option<&str>) -> anyhow::Result<Mock> {
        let keys = repo_root().join("vectors/keys/registry.json");
        let mut child = Command::new(mock_binary(explicit)?)
            .args(["--listen", "127.0.0.1:0", "--keys"])
            .arg(&keys)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()?;
        let out = child.stdout.take().expect("piped stdout");
        let mut lines = BufReader::new(out).lines();
        let mut url = None;
        for line in lines.by_ref() {
            let line = line?;
            if let Some(i) = line.find("listening on http") {
                let rest = &line[i + "listening on ".len()..];
                url = rest.split_whitespace().next().map(|u| u.trim_end_matches('/').to_string());
                break;
            }
        }
        // keep draining stdout so the server never blocks on a full pipe
        std::thread::spawn(move || for _ in lines {});
        match url {
            Some(url) => Ok(Mock { child, url }),
            None => {
                let _ = child.kill();
                let _ = child.wait();
                anyhow::bail!("binance-mock exited before listening")
            }
        }
    }

    pub fn ws_base(&self) -> String {
        format!("ws{}", &self.url[4..])
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The journal entries with id > since (GET /__admin/journal).
pub async fn mock_journal(url: &str, since: u64) -> anyhow::Result<Vec<Value>> {
    let v: Value = reqwest::get(format!("{url}/__admin/journal?since={since}&limit=2000")).await?.json().await?;
    Ok(v.get("entries").and_then(Value::as_array).cloned().unwrap_or_default())
}

pub async fn mock_last_id(url: &str) -> anyhow::Result<u64> {
    let e = mock_journal(url, 0).await?;
    Ok(e.last().and_then(|e| e.get("id")).and_then(Value::as_u64).unwrap_or(0))
}

/// One bundled key of alice: (apiKey, secret, pem), matched in registry.json
/// by the secret (HMAC) or the public key file (RSA, Ed25519).
pub struct TestKey {
    pub name: String,
    pub api_key: String,
    pub secret: Option<String>,
    pub pem: Option<String>,
}

pub fn key_load(name: &str) -> anyhow::Result<TestKey> {
    let dir = repo_root().join("vectors/keys");
    let reg: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("registry.json"))?)?;
    let keys: Vec<&Value> = reg["accounts"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|a| a["keys"].as_array().into_iter().flatten())
        .collect();
    let file = if name == "hmac" { "hmac.secret".to_string() } else { format!("{name}.pem") };
    let text = std::fs::read_to_string(dir.join(&file))?;
    let (api_key, secret, pem) = if name == "hmac" {
        let secret = text.trim_end_matches('\n').to_string();
        let k = keys
            .iter()
            .find(|k| k["type"] == "HMAC" && k["secret"].as_str() == Some(secret.as_str()))
            .ok_or_else(|| anyhow::anyhow!("hmac key not in registry"))?;
        (k["apiKey"].as_str().unwrap_or("").to_string(), Some(secret), None)
    } else {
        let public = std::fs::read_to_string(dir.join(format!("{name}.pub.pem")))?;
        let k = keys
            .iter()
            .find(|k| k["publicKey"].as_str().map(str::trim) == Some(public.trim()))
            .ok_or_else(|| anyhow::anyhow!("{name} key not in registry"))?;
        (k["apiKey"].as_str().unwrap_or("").to_string(), None, Some(text))
    };
    Ok(TestKey { name: name.to_string(), api_key, secret, pem })
}
