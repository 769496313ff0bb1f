// Adapter: the binance-conform adapter (harness/PROTOCOL.md, protocol 1) for
// Binance's official Java connector io.github.binance:binance-connector-java
// (SpotClientImpl for REST, WebSocketApiClientImpl for the WS API,
// WebSocketStreamClientImpl for market streams). This file owns the protocol
// loop, configure and the REST operations; WsApi and Streams own the
// WebSocket sides.
//
// What the connector does, as declared in hello:
// - keys: HMAC (HmacSignatureGenerator), RSA (RsaSignatureGenerator takes the
//   PKCS#8 PEM text), Ed25519 (Ed25519SignatureGenerator takes a *file path*:
//   the adapter writes the PEM to a private temp file, as a user keeps a key file);
// - no server-time sync, no microsecond switch, no client-wide recvWindow
//   (a per-call "recvWindow" parameter only: a configured one is passed on
//   every signed call, PROTOCOL.md 2.2 answer 4), no request timeout setting
//   (a process-wide OkHttpClient with OkHttp's defaults), no retries;
// - errors: BinanceClientException (4xx: getHttpStatusCode, getErrorCode,
//   getErrMsg, the body as getMessage), BinanceServerException (5xx: the
//   status and the body only, no code), BinanceConnectorException (local);
//   no Retry-After, no "unknown" flag;
// - signedCall: the public RequestHandler every module uses
//   (sendSignedRequest / sendApiRequest / sendPublicRequest).
package dev.binanceconform.harness;

import com.binance.connector.client.enums.HttpMethod;
import com.binance.connector.client.exceptions.BinanceClientException;
import com.binance.connector.client.exceptions.BinanceConnectorException;
import com.binance.connector.client.exceptions.BinanceServerException;
import com.binance.connector.client.impl.SpotClientImpl;
import com.binance.connector.client.impl.spot.Market;
import com.binance.connector.client.impl.spot.Trade;
import com.binance.connector.client.utils.RequestHandler;
import com.binance.connector.client.utils.signaturegenerator.Ed25519SignatureGenerator;
import com.binance.connector.client.utils.signaturegenerator.HmacSignatureGenerator;
import com.binance.connector.client.utils.signaturegenerator.RsaSignatureGenerator;
import com.binance.connector.client.utils.signaturegenerator.SignatureGenerator;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public final class Adapter {
    static final String LIBRARY = "binance-connector-java";
    static final String VERSION = connectorVersion();

    /** The connector's version as its jar states it (pom.properties, kept in the shaded jar). */
    private static String connectorVersion() {
        try (java.io.InputStream in = Adapter.class.getResourceAsStream(
                "/META-INF/maven/io.github.binance/binance-connector-java/pom.properties")) {
            java.util.Properties p = new java.util.Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** The op (or option) is not something the connector can do. */
    static final class Unsupported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unsupported() {
            super("unsupported");
        }
    }

    /** An error answer the adapter builds itself (a timeout, a WS error frame). */
    static final class ErrorAnswer extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final Map<String, Object> error;

        ErrorAnswer(Map<String, Object> error) {
            super(String.valueOf(error.get("msg")));
            this.error = error;
        }
    }

    private Map<String, Object> cfg = new LinkedHashMap<>();
    private SpotClientImpl client;
    private SignatureGenerator signer;
    private Path keyFile;
    private Long recvWindow;
    private final WsApi ws = new WsApi();
    private final Streams streams = new Streams();
    private boolean stopped;

    Map<String, Object> hello() {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("protocol", 1);
        h.put("library", LIBRARY);
        h.put("version", VERSION);
        h.put("language", "Java " + System.getProperty("java.version"));
        h.put("keyTypes", List.of("hmac", "rsa", "ed25519"));
        h.put("capabilities", List.of("rest", "perCallRecvWindow", "signedCall", "wsApi", "wsSession", "streams"));
        return h;
    }

    void configure(Map<String, Object> p) throws Exception {
        close();
        if (Boolean.TRUE.equals(p.get("timeSync")) || Boolean.TRUE.equals(p.get("microsecondTimestamps"))) {
            throw new Unsupported();
        }
        cfg = p;
        recvWindow = p.get("recvWindow") instanceof Number ? ((Number) p.get("recvWindow")).longValue() : null;
        String apiKey = (String) p.get("apiKey");
        String type = String.valueOf(p.get("keyType"));
        if ("hmac".equals(type)) {
            signer = new HmacSignatureGenerator((String) p.get("secret"));
        } else if ("rsa".equals(type)) {
            signer = new RsaSignatureGenerator((String) p.get("privateKeyPem"));
        } else if ("ed25519".equals(type)) {
            keyFile = Files.createTempFile("bc-ed25519-", ".pem",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(keyFile, (String) p.get("privateKeyPem"));
            signer = new Ed25519SignatureGenerator(keyFile.toString());
        } else {
            throw new Unsupported();
        }
        client = new SpotClientImpl(apiKey, signer, (String) p.get("baseUrl"));
        long timeoutMs = p.get("timeoutMs") instanceof Number ? ((Number) p.get("timeoutMs")).longValue() : 14000;
        ws.configure(apiKey, signer, (String) p.get("wsApiUrl"), timeoutMs);
        streams.configure((String) p.get("streamUrl"), timeoutMs);
    }

    void close() {
        ws.close();
        streams.close();
        client = null;
        if (keyFile != null) {
            try {
                Files.deleteIfExists(keyFile);
            } catch (java.io.IOException e) {
                System.err.println("cannot delete " + keyFile + ": " + e);
            }
            keyFile = null;
        }
    }

    /** Signed-call parameters: as given, plus the configured recvWindow unless the call has one. */
    private Map<String, Object> signedParams(Map<String, Object> p) {
        Map<String, Object> m = new LinkedHashMap<>(p);
        if (recvWindow != null) {
            m.putIfAbsent("recvWindow", recvWindow);
        }
        return m;
    }

    Object call(String op, Map<String, Object> p) throws Exception {
        switch (op) {
            case "wsCall":
                return ws.call((String) p.get("method"), Json.obj(p.get("params")), p.get("id"),
                        Boolean.TRUE.equals(p.get("signed")), Boolean.TRUE.equals(p.get("session")), recvWindow);
            case "wsLogon":
                return ws.call("session.logon", new LinkedHashMap<>(), null, true, false, recvWindow);
            case "wsClose":
                ws.close();
                return new LinkedHashMap<>();
            case "streamSubscribe":
                return streams.subscribe(p);
            case "streamNext":
                return streams.next(p);
            case "streamClose":
                streams.closeHandle(String.valueOf(p.get("handle")));
                return new LinkedHashMap<>();
            default:
                break;
        }
        if (client == null) {
            throw new Unsupported();
        }
        Market market = client.createMarket();
        Trade trade = client.createTrade();
        Map<String, Object> m = new LinkedHashMap<>(p);
        String body;
        switch (op) {
            case "time": body = market.time(); break;
            case "ping": body = market.ping(); break;
            case "exchangeInfo": body = market.exchangeInfo(m); break;
            case "depth": body = market.depth(m); break;
            case "klines": body = market.klines(m); break;
            case "account": body = trade.account(signedParams(m)); break;
            case "newOrder": body = trade.newOrder(signedParams(m)); break;
            case "testOrder": body = trade.testNewOrder(signedParams(m)); break;
            case "getOrder": body = trade.getOrder(signedParams(m)); break;
            case "cancelOrder": body = trade.cancelOrder(signedParams(m)); break;
            case "openOrders": body = trade.getOpenOrders(signedParams(m)); break;
            case "myTrades": body = trade.myTrades(signedParams(m)); break;
            case "signedCall": body = signedCall(p); break;
            default: throw new Unsupported();
        }
        return new Json.RawJson(body == null || body.isBlank() ? "{}" : body);
    }

    private String signedCall(Map<String, Object> p) {
        RequestHandler h = new RequestHandler((String) cfg.get("apiKey"), signer, null);
        HttpMethod method = HttpMethod.valueOf(String.valueOf(p.get("method")));
        String sec = String.valueOf(p.getOrDefault("security", "SIGNED"));
        Map<String, Object> params = new LinkedHashMap<>(Json.obj(p.get("params")));
        String base = (String) cfg.get("baseUrl");
        String path = (String) p.get("path");
        if ("SIGNED".equals(sec)) {
            return h.sendSignedRequest(base, path, signedParams(params), method, false);
        }
        if ("NONE".equals(sec)) {
            return h.sendPublicRequest(base, path, params, method, false);
        }
        return h.sendApiRequest(base, path, params, method, false);
    }

    /** What the connector surfaced, in PROTOCOL.md's error shape. */
    static Map<String, Object> errorOf(Throwable e) {
        Map<String, Object> err = new LinkedHashMap<>();
        if (e instanceof ErrorAnswer) {
            return ((ErrorAnswer) e).error;
        }
        if (e instanceof BinanceClientException) {
            BinanceClientException c = (BinanceClientException) e;
            err.put("httpStatus", c.getHttpStatusCode());
            if (c.getErrMsg() != null) { // the body parsed as {"code","msg"}
                err.put("code", c.getErrorCode());
                err.put("msg", c.getErrMsg());
            } else {
                err.put("msg", c.getMessage());
            }
            err.put("raw", c.getMessage());
            return err;
        }
        if (e instanceof BinanceServerException) {
            BinanceServerException s = (BinanceServerException) e;
            if (s.getHttpStatusCode() > 0) {
                err.put("httpStatus", s.getHttpStatusCode());
            }
            err.put("msg", s.getMessage());
            err.put("raw", s.getMessage());
            return err;
        }
        if (e instanceof BinanceConnectorException) {
            err.put("msg", "BinanceConnectorException: " + e.getMessage());
            return err;
        }
        err.put("msg", e.getClass().getSimpleName() + ": " + e.getMessage());
        return err;
    }

    private static Map<String, Object> answer(Object id) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("id", id);
        return a;
    }

    /** One request line -> one answer line. */
    String handle(String line) {
        Object id = null;
        Map<String, Object> a;
        try {
            Map<String, Object> req = Json.obj(Json.parse(line));
            id = req.get("id");
            String op = String.valueOf(req.get("op"));
            Map<String, Object> p = Json.obj(req.get("params"));
            a = answer(id);
            if ("hello".equals(op)) {
                a.put("ok", true);
                a.put("data", hello());
            } else if ("configure".equals(op)) {
                configure(p);
                a.put("ok", true);
            } else if ("shutdown".equals(op)) {
                close();
                stopped = true;
                a.put("ok", true);
            } else {
                Object data = call(op, p);
                a.put("ok", true);
                if (data instanceof WsApi.Result) {
                    a.put("data", ((WsApi.Result) data).result);
                    if (((WsApi.Result) data).rateLimits != null) {
                        a.put("rateLimits", ((WsApi.Result) data).rateLimits);
                    }
                } else {
                    a.put("data", data);
                }
            }
        } catch (Unsupported u) {
            a = answer(id);
            a.put("unsupported", true);
        } catch (Exception e) {
            a = answer(id);
            a.put("ok", false);
            a.put("error", errorOf(e));
        }
        return Json.write(a);
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, "UTF-8");
        System.setOut(System.err); // library output, if any, goes to stderr: stdout is the protocol's
        Adapter ad = new Adapter();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            String ans = ad.handle(line);
            out.println(ans);
            out.flush();
            if (ad.stopped) {
                break;
            }
        }
        ad.close();
        System.exit(0); // OkHttp's non-daemon threads would keep the JVM alive
    }
}
