// wsapi.go: go-binance's WebSocket API behind the protocol's wsCall / wsClose
// and streamSubscribe {"kind":"userData"} (PROTOCOL.md §2.1).
//
// What v2.8.7 has for Spot: one service per method, each opening its own
// connection to the package variable BaseWsApiMainURL — NewOrderCreateWsService
// (order.place), the orderList.place* / orderList.cancel / sor.order.* services,
// and WsUserDataServeSignature (userDataStream.subscribe.signature). Each request
// is signed (HMAC, RSA or Ed25519: the service's KeyType) over its parameters as
// url.Values.Encode() makes them. There is no order.test, order.status,
// order.cancel, ping, time, account.status or session.logon service for Spot
// (order.cancel / order.status exist for futures only), so wsCall answers
// unsupported for every other method and for session / unsigned calls, and
// wsSession is not declared.
//
// Closing for good (PROTOCOL §2 configure): the services have no Close, and
// their client (common/websocket) redials at once and forever after any drop,
// including the runner's between-case reset, which comes before the next
// configure could close it: that redial would fail the next case's isolation
// check. The adapter therefore routes every WS API dial through the library's
// public hook binance.WsGetReadWriteConnection: the endpoint carries this
// configure's generation as a URL fragment (stripped, never sent); the hook
// refuses any dial of a generation that Close closed, and every redial of the
// library's reconnect loop (a dial from connection.RestoreConnection; it reads
// the endpoint at redial time, so its mark cannot tell whose it is). So this adapter switches the library's automatic reconnect
// off and does not declare wsReconnect; the reconnect itself is driven by
// go_flow_go-binance (step wsApiReconnect).
//
// Subscription readiness: WsUserDataServeSignature returns once the subscribe
// frame is written and silently skips the server's answer, so a caller cannot
// know when events will flow. The hook's connection wrapper watches the bytes
// the server sends; streamSubscribe answers once the answer carrying
// "subscriptionId" has arrived (or fails with what the library reported).
package gobinance

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"time"

	binance "github.com/adshao/go-binance/v2"
	"github.com/adshao/go-binance/v2/common"
	gorilla "github.com/gorilla/websocket"

	"binance-conformance/harness/go/internal/proto"
)

const genMark = "#bc-gen="

// wsGens tracks the WS API connections of each configure generation.
type wsGens struct {
	mu     sync.Mutex
	cur    int
	closed map[int]bool // closed by Close
	conns  map[int][]*gorilla.Conn
	last   *sniffConn // the last connection dialed (streamSubscribe reads it)
}

var gens = &wsGens{closed: map[int]bool{}, conns: map[int][]*gorilla.Conn{}}
var hookOnce sync.Once

// sniffConn signals when the server's bytes contain "subscriptionId".
type sniffConn struct {
	net.Conn
	once sync.Once
	seen chan struct{}
	tail []byte
}

func (s *sniffConn) Read(p []byte) (int, error) {
	n, err := s.Conn.Read(p)
	if n > 0 {
		buf := append(s.tail, p[:n]...)
		if bytes.Contains(buf, []byte(`"subscriptionId"`)) {
			s.once.Do(func() { close(s.seen) })
		}
		if len(buf) > 16 {
			buf = buf[len(buf)-16:]
		}
		s.tail = append([]byte(nil), buf...)
	}
	return n, err
}

// redial: the dial comes from the library's reconnect loop
// (common/websocket connection.RestoreConnection), not from a new service.
func redial() bool {
	pcs := make([]uintptr, 32)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(3, pcs)])
	for {
		f, more := frames.Next()
		if strings.HasSuffix(f.Function, ").RestoreConnection") {
			return true
		}
		if !more {
			return false
		}
	}
}

// dial is binance.WsGetReadWriteConnection: the library's own dialer settings
// (proxy from the environment, no compression), refusing closed generations.
func dial(cfg *binance.WsConfig) (*gorilla.Conn, error) {
	ep, gen := cfg.Endpoint, 0
	if i := strings.Index(ep, genMark); i >= 0 {
		fmt.Sscan(ep[i+len(genMark):], &gen)
		ep = ep[:i]
	}
	// gen 0 (no mark: the flow's own services) dials as the library does. A
	// redial reads the endpoint when it happens, so its mark may be a later
	// configure's: it is refused whatever the generation.
	if gen > 0 && redial() {
		return nil, errors.New("adapter: redial of go-binance's WS API client refused (reconnect switched off)")
	}
	gens.mu.Lock()
	refused := gen > 0 && gens.closed[gen]
	gens.mu.Unlock()
	if refused {
		return nil, fmt.Errorf("adapter: WS API generation %d closed", gen)
	}
	var sc *sniffConn
	d := gorilla.Dialer{Proxy: http.ProxyFromEnvironment, HandshakeTimeout: 45 * time.Second,
		NetDialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			sc = &sniffConn{Conn: c, seen: make(chan struct{})}
			return sc, nil
		}}
	c, _, err := d.Dial(ep, nil)
	if err != nil {
		return nil, err
	}
	gens.mu.Lock()
	defer gens.mu.Unlock()
	if gen > 0 && gens.closed[gen] {
		c.Close()
		return nil, fmt.Errorf("adapter: WS API generation %d closed", gen)
	}
	gens.conns[gen] = append(gens.conns[gen], c)
	gens.last = sc
	return c, nil
}

// wsOpen starts a generation: BaseWsApiMainURL = wsApiUrl + its mark.
func (a *Driver) wsOpen(wsAPIURL string) {
	hookOnce.Do(func() { binance.WsGetReadWriteConnection = dial })
	gens.mu.Lock()
	gens.cur++
	a.gen = gens.cur
	gens.mu.Unlock()
	binance.BaseWsApiMainURL = fmt.Sprintf("%s%s%d", wsAPIURL, genMark, a.gen)
}

// wsShut closes the generation's connections and refuses its redials.
func (a *Driver) wsShut() {
	if a.gen == 0 {
		return
	}
	gens.mu.Lock()
	gens.closed[a.gen] = true
	cs := gens.conns[a.gen]
	delete(gens.conns, a.gen)
	gens.mu.Unlock()
	for _, c := range cs {
		c.Close()
	}
	a.wsOrder = nil
}

// wsError is an error frame as the library returned it (status, code, msg).
type wsError struct {
	status int
	e      *common.APIError
}

func (w *wsError) Error() string { return fmt.Sprintf("status %d: %v", w.status, w.e) }

func (a *Driver) keyType() string {
	if a.kt == "" {
		return common.KeyTypeHmac
	}
	return a.kt
}

func (a *Driver) wsCall(p proto.Params) (any, error) {
	method, _ := p.Str("method")
	if method != "order.place" || !p.Bool("signed") || p.Bool("session") {
		return nil, proto.ErrUnsupported // see the file comment: no such Spot service
	}
	if a.wsOrder == nil {
		svc, err := binance.NewOrderCreateWsService(a.apiKey, a.secret)
		if err != nil {
			return nil, err
		}
		svc.KeyType = a.keyType()
		svc.TimeOffset = a.c.TimeOffset
		a.wsOrder = svc
	}
	q, _ := p["params"].(map[string]any)
	op := proto.Params(q)
	req := binance.NewOrderCreateWsRequest().Symbol(str(op, "symbol")).
		Side(binance.SideType(str(op, "side"))).Type(binance.OrderType(str(op, "type")))
	if v, ok := op.Str("timeInForce"); ok {
		req.TimeInForce(binance.TimeInForceType(v))
	}
	if v, ok := op.Str("quantity"); ok {
		req.Quantity(v)
	}
	if v, ok := op.Str("price"); ok {
		req.Price(v)
	}
	if v, ok := op.Str("newClientOrderId"); ok {
		req.NewClientOrderID(v)
	}
	if v, ok := op.Str("newOrderRespType"); ok {
		req.NewOrderRespType(binance.NewOrderRespType(v))
	}
	if rw, ok := op.Int("recvWindow"); ok {
		req.RecvWindow(uint16(rw))
	} else if a.recvWindow > 0 {
		req.RecvWindow(uint16(a.recvWindow))
	}
	id, ok := p.Str("id")
	if !ok {
		a.wsSeq++
		id = fmt.Sprintf("gb-%d-%d", a.gen, a.wsSeq)
	}
	r, err := a.wsOrder.SyncDo(id, req)
	if err != nil {
		return nil, err
	}
	if r.Error != nil {
		return nil, &wsError{r.Status, r.Error}
	}
	return proto.Reshape(r.Result)
}

// userEvent: go-binance's WsUserDataEvent back in Binance's shape (the
// event's e, E and the fields of the part its type fills).
func userEvent(e *binance.WsUserDataEvent) map[string]any {
	var part any
	switch e.Event {
	case binance.UserDataEventTypeOutboundAccountPosition:
		part = e.AccountUpdate
	case binance.UserDataEventTypeBalanceUpdate:
		part = e.BalanceUpdate
	case binance.UserDataEventTypeExecutionReport:
		part = e.OrderUpdate
	case binance.UserDataEventTypeListStatus:
		part = e.OCOUpdate
	}
	m := map[string]any{}
	if part != nil {
		if r, err := proto.Reshape(part); err == nil {
			if mm, ok := r.(map[string]any); ok {
				m = mm
			}
		}
	}
	m["e"], m["E"] = string(e.Event), e.Time
	return m
}

// userData serves streamSubscribe {"kind":"userData"}: WsUserDataServeSignature.
func (a *Driver) userData() (any, error) {
	q := proto.NewQueue(nil)
	errs := make(chan error, 1)
	first := make(chan struct{})
	var once sync.Once
	gens.mu.Lock()
	gens.last = nil
	gens.mu.Unlock()
	doneC, stopC, err := binance.WsUserDataServeSignature(a.apiKey, a.secret, a.keyType(), a.c.TimeOffset,
		func(e *binance.WsUserDataEvent) { q.Push(userEvent(e)); once.Do(func() { close(first) }) },
		func(err error) {
			select {
			case errs <- err:
			default:
			}
		})
	if err != nil {
		return nil, err
	}
	// Finding (docs/findings.md): closing stopC leaves the connection open;
	// wsShut closes it with the generation.
	q.Stop = func() { close(stopC) }
	gens.mu.Lock()
	sc := gens.last
	gens.mu.Unlock()
	if sc != nil {
		select {
		case <-sc.seen:
		case <-first: // an answer without subscriptionId reaches the handler as an event
		case err := <-errs:
			close(stopC)
			return nil, fmt.Errorf("userDataStream.subscribe.signature: %w", err)
		case <-doneC:
			return nil, errors.New("userDataStream.subscribe.signature: connection closed before the answer")
		case <-time.After(a.timeout):
			close(stopC)
			return nil, errors.New("userDataStream.subscribe.signature: no answer with a subscriptionId in time")
		}
	}
	return map[string]any{"handle": a.streams.Add(q)}, nil
}
