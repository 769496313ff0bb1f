//! flow.rs: the end-to-end flow of crate `binance-sdk` (Spot), written as a
//! user writes it: the SDK's typed builders and methods, per key type (HMAC,
//! RSA-2048, RSA-4096, Ed25519), against a binance-mock started on port 0
//! (or --server URL).
//! REST: the client's start-up requests (none are expected), time,
//! exchangeInfo + depth + klines, account, a LIMIT order that rests, query
//! it, cancel it (gone from openOrders), a MARKET order that fills, myTrades
//! + the balance grew, order/test.
//! WS API: connect, ping, session.logon (Ed25519), account.status, the user
//! data subscription (session or signature), a MARKET order.place whose
//! executionReport FILLED arrives, order.test, disconnect.
//! Market streams: `<sym>@trade` over /stream?streams=, a REST MARKET order,
//! its trade event. Prints one line per step; exit 0 iff all passed.
//! Usage: binance-sdk-flow [--server URL | --mock PATH] [--keys hmac,rsa2048,rsa4096,ed25519]

use std::str::FromStr;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail, ensure};
use binance_sdk::config::{
    ConfigurationRestApi, ConfigurationWebsocketApi, ConfigurationWebsocketStreams, PrivateKey,
};
use binance_sdk::models::WebsocketStreamsConnectConfig;
use binance_sdk::spot::websocket_api as wsapi;
use binance_sdk::spot::websocket_streams as wss;
use binance_sdk::spot::{SpotRestApi, SpotWsApi, SpotWsStreams, rest_api};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::mock::{Mock, TestKey, key_load, mock_journal, mock_last_id};

/// Signed calls carry a wide recvWindow: a loaded machine can stall a process
/// for seconds between signing and sending (the cases test the defaults).
const RW: i64 = 60000;

struct St {
    sym: Value,
    price: Decimal,
    qty: Decimal,
    base0: f64,
    limit_id: i64,
    market_id: i64,
}

fn filter<'a>(sym: &'a Value, t: &str) -> Option<&'a Value> {
    sym["filters"].as_array()?.iter().find(|f| f["filterType"] == t)
}

fn fnum(v: &Value) -> f64 {
    v.as_str().and_then(|s| s.parse().ok()).or_else(|| v.as_f64()).unwrap_or(0.0)
}

fn decimals(step: &str) -> usize {
    step.split_once('.').map_or(0, |(_, f)| f.trim_end_matches('0').len())
}

fn on_step(v: f64, step: &str, up: bool) -> Decimal {
    let s: f64 = step.parse().unwrap_or(0.01);
    let n = if up { (v / s - 1e-9).ceil() } else { (v / s + 1e-9).floor() };
    Decimal::from_str(&format!("{:.*}", decimals(step), n * s)).unwrap_or_default()
}

/// A BUY LIMIT price below the bid (it rests) and a quantity worth 3x the
/// minimum notional (a MARKET BUY of it fills), on the symbol's filters.
fn market_plan(sym: &Value, bid: f64, ask: f64) -> (Decimal, Decimal) {
    let tick = filter(sym, "PRICE_FILTER").and_then(|f| f["tickSize"].as_str()).unwrap_or("0.01");
    let lot = filter(sym, "LOT_SIZE").cloned().unwrap_or(json!({}));
    let mlot = filter(sym, "MARKET_LOT_SIZE").cloned().unwrap_or(json!({}));
    let notional = filter(sym, "NOTIONAL")
        .filter(|f| !f["minNotional"].is_null())
        .or_else(|| filter(sym, "MIN_NOTIONAL"))
        .map_or(10.0, |f| fnum(&f["minNotional"]));
    let mut p = bid * 0.9;
    if let Some(pp) = filter(sym, "PERCENT_PRICE_BY_SIDE") {
        p = p.max((bid + ask) / 2.0 * fnum(&pp["bidMultiplierDown"]) * 1.05);
    }
    let price = on_step(p, tick, false);
    let step = if fnum(&mlot["stepSize"]) > fnum(&lot["stepSize"]) { &mlot } else { &lot };
    let step = step["stepSize"].as_str().unwrap_or("0.00001");
    let price_f: f64 = price.to_string().parse().unwrap_or(1.0);
    let q = fnum(&lot["minQty"]).max(fnum(&mlot["minQty"])).max(notional * 3.0 / price_f);
    (price, on_step(q, step, true))
}

fn free(acct: &Value, asset: &Value) -> f64 {
    acct["balances"]
        .as_array()
        .and_then(|b| b.iter().find(|b| b["asset"] == *asset))
        .map_or(0.0, |b| fnum(&b["free"]))
}

fn rw() -> Decimal {
    Decimal::from(RW)
}

async fn val<T: serde::Serialize + Send + 'static>(
    r: anyhow::Result<binance_sdk::models::RestApiResponse<T>>,
) -> anyhow::Result<Value> {
    Ok(serde_json::to_value(r?.data().await?)?)
}

fn rest_of(url: &str, k: &TestKey) -> anyhow::Result<rest_api::RestApi> {
    let mut b = ConfigurationRestApi::builder().api_key(k.api_key.clone()).base_path(url.to_string());
    if let Some(s) = &k.secret {
        b = b.api_secret(s.clone());
    }
    if let Some(p) = &k.pem {
        b = b.private_key(PrivateKey::Raw(p.clone().into_bytes()));
    }
    Ok(SpotRestApi::from_config(b.build()?))
}

type Step = &'static str;

async fn rest_steps(api: &rest_api::RestApi, symbol: &str, st: &mut Option<St>, step: &mut Step) -> anyhow::Result<Vec<String>> {
    use rest_api::*;
    let mut out = Vec::new();
    *step = "time";
    let t = val(api.time().await).await?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_millis() as i64;
    ensure!((t["serverTime"].as_i64().unwrap_or(0) - now).abs() < 60000, "serverTime near the local clock: {t}");
    out.push(format!("time: serverTime {}", t["serverTime"]));

    *step = "exchangeInfo";
    let info = val(api.exchange_info(ExchangeInfoParams::builder().symbol(symbol.to_string()).build()?).await).await?;
    let sym = info["symbols"].as_array().and_then(|a| a.iter().find(|s| s["symbol"] == symbol)).cloned();
    let sym = sym.context("symbol in exchangeInfo")?;
    ensure!(filter(&sym, "PRICE_FILTER").is_some() && filter(&sym, "LOT_SIZE").is_some(), "filters: {sym}");
    let book = val(api.depth(DepthParams::builder(symbol.to_string()).limit(5).build()?).await).await?;
    let (bid, ask) = (fnum(&book["bids"][0][0]), fnum(&book["asks"][0][0]));
    ensure!(bid > 0.0 && bid < ask, "best bid < best ask: {book}");
    let k = val(api.klines(KlinesParams::builder(symbol.to_string(), KlinesIntervalEnum::Interval1h).limit(3).build()?).await).await?;
    ensure!(k.as_array().is_some_and(|a| !a.is_empty() && a[0].as_array().is_some_and(|c| c.len() >= 7)), "klines: {k}");
    let (price, qty) = market_plan(&sym, bid, ask);
    out.push(format!("exchangeInfo/depth/klines: bid {bid} ask {ask}, {} kline(s); plan BUY {qty} @ {price}", k.as_array().map_or(0, Vec::len)));

    *step = "account";
    let acct = val(api.get_account(GetAccountParams::builder().recv_window(rw()).build()?).await).await?;
    ensure!(acct["canTrade"] == true, "canTrade: {acct}");
    let base0 = free(&acct, &sym["baseAsset"]);
    ensure!(free(&acct, &sym["quoteAsset"]) > 0.0, "quote balance");
    out.push(format!("account: {} balances, base free {base0}", acct["balances"].as_array().map_or(0, Vec::len)));

    *step = "limitOrder";
    let r = val(api.new_order(NewOrderParams::builder(symbol.to_string(), NewOrderSideEnum::Buy, NewOrderTypeEnum::Limit)
        .time_in_force(NewOrderTimeInForceEnum::Gtc).quantity(qty).price(price).recv_window(rw()).build()?).await).await?;
    ensure!(r["status"] == "NEW" && r["orderId"].is_i64(), "LIMIT order: {r}");
    ensure!(fnum(&r["price"]) == price.to_string().parse::<f64>()?, "price echoed: {r}");
    let limit_id = r["orderId"].as_i64().unwrap_or(0);
    let coid = r["clientOrderId"].clone();
    out.push(format!("limitOrder: orderId {limit_id} BUY {qty} @ {price} NEW"));

    *step = "getOrder";
    let g = val(api.get_order(GetOrderParams::builder(symbol.to_string()).order_id(limit_id).recv_window(rw()).build()?).await).await?;
    ensure!(g["orderId"] == limit_id && g["clientOrderId"] == coid && g["status"] == "NEW", "getOrder: {g}");
    out.push(format!("getOrder: orderId {limit_id} status {}", g["status"]));

    *step = "cancelOrder";
    let c = val(api.delete_order(DeleteOrderParams::builder(symbol.to_string()).order_id(limit_id).recv_window(rw()).build()?).await).await?;
    ensure!(c["orderId"] == limit_id && c["status"] == "CANCELED", "cancel: {c}");
    let open = val(api.get_open_orders(GetOpenOrdersParams::builder().symbol(symbol.to_string()).recv_window(rw()).build()?).await).await?;
    ensure!(!open.as_array().into_iter().flatten().any(|o| o["orderId"] == limit_id), "still in openOrders: {open}");
    out.push(format!("cancelOrder: orderId {limit_id} CANCELED, gone from openOrders"));

    *step = "marketOrder";
    let m = val(api.new_order(NewOrderParams::builder(symbol.to_string(), NewOrderSideEnum::Buy, NewOrderTypeEnum::Market)
        .quantity(qty).recv_window(rw()).build()?).await).await?;
    ensure!(m["status"] == "FILLED" && fnum(&m["executedQty"]) == fnum(&json!(qty.to_string())), "MARKET: {m}");
    ensure!(m["fills"].as_array().is_some_and(|f| !f.is_empty()), "FULL response has fills: {m}");
    let market_id = m["orderId"].as_i64().unwrap_or(0);
    out.push(format!("marketOrder: orderId {market_id} FILLED {}", m["executedQty"]));

    *step = "myTrades";
    let tr = val(api.my_trades(MyTradesParams::builder(symbol.to_string()).recv_window(rw()).build()?).await).await?;
    let mine: Vec<&Value> = tr.as_array().into_iter().flatten().filter(|t| t["orderId"] == market_id).collect();
    ensure!(!mine.is_empty() && mine.iter().all(|t| t["isBuyer"] == true), "myTrades: {tr}");
    let total: f64 = mine.iter().map(|t| fnum(&t["qty"])).sum();
    ensure!((total - fnum(&m["executedQty"])).abs() < 1e-9, "trade qty = executedQty");
    let acct = val(api.get_account(GetAccountParams::builder().recv_window(rw()).build()?).await).await?;
    let base = free(&acct, &sym["baseAsset"]);
    ensure!(base > base0, "base balance grew: {base0} -> {base}");
    out.push(format!("myTrades: {} trade(s), qty {total}, base free {base0} -> {base}", mine.len()));

    *step = "testOrder";
    let t = val(api.order_test(OrderTestParams::builder(symbol.to_string(), OrderTestSideEnum::Buy, OrderTestTypeEnum::Limit)
        .time_in_force(OrderTestTimeInForceEnum::Gtc).quantity(qty).price(price).recv_window(rw()).build()?).await).await?;
    ensure!(t == json!({}), "order/test: {t}");
    out.push("testOrder: {}".to_string());
    *st = Some(St { sym, price, qty, base0, limit_id, market_id });
    Ok(out)
}

async fn next_event(rx: &mut mpsc::UnboundedReceiver<Value>, want: impl Fn(&Value) -> bool) -> anyhow::Result<Value> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Some(ev)) if want(&ev) => return Ok(ev),
            Ok(Some(_)) => {}
            Ok(None) => bail!("event stream closed"),
            Err(_) => bail!("no matching event within 10 s"),
        }
    }
}

async fn ws_steps(ws_base: &str, k: &TestKey, symbol: &str, st: &St, step: &mut Step) -> anyhow::Result<Vec<String>> {
    use wsapi::*;
    let mut out = Vec::new();
    *step = "wsConnect";
    let mut b = ConfigurationWebsocketApi::builder().api_key(k.api_key.clone()).ws_url(format!("{ws_base}/ws-api/v3"));
    if let Some(s) = &k.secret {
        b = b.api_secret(s.clone());
    }
    if let Some(p) = &k.pem {
        b = b.private_key(PrivateKey::Raw(p.clone().into_bytes()));
    }
    let conn = SpotWsApi::from_config(b.build()?).connect().await?;
    conn.ping(PingParams::default()).await?;
    let session = k.name == "ed25519";
    if session {
        let r = conn.session_logon(SessionLogonParams::default()).await?;
        let r = r.into_iter().next().context("session.logon answer")?;
        ensure!(r.raw["apiKey"] == k.api_key, "session.logon: {}", r.raw);
    }
    out.push(format!("wsConnect: ping ok{}", if session { ", session.logon ok" } else { "" }));

    *step = "wsAccountStatus";
    let a = conn.account_status(AccountStatusParams::builder().recv_window(rw()).build()?).await?;
    ensure!(a.raw["canTrade"] == true, "account.status: {}", a.raw);
    out.push(format!("wsAccountStatus: {} balances", a.raw["balances"].as_array().map_or(0, Vec::len)));

    *step = "wsUserData";
    let (resp, stream) = if session {
        conn.user_data_stream_subscribe(UserDataStreamSubscribeParams::default()).await?
    } else {
        conn.user_data_stream_subscribe_signature(UserDataStreamSubscribeSignatureParams::default()).await?
    };
    let (tx, mut rx) = mpsc::unbounded_channel::<Value>();
    let s = stream.clone();
    tokio::task::spawn_blocking(move || {
        s.on_message(move |ev: wsapi::UserDataStreamEventsResponse| {
            if let wsapi::UserDataStreamEventsResponse::ExecutionReport(x) = ev {
                let _ = tx.send(serde_json::to_value(x).unwrap_or(Value::Null));
            }
        })
    })
    .await?;
    out.push(format!("wsUserData: subscriptionId {}", resp.raw["subscriptionId"]));

    *step = "wsOrderPlace";
    let o = conn.order_place(OrderPlaceParams::builder(symbol.to_string(), OrderPlaceSideEnum::Buy, OrderPlaceTypeEnum::Market)
        .quantity(st.qty).recv_window(rw()).build()?).await?;
    ensure!(o.raw["status"] == "FILLED", "order.place: {}", o.raw);
    let id = o.raw["orderId"].clone();
    let ev = next_event(&mut rx, |e| e["i"] == id && e["X"] == "FILLED").await?;
    out.push(format!("wsOrderPlace: orderId {id} FILLED, executionReport x={} X={}", ev["x"], ev["X"]));

    *step = "wsOrderTest";
    let t = conn.order_test(OrderTestParams::builder(symbol.to_string(), OrderTestSideEnum::Buy, OrderTestTypeEnum::Limit)
        .time_in_force(OrderTestTimeInForceEnum::Gtc).quantity(st.qty).price(st.price).recv_window(rw()).build()?).await?;
    ensure!(t.raw == json!({}), "order.test: {}", t.raw);
    stream.unsubscribe().await;
    conn.disconnect().await?;
    out.push("wsOrderTest: {}, disconnected".to_string());
    Ok(out)
}

async fn stream_steps(ws_base: &str, api: &rest_api::RestApi, symbol: &str, st: &St, step: &mut Step) -> anyhow::Result<Vec<String>> {
    *step = "streamTrade";
    let name = format!("{}@trade", symbol.to_lowercase());
    let cfg = ConfigurationWebsocketStreams::builder().ws_url(ws_base.to_string()).build()?;
    let conn = SpotWsStreams::from_config(cfg)
        .connect_with_config(WebsocketStreamsConnectConfig { streams: vec![name.clone()], mode: None })
        .await?;
    let s = conn.trade(wss::TradeParams::builder(symbol.to_string()).build()?).await?;
    let (tx, mut rx) = mpsc::unbounded_channel::<Value>();
    tokio::task::spawn_blocking(move || {
        s.on_message(move |ev: wss::TradeResponse| {
            let _ = tx.send(serde_json::to_value(ev).unwrap_or(Value::Null));
        })
    })
    .await?;
    use rest_api::*;
    let m = val(api.new_order(NewOrderParams::builder(symbol.to_string(), NewOrderSideEnum::Buy, NewOrderTypeEnum::Market)
        .quantity(st.qty).recv_window(rw()).build()?).await).await?;
    ensure!(m["status"] == "FILLED", "MARKET: {m}");
    let ev = next_event(&mut rx, |e| e["e"] == "trade").await?;
    ensure!(ev["s"] == symbol, "trade event symbol: {ev}");
    conn.disconnect().await?;
    Ok(vec![format!("streamTrade: {name} event t={} p={} q={}", ev["t"], ev["p"], ev["q"])])
}

async fn flow_key(url: &str, ws_base: &str, key: &str, symbol: &str) -> bool {
    let k = match key_load(key) {
        Ok(k) => k,
        Err(e) => {
            println!("FAIL {key}: keys: {e:#}");
            return false;
        }
    };
    let mut step: Step = "configure";
    let mut st = None;
    let res: anyhow::Result<()> = async {
        let since = mock_last_id(url).await?;
        let api = rest_of(url, &k)?;
        let seen = mock_journal(url, since).await?;
        let bad: Vec<&Value> = seen.iter().filter(|e| e["status"].as_u64().unwrap_or(0) >= 400).collect();
        ensure!(bad.is_empty(), "start-up requests failed: {bad:?}");
        println!("ok   {key} configure: start-up requests: {}", if seen.is_empty() { "none".to_string() } else { seen.len().to_string() });
        for line in rest_steps(&api, symbol, &mut st, &mut step).await? {
            println!("ok   {key} {line}");
        }
        let s = st.as_ref().context("rest state")?;
        ensure!(s.limit_id != s.market_id && s.base0 >= 0.0 && !s.sym.is_null(), "state");
        for line in ws_steps(ws_base, &k, symbol, s, &mut step).await? {
            println!("ok   {key} {line}");
        }
        for line in stream_steps(ws_base, &api, symbol, s, &mut step).await? {
            println!("ok   {key} {line}");
        }
        Ok(())
    }
    .await;
    match res {
        Ok(()) => true,
        Err(e) => {
            let detail = crate::rest::error_of(&e);
            println!("FAIL {key} {step}: {e:#} {detail}");
            false
        }
    }
}

pub fn flow_main() -> i32 {
    crate::proto::proto_log_init();
    let args: Vec<String> = std::env::args().collect();
    let opt = |n: &str| args.iter().position(|a| a == n).and_then(|i| args.get(i + 1)).cloned();
    let keys = opt("--keys").unwrap_or_else(|| "hmac,rsa2048,rsa4096,ed25519".into());
    let symbol = opt("--symbol").unwrap_or_else(|| "BTCUSDT".into());
    let mock = match opt("--server") {
        Some(_) => None,
        None => match Mock::start(opt("--mock").as_deref()) {
            Ok(m) => Some(m),
            Err(e) => {
                println!("FAIL mock: {e:#}");
                return 1;
            }
        },
    };
    let url = opt("--server").unwrap_or_else(|| mock.as_ref().map(|m| m.url.clone()).unwrap_or_default());
    let ws_base = format!("ws{}", &url[4..]);
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime");
    println!("# {} {} against {url}, keys {keys}", crate::adapter::SDK, crate::adapter::SDK_VERSION);
    let list: Vec<&str> = keys.split(',').collect();
    let t0 = Instant::now();
    let passed = list.iter().filter(|k| rt.block_on(flow_key(&url, &ws_base, k, &symbol))).count();
    println!("# {}: {passed}/{} key types passed ({} ms)", crate::adapter::SDK, list.len(), t0.elapsed().as_millis());
    rt.shutdown_timeout(Duration::from_secs(2));
    drop(mock);
    if passed == list.len() { 0 } else { 1 }
}
