// Streams: the adapter's market streams over the connector's
// WebSocketStreamClientImpl (base URL = streamUrl without "/ws": the connector
// appends /ws/<name> or /stream?streams=). A single stream the connector has a
// method for is opened with it (diffDepthStream, klineStream, tradeStream,
// aggTradeStream, bookTicker); any other name, and every combined request,
// goes through combineStreams (/stream?streams=a/b), whose events carry
// "stream": those are unwrapped to data + "_stream" (PROTOCOL.md 2.2 answer 6).
// Events are buffered per handle in arrival order. The connector has no
// user-data subscription on the WS API (only the listenKey stream, retired),
// so kind "userData" answers unsupported. Connections are closed one by one
// (closeConnection): closeAllConnections also shuts the process-wide OkHttp
// dispatcher down.
package dev.binanceconform.harness;

import com.binance.connector.client.impl.WebSocketStreamClientImpl;
import com.binance.connector.client.utils.websocketcallback.WebSocketClosedCallback;
import com.binance.connector.client.utils.websocketcallback.WebSocketClosingCallback;
import com.binance.connector.client.utils.websocketcallback.WebSocketFailureCallback;
import com.binance.connector.client.utils.websocketcallback.WebSocketMessageCallback;
import com.binance.connector.client.utils.websocketcallback.WebSocketOpenCallback;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

final class Streams {
    private static final Pattern DIFF_DEPTH = Pattern.compile("([a-z0-9]+)@depth@(\\d+)ms");
    private static final Pattern KLINE = Pattern.compile("([a-z0-9]+)@kline_(\\w+)");
    private static final Pattern SIMPLE = Pattern.compile("([a-z0-9]+)@(trade|aggTrade|bookTicker)");

    private WebSocketStreamClientImpl client;
    private final Map<String, Integer> connections = new LinkedHashMap<>();
    private final Map<String, LinkedBlockingQueue<Map<String, Object>>> queues = new LinkedHashMap<>();
    private static final WebSocketClosingCallback NO_CLOSING = (c, r) -> { };
    private static final WebSocketClosedCallback NO_CLOSED = (c, r) -> { };
    private int handles;
    private long openTimeoutMs = 14000;

    void configure(String streamUrl, long timeoutMs) {
        close();
        openTimeoutMs = timeoutMs;
        if (streamUrl != null) {
            client = new WebSocketStreamClientImpl(streamUrl.replaceAll("/ws/?$", ""));
        }
    }

    private static WebSocketMessageCallback into(LinkedBlockingQueue<Map<String, Object>> q) {
        return text -> {
            Object v;
            try {
                v = Json.parse(text);
            } catch (IllegalArgumentException e) {
                System.err.println("stream: unparsable event: " + text);
                return;
            }
            Map<String, Object> ev = Json.obj(v);
            if (ev.containsKey("stream") && ev.get("data") instanceof Map) {
                Map<String, Object> d = new LinkedHashMap<>(Json.obj(ev.get("data")));
                d.put("_stream", ev.get("stream"));
                ev = d;
            }
            q.add(ev);
        };
    }

    /** Subscribe, and return once the connection is open (or failed), as onOpen tells. */
    Object subscribe(Map<String, Object> p) throws InterruptedException {
        if (client == null || !"market".equals(p.get("kind"))) {
            throw new Adapter.Unsupported();
        }
        List<String> names = new ArrayList<>();
        if (p.get("streams") instanceof List) {
            for (Object o : (List<?>) p.get("streams")) {
                names.add(String.valueOf(o));
            }
        }
        LinkedBlockingQueue<Map<String, Object>> q = new LinkedBlockingQueue<>();
        WebSocketMessageCallback cb = into(q);
        CountDownLatch opened = new CountDownLatch(1);
        String[] failure = {null};
        WebSocketOpenCallback onOpen = r -> opened.countDown();
        WebSocketFailureCallback onFail = (t, r) -> {
            System.err.println("stream failure: " + t);
            failure[0] = String.valueOf(t);
            opened.countDown();
        };
        int conn;
        Matcher m;
        String one = names.size() == 1 ? names.get(0) : "";
        if (Boolean.TRUE.equals(p.get("combined")) || names.size() != 1) {
            conn = client.combineStreams(new ArrayList<>(names), onOpen, cb, NO_CLOSING, NO_CLOSED, onFail);
        } else if ((m = DIFF_DEPTH.matcher(one)).matches()) {
            conn = client.diffDepthStream(m.group(1), Integer.parseInt(m.group(2)), onOpen, cb, NO_CLOSING, NO_CLOSED, onFail);
        } else if ((m = KLINE.matcher(one)).matches()) {
            conn = client.klineStream(m.group(1), m.group(2), onOpen, cb, NO_CLOSING, NO_CLOSED, onFail);
        } else if ((m = SIMPLE.matcher(one)).matches()) {
            String s = m.group(1);
            switch (m.group(2)) {
                case "trade": conn = client.tradeStream(s, onOpen, cb, NO_CLOSING, NO_CLOSED, onFail); break;
                case "aggTrade": conn = client.aggTradeStream(s, onOpen, cb, NO_CLOSING, NO_CLOSED, onFail); break;
                default: conn = client.bookTicker(s, onOpen, cb, NO_CLOSING, NO_CLOSED, onFail); break;
            }
        } else {
            conn = client.combineStreams(new ArrayList<>(names), onOpen, cb, NO_CLOSING, NO_CLOSED, onFail);
        }
        String h = "h" + (++handles);
        connections.put(h, conn);
        queues.put(h, q);
        if (!opened.await(openTimeoutMs, TimeUnit.MILLISECONDS) || failure[0] != null) {
            closeHandle(h);
            throw new Adapter.ErrorAnswer(Map.of("msg", failure[0] != null ? failure[0]
                    : "stream not open within " + openTimeoutMs + " ms"));
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("handle", h);
        return d;
    }

    Object next(Map<String, Object> p) throws InterruptedException {
        LinkedBlockingQueue<Map<String, Object>> q = queues.get(String.valueOf(p.get("handle")));
        if (q == null) {
            throw new Adapter.ErrorAnswer(Map.of("msg", "unknown handle " + p.get("handle")));
        }
        long timeout = p.get("timeoutMs") instanceof Number ? ((Number) p.get("timeoutMs")).longValue() : 3000;
        Map<String, Object> match = Json.obj(p.get("match"));
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
        while (true) {
            long left = deadline - System.nanoTime();
            Map<String, Object> ev = left > 0 ? q.poll(left, TimeUnit.NANOSECONDS) : q.poll();
            if (ev == null) {
                throw new Adapter.ErrorAnswer(Map.of("msg", "timeout"));
            }
            if (matches(ev, match)) {
                return ev;
            }
        }
    }

    private static boolean matches(Map<String, Object> ev, Map<String, Object> match) {
        for (Map.Entry<String, Object> e : match.entrySet()) {
            if (!Json.write(e.getValue()).equals(Json.write(ev.get(e.getKey())))) {
                return false;
            }
        }
        return true;
    }

    void closeHandle(String h) {
        Integer c = connections.remove(h);
        queues.remove(h);
        if (c != null && client != null) {
            client.closeConnection(c);
        }
    }

    void close() {
        for (String h : new ArrayList<>(connections.keySet())) {
            closeHandle(h);
        }
        client = null;
    }
}
