// WsApi: the adapter's WS API side over the connector's WebSocketApiClientImpl.
// The connector answers through one onMessage callback with the frame text;
// a call is matched to its answer by the request id, which the connector lets
// the caller choose (the "requestId" parameter). Its modules have a method per
// WS API method (account(), trade(), general(), auth(), userDataStream()):
// a wsCall is mapped to that method; a method the connector has no wrapper for
// answers unsupported. The connector decides itself whether to sign: its
// signedRequest sends apiKey+timestamp+signature unless a session.logon
// answer was seen (then the request goes bare). It has no request timeout and
// never reconnects; an answer that does not come is reported after the
// configured timeoutMs as a timeout. Error frames reach the callback whole, so
// status, code, msg and the raw frame are all exposed.
package dev.binanceconform.harness;

import com.binance.connector.client.impl.WebSocketApiClientImpl;
import com.binance.connector.client.utils.WebSocketConnection;
import com.binance.connector.client.utils.signaturegenerator.SignatureGenerator;
import org.json.JSONObject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

final class WsApi {
    /** A status-200 frame's result and its rateLimits (if any). */
    static final class Result {
        final Object result;
        final Object rateLimits;

        Result(Object result, Object rateLimits) {
            this.result = result;
            this.rateLimits = rateLimits;
        }
    }

    private final AtomicLong seq = new AtomicLong();
    private final Map<String, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
    private WebSocketApiClientImpl client;
    private String apiKey;
    private SignatureGenerator signer;
    private String url;
    private long timeoutMs = 14000;

    void configure(String key, SignatureGenerator sig, String wsApiUrl, long timeout) {
        close();
        sessionReset();
        apiKey = key;
        signer = sig;
        url = wsApiUrl;
        timeoutMs = timeout;
    }

    private void failAll(String why) {
        for (Map.Entry<String, CompletableFuture<String>> e : pending.entrySet()) {
            e.getValue().completeExceptionally(new IllegalStateException(why));
        }
    }

    private void onMessage(String text) {
        Object id;
        try {
            id = Json.obj(Json.parse(text)).get("id");
        } catch (IllegalArgumentException e) {
            System.err.println("WS API: unparsable frame: " + text);
            return;
        }
        CompletableFuture<String> f = id == null ? null : pending.get(String.valueOf(id));
        if (f != null) {
            f.complete(text);
        } else {
            System.err.println("WS API: frame of no pending call: " + text);
        }
    }

    private WebSocketApiClientImpl connected() {
        if (url == null) {
            throw new Adapter.Unsupported();
        }
        if (client == null) {
            client = new WebSocketApiClientImpl(apiKey, signer, url);
            client.connect(r -> { }, this::onMessage, (c, r) -> { },
                    (c, r) -> failAll("WebSocket closed: " + c + " " + r),
                    (t, r) -> {
                        System.err.println("WS API failure: " + t);
                        failAll("WebSocket failure: " + t);
                    });
        }
        return client;
    }

    private static JSONObject jsonOf(Map<String, Object> p, String... drop) {
        JSONObject j = new JSONObject();
        for (Map.Entry<String, Object> e : p.entrySet()) {
            if (!java.util.Arrays.asList(drop).contains(e.getKey())) {
                j.put(e.getKey(), e.getValue() instanceof java.math.BigDecimal
                        ? ((java.math.BigDecimal) e.getValue()).toPlainString() : e.getValue());
            }
        }
        return j;
    }

    /** Send one request through the connector's wrapper of `method`, wait for its answer. */
    Object call(String method, Map<String, Object> params, Object id, boolean signed, boolean session,
                Long recvWindow) throws Exception {
        WebSocketApiClientImpl c = connected();
        String rid = id instanceof String && !((String) id).isEmpty() ? (String) id : "j-" + seq.incrementAndGet();
        Map<String, Object> p = new LinkedHashMap<>(params);
        boolean signs = signed || session;
        if (recvWindow != null && signs && !"session.logon".equals(method)) {
            p.putIfAbsent("recvWindow", recvWindow);
        }
        JSONObject j = jsonOf(p, "symbol", "side", "type");
        j.put("requestId", rid);
        String sym = (String) p.get("symbol");
        CompletableFuture<String> f = new CompletableFuture<>();
        pending.put(rid, f);
        try {
            switch (method) {
                case "ping": c.general().ping(jsonOf(p).put("requestId", rid)); break;
                case "time": c.general().serverTime(jsonOf(p).put("requestId", rid)); break;
                case "exchangeInfo": c.general().exchangeInfo(jsonOf(p).put("requestId", rid)); break;
                case "account.status": c.account().accountStatus(jsonOf(p).put("requestId", rid)); break;
                case "order.place":
                    c.trade().newOrder(sym, (String) p.get("side"), (String) p.get("type"), j);
                    break;
                case "order.test":
                    c.trade().testNewOrder(sym, (String) p.get("side"), (String) p.get("type"), j);
                    break;
                case "order.status": c.trade().getOrder(sym, jsonOf(p, "symbol").put("requestId", rid)); break;
                case "order.cancel": c.trade().cancelOrder(sym, jsonOf(p, "symbol").put("requestId", rid)); break;
                case "openOrders.status": c.trade().getOpenOrders(jsonOf(p).put("requestId", rid)); break;
                case "session.logon": c.auth().logon(jsonOf(p).put("requestId", rid)); break;
                case "session.status": c.auth().status(jsonOf(p).put("requestId", rid)); break;
                case "session.logout": c.auth().logout(jsonOf(p).put("requestId", rid)); break;
                case "userDataStream.start": c.userDataStream().userDataStreamStart(jsonOf(p).put("requestId", rid)); break;
                default: throw new Adapter.Unsupported();
            }
            return answerOf(f.get(timeoutMs, TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            throw new Adapter.ErrorAnswer(msg("timeout: no answer to " + method + " within " + timeoutMs
                    + " ms (the connector has no request timeout and does not reconnect)"));
        } catch (ExecutionException e) {
            throw new Adapter.ErrorAnswer(msg(String.valueOf(e.getCause().getMessage())));
        } finally {
            pending.remove(rid);
        }
    }

    private static Map<String, Object> msg(String m) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("msg", m);
        return e;
    }

    private static Object answerOf(String text) {
        Map<String, Object> frame = Json.obj(Json.parse(text));
        Object status = frame.get("status");
        if (status instanceof Number && ((Number) status).intValue() == 200) {
            return new Result(frame.get("result"), frame.get("rateLimits"));
        }
        Map<String, Object> err = new LinkedHashMap<>();
        if (status instanceof Number) {
            err.put("httpStatus", ((Number) status).intValue());
        }
        Map<String, Object> e = Json.obj(frame.get("error"));
        if (e.get("code") != null) {
            err.put("code", e.get("code"));
        }
        err.put("msg", e.get("msg") != null ? e.get("msg") : text);
        err.put("raw", text);
        throw new Adapter.ErrorAnswer(err);
    }

    /**
     * Forget the logged-on state of earlier clients. The connector keeps it in
     * one static field, WebSocketConnection.sessionStatus, set by any frame
     * with "authorizedSince" and never cleared on close: after one
     * session.logon, every WebSocketApiClientImpl of the process sends its
     * signed requests (session.logon included) bare, without apiKey/signature
     * (docs/findings.md; asserted by the flow). A fresh client per case
     * (PROTOCOL.md, configure) is a client in a fresh process here, so the
     * adapter clears the field before each case.
     */
    private static void sessionReset() {
        try {
            java.lang.reflect.Field f = WebSocketConnection.class.getDeclaredField("sessionStatus");
            f.setAccessible(true);
            f.setBoolean(null, false);
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("WS API session reset: " + e);
        }
    }

    /**
     * Close the connection for good. Not through WebSocketApiClientImpl.close():
     * that also shuts down the dispatcher of the connector's one static
     * OkHttpClient, after which no WebSocketApiClientImpl of this process can
     * connect again (docs/findings.md; asserted by the flow). The adapter closes
     * the client's WebSocketConnection (a public class, held in the client's
     * private "connection" field) with a normal closure instead.
     */
    void close() {
        failAll("closed");
        pending.clear();
        if (client != null) {
            try {
                java.lang.reflect.Field f = WebSocketApiClientImpl.class.getDeclaredField("connection");
                f.setAccessible(true);
                Object conn = f.get(client);
                if (conn instanceof WebSocketConnection) {
                    ((WebSocketConnection) conn).close();
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                System.err.println("WS API close: " + e);
            }
            client = null;
        }
    }
}
