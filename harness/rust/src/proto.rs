//! proto.rs: the stdin/stdout loop of harness/PROTOCOL.md (protocol 1).
//!
//! One JSON request per stdin line, exactly one JSON answer per stdout line,
//! flushed. The adapter's ops run on a tokio runtime, each in a task of its
//! own, so a panic inside the SDK is reported as that op's error (what the
//! library surfaced) instead of killing the adapter. Logging goes to stderr.

use std::io::{BufRead, Write};

use serde_json::{Map, Value, json};

/// What one op produced.
pub enum Answer {
    /// `{"ok":true,"data":…}` plus sibling fields (WS API `rateLimits`).
    Ok(Value, Map<String, Value>),
    /// `{"ok":false,"error":{…}}`: the protocol error object.
    Err(Value),
    /// `{"unsupported":true}`.
    Unsupported,
}

impl Answer {
    pub fn data(v: Value) -> Answer {
        Answer::Ok(v, Map::new())
    }
    pub fn msg(m: impl Into<String>) -> Answer {
        Answer::Err(json!({ "msg": m.into() }))
    }
}

/// An adapter: `hello` data and one async entry point per request.
pub trait Adapter: Send + 'static {
    fn hello(&self) -> Value;
    fn handle(
        &mut self,
        op: String,
        params: Value,
    ) -> impl std::future::Future<Output = Answer> + Send;
}

/// Route the SDK's `tracing` output (it logs WS reconnects, parse errors …)
/// to stderr; RUST_LOG picks the level (default warn).
pub fn proto_log_init() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
}

/// The message of a panic payload.
pub fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "non-string panic payload".to_string()
    }
}

fn answer_line(id: &Value, ans: Answer) -> String {
    let mut out = Map::new();
    out.insert("id".into(), id.clone());
    match ans {
        Answer::Ok(data, extra) => {
            out.insert("ok".into(), Value::Bool(true));
            out.insert("data".into(), data);
            out.extend(extra);
        }
        Answer::Err(e) => {
            out.insert("ok".into(), Value::Bool(false));
            out.insert("error".into(), e);
        }
        Answer::Unsupported => {
            out.insert("unsupported".into(), Value::Bool(true));
        }
    }
    Value::Object(out).to_string()
}

/// Serve the protocol on stdin/stdout until `shutdown` or EOF.
pub fn proto_serve<A: Adapter>(adapter: A) {
    proto_log_init();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let adapter = std::sync::Arc::new(tokio::sync::Mutex::new(adapter));
    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout();
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        let Ok(req) = serde_json::from_str::<Value>(&line) else { continue };
        let id = req.get("id").cloned().unwrap_or(Value::Null);
        let op = req.get("op").and_then(Value::as_str).unwrap_or("").to_string();
        let params = req.get("params").cloned().unwrap_or_else(|| json!({}));
        let ans = match op.as_str() {
            "hello" => Answer::data(rt.block_on(async { adapter.lock().await.hello() })),
            "shutdown" => Answer::data(json!({})),
            _ => {
                let a = adapter.clone();
                let task = rt.spawn(async move { a.lock().await.handle(op.clone(), params).await });
                match rt.block_on(task) {
                    Ok(ans) => ans,
                    Err(e) if e.is_panic() => {
                        let text = panic_text(&*e.into_panic());
                        let text = text.split("\n\nStack backtrace").next().unwrap_or("");
                        Answer::msg(format!("panic in the SDK: {text}"))
                    }
                    Err(e) => Answer::msg(format!("adapter task: {e}")),
                }
            }
        };
        let done = req.get("op").and_then(Value::as_str) == Some("shutdown");
        let text = answer_line(&id, ans);
        if writeln!(stdout, "{text}").and_then(|()| stdout.flush()).is_err() || done {
            break;
        }
    }
    rt.shutdown_timeout(std::time::Duration::from_secs(2));
}
