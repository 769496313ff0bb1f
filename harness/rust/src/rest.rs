//! rest.rs: the REST side of the SDK behind the protocol's ops: building a
//! `SpotRestApi` client from a `configure`, one typed SDK method per op, the
//! SDK's generic `send_signed_request` / `send_request` for `signedCall`, and
//! the SDK's errors (`ConnectorError`) turned into the protocol's error object.
//!
//! The ops' params are Binance's names and values; the SDK's `*Params` types
//! deserialize exactly those names (serde renames), so `serde_json::from_value`
//! builds them as a user's struct literal would: decimals as
//! `rust_decimal::Decimal` parsed from the given string, enums from Binance's
//! spelling. The SDK's defaults stay: retries 3 (GET/DELETE on network
//! errors only), backoff 1 s, compression on.

use std::collections::BTreeMap;

use binance_sdk::config::{ConfigurationRestApi, PrivateKey};
use binance_sdk::errors::{ConnectorError, WebsocketError};
use binance_sdk::models::RestApiResponse;
use binance_sdk::spot::{SpotRestApi, rest_api};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

/// The key material of a `configure`.
#[derive(Clone, Debug)]
pub struct Key {
    pub api_key: String,
    pub key_type: String,
    pub secret: Option<String>,
    pub pem: Option<String>,
}

impl Key {
    pub fn from_configure(p: &Value) -> Key {
        let s = |k: &str| p.get(k).and_then(Value::as_str).map(str::to_string);
        Key {
            api_key: s("apiKey").unwrap_or_default(),
            key_type: s("keyType").unwrap_or_else(|| "hmac".into()),
            secret: s("secret"),
            pem: s("privateKeyPem"),
        }
    }
}

/// A REST client as a user makes it: `ConfigurationRestApi::builder()` with
/// the key, `base_path` and `timeout`, then `SpotRestApi::from_config`.
pub fn rest_client(base_url: &str, key: &Key, timeout_ms: u64) -> anyhow::Result<rest_api::RestApi> {
    let mut b = ConfigurationRestApi::builder()
        .api_key(key.api_key.clone())
        .base_path(base_url.to_string())
        .timeout(timeout_ms);
    if let Some(secret) = &key.secret {
        b = b.api_secret(secret.clone());
    }
    if let Some(pem) = &key.pem {
        b = b.private_key(PrivateKey::Raw(pem.clone().into_bytes()));
    }
    Ok(SpotRestApi::from_config(b.build()?))
}

/// `params` with the configured recvWindow added when the op has none
/// (PROTOCOL.md §2.2 answer 4: the SDK has only a per-call recvWindow).
pub fn with_recv_window(params: &Value, recv_window: Option<&Value>) -> Value {
    let mut p = params.as_object().cloned().unwrap_or_default();
    if let Some(rw) = recv_window {
        p.entry("recvWindow").or_insert_with(|| rw.clone());
    }
    Value::Object(p)
}

fn params_of<P: DeserializeOwned>(p: Value) -> anyhow::Result<P> {
    serde_json::from_value(p).map_err(|e| anyhow::anyhow!("SDK params: {e}"))
}

async fn data_of<T: Serialize + Send + 'static>(
    r: anyhow::Result<RestApiResponse<T>>,
) -> anyhow::Result<Value> {
    let data = r?.data().await?;
    Ok(serde_json::to_value(data)?)
}

/// Run one REST op; None when the op is not a REST op.
pub async fn rest_call(
    api: &rest_api::RestApi,
    op: &str,
    p: Value,
    recv_window: Option<&Value>,
) -> Option<anyhow::Result<Value>> {
    let signed = with_recv_window(&p, recv_window);
    Some(match op {
        "ping" => data_of(api.ping().await).await,
        "time" => data_of(api.time().await).await,
        "exchangeInfo" => match params_of(p) {
            Ok(q) => data_of(api.exchange_info(q).await).await,
            Err(e) => Err(e),
        },
        "depth" => match params_of(p) {
            Ok(q) => data_of(api.depth(q).await).await,
            Err(e) => Err(e),
        },
        "klines" => match params_of(p) {
            Ok(q) => data_of(api.klines(q).await).await,
            Err(e) => Err(e),
        },
        "account" => match params_of(signed) {
            Ok(q) => data_of(api.get_account(q).await).await,
            Err(e) => Err(e),
        },
        "newOrder" => match params_of(signed) {
            Ok(q) => data_of(api.new_order(q).await).await,
            Err(e) => Err(e),
        },
        "testOrder" => match params_of(signed) {
            Ok(q) => data_of(api.order_test(q).await).await,
            Err(e) => Err(e),
        },
        "getOrder" => match params_of(signed) {
            Ok(q) => data_of(api.get_order(q).await).await,
            Err(e) => Err(e),
        },
        "cancelOrder" => match params_of(signed) {
            Ok(q) => data_of(api.delete_order(q).await).await,
            Err(e) => Err(e),
        },
        "openOrders" => match params_of(signed) {
            Ok(q) => data_of(api.get_open_orders(q).await).await,
            Err(e) => Err(e),
        },
        "myTrades" => match params_of(signed) {
            Ok(q) => data_of(api.my_trades(q).await).await,
            Err(e) => Err(e),
        },
        "signedCall" => signed_call(api, &p, recv_window).await,
        _ => return None,
    })
}

/// `signedCall`: the SDK's generic `send_signed_request` (SIGNED) or
/// `send_request` (NONE, USER_STREAM: the SDK sends X-MBX-APIKEY on every
/// request of a client that has a key). Params go to the query string, where
/// the SDK's typed methods put them too.
async fn signed_call(api: &rest_api::RestApi, p: &Value, rw: Option<&Value>) -> anyhow::Result<Value> {
    let method = p.get("method").and_then(Value::as_str).unwrap_or("GET");
    let method = http::Method::from_bytes(method.as_bytes())?;
    let path = p.get("path").and_then(Value::as_str).unwrap_or("/");
    let security = p.get("security").and_then(Value::as_str).unwrap_or("SIGNED");
    let mut q: BTreeMap<String, Value> = BTreeMap::new();
    if let Some(o) = p.get("params").and_then(Value::as_object) {
        q.extend(o.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    if security == "SIGNED" {
        if let Some(rw) = rw {
            q.entry("recvWindow".into()).or_insert_with(|| rw.clone());
        }
        data_of(api.send_signed_request::<Value>(path, method, q, BTreeMap::new()).await).await
    } else {
        data_of(api.send_request::<Value>(path, method, q, BTreeMap::new()).await).await
    }
}

fn put(err: &mut Map<String, Value>, k: &str, v: Value) {
    err.insert(k.to_string(), v);
}

/// The protocol error object for what the SDK returned. Each 4xx variant of
/// `ConnectorError` stands for exactly one HTTP status (utils::http_request:
/// BadRequestError = 400, UnauthorizedError = 401, ForbiddenError = 403,
/// NotFoundError = 404, RateLimitBanError = 418, TooManyRequestsError = 429),
/// so the status is reported from the variant (PROTOCOL.md §2.2 answer 1);
/// `ServerError` keeps `status_code` but drops the body (no -1006/-1007);
/// other statuses become `ConnectorClientError` with no status at all.
/// The SDK exposes neither the raw body nor headers except `retry_after`.
pub fn error_of(e: &anyhow::Error) -> Value {
    let mut err = Map::new();
    let with_code = |err: &mut Map<String, Value>, status: Option<u16>, msg: &str, code: &Option<i64>| {
        if let Some(s) = status {
            put(err, "httpStatus", json!(s));
        }
        if let Some(c) = code {
            put(err, "code", json!(c));
        }
        put(err, "msg", json!(msg));
    };
    if let Some(ce) = e.downcast_ref::<ConnectorError>() {
        match ce {
            ConnectorError::BadRequestError { msg, code } => with_code(&mut err, Some(400), msg, code),
            ConnectorError::UnauthorizedError { msg, code } => with_code(&mut err, Some(401), msg, code),
            ConnectorError::ForbiddenError { msg, code } => with_code(&mut err, Some(403), msg, code),
            ConnectorError::NotFoundError { msg, code } => with_code(&mut err, Some(404), msg, code),
            ConnectorError::RateLimitBanError { msg, code, retry_after }
            | ConnectorError::TooManyRequestsError { msg, code, retry_after } => {
                let status = if matches!(ce, ConnectorError::RateLimitBanError { .. }) { 418 } else { 429 };
                with_code(&mut err, Some(status), msg, code);
                if let Some(ra) = retry_after {
                    put(&mut err, "retryAfter", json!(ra.to_string()));
                }
            }
            ConnectorError::ServerError { msg, status_code } => with_code(&mut err, *status_code, msg, &None),
            ConnectorError::ConnectorClientError { msg, code } => {
                with_code(&mut err, None, &format!("ConnectorClientError: {msg}"), code)
            }
            ConnectorError::NetworkError(msg) => put(&mut err, "msg", json!(format!("NetworkError: {msg}"))),
        }
    } else if let Some(we) = e.downcast_ref::<WebsocketError>() {
        err = ws_error_of(we);
    } else {
        put(&mut err, "msg", json!(format!("{e:#}")));
    }
    Value::Object(err)
}

/// A WS API error: an error frame surfaces as `ResponseError {code, message}`
/// (the frame's `status` and text are not exposed); the rest are local errors.
pub fn ws_error_of(we: &WebsocketError) -> Map<String, Value> {
    let mut err = Map::new();
    match we {
        WebsocketError::ResponseError { code, message, .. } => {
            put(&mut err, "code", json!(code));
            put(&mut err, "msg", json!(message));
        }
        other => put(&mut err, "msg", json!(format!("WebsocketError: {other}"))),
    }
    err
}
