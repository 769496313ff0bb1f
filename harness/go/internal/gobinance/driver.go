// Package gobinance drives github.com/adshao/go-binance/v2 for the Go adapter
// (harness/PROTOCOL.md) and the Go flow: REST Client, NewXxxService builders.
//
// How a user points it at the mock: client.BaseURL = "http://127.0.0.1:8080"
// (README "Point your SDK at it"). Keys: HMAC secret as SecretKey; RSA /
// Ed25519 PKCS#8 PEM as SecretKey with KeyType common.KeyTypeRsa /
// KeyTypeEd25519. Server-time sync: NewSetServerTimeService().Do (sets
// Client.TimeOffset). Per-call recvWindow: binance.WithRecvWindow; a configured
// recvWindow is passed the same way on every signed call (PROTOCOL §2.2 q4).
// No public generic signed call (callAPI is private), no µs timestamps.
// Market streams: streams.go (the package-level BaseWsMainURL /
// BaseCombinedMainURL point at configure's streamUrl).
// Errors: *common.APIError carries code and msg only — the HTTP status, the
// raw body of a JSON error and the response headers (Retry-After) are dropped
// by Client.callAPI, so the adapter cannot report them.
package gobinance

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	binance "github.com/adshao/go-binance/v2"
	"github.com/adshao/go-binance/v2/common"

	"binance-conformance/harness/go/internal/proto"
)

const modPath = "github.com/adshao/go-binance/v2"

// Driver is the library behind the protocol (proto.Driver).
type Driver struct {
	c          *binance.Client
	recvWindow int64
	timeout    time.Duration
	streamURL  string // ws://HOST:PORT/ws (configure's streamUrl)
	streams    proto.Streams
	// WS API (wsapi.go)
	apiKey, secret, kt string
	gen, wsSeq         int
	wsOrder            *binance.OrderCreateWsService
}

func modVersion(path string) string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, m := range bi.Deps {
			if m.Path == path {
				return m.Version
			}
		}
	}
	return "unknown"
}

func (a *Driver) Hello() map[string]any {
	return map[string]any{"protocol": 1, "library": "go-binance", "version": modVersion(modPath),
		"language": "Go " + runtime.Version()[2:], "keyTypes": []string{"hmac", "rsa", "ed25519"},
		"capabilities": []string{"rest", "timeSync", "perCallRecvWindow", "streams", "wsApi", "wsUserData"}}
}

func (a *Driver) Configure(p proto.Params) error {
	if p.Bool("microsecondTimestamps") {
		return proto.ErrUnsupported
	}
	a.Close()
	key, _ := p.Str("apiKey")
	base, _ := p.Str("baseUrl")
	var c *binance.Client
	switch kt, _ := p.Str("keyType"); kt {
	case "hmac":
		a.secret, _ = p.Str("secret")
		c = binance.NewClient(key, a.secret)
	case "rsa", "ed25519":
		a.secret, _ = p.Str("privateKeyPem")
		c = binance.NewClient(key, a.secret)
		c.KeyType = map[string]string{"rsa": common.KeyTypeRsa, "ed25519": common.KeyTypeEd25519}[kt]
	default:
		return proto.ErrUnsupported
	}
	a.apiKey, a.kt = key, c.KeyType
	wsAPI, _ := p.Str("wsApiUrl")
	a.wsOpen(wsAPI)
	c.BaseURL = base
	a.streamURL, _ = p.Str("streamUrl")
	a.timeout = 14 * time.Second
	if ms, ok := p.Int("timeoutMs"); ok && ms > 0 {
		a.timeout = time.Duration(ms) * time.Millisecond
	}
	c.HTTPClient = &http.Client{Timeout: a.timeout}
	a.recvWindow, _ = p.Int("recvWindow")
	a.c = c
	if p.Bool("timeSync") {
		if _, err := c.NewSetServerTimeService().Do(a.ctx()); err != nil {
			a.c = nil
			return fmt.Errorf("NewSetServerTimeService: %w", err)
		}
	}
	return nil
}

// ctx: calls are bounded by the HTTP client's Timeout (configure's timeoutMs).
func (a *Driver) ctx() context.Context { return context.Background() }

// opts: the per-call recvWindow, else the configured one (§2.2 q4).
func (a *Driver) opts(p proto.Params) []binance.RequestOption {
	if rw, ok := p.Int("recvWindow"); ok {
		return []binance.RequestOption{binance.WithRecvWindow(rw)}
	}
	if a.recvWindow > 0 {
		return []binance.RequestOption{binance.WithRecvWindow(a.recvWindow)}
	}
	return nil
}

func str(p proto.Params, k string) string { s, _ := p.Str(k); return s }

func (a *Driver) order(p proto.Params) *binance.CreateOrderService {
	s := a.c.NewCreateOrderService().Symbol(str(p, "symbol")).
		Side(binance.SideType(str(p, "side"))).Type(binance.OrderType(str(p, "type")))
	if v, ok := p.Str("timeInForce"); ok {
		s.TimeInForce(binance.TimeInForceType(v))
	}
	if v, ok := p.Str("quantity"); ok {
		s.Quantity(v)
	}
	if v, ok := p.Str("price"); ok {
		s.Price(v)
	}
	if v, ok := p.Str("newClientOrderId"); ok {
		s.NewClientOrderID(v)
	}
	if v, ok := p.Str("newOrderRespType"); ok {
		s.NewOrderRespType(binance.NewOrderRespType(v))
	}
	return s
}

// levels: go-binance's PriceLevel structs back to Binance's [price, qty] pairs.
func levels(l []common.PriceLevel) [][2]string {
	out := make([][2]string, 0, len(l))
	for _, x := range l {
		out = append(out, [2]string{x.Price, x.Quantity})
	}
	return out
}

func (a *Driver) Call(op string, p proto.Params) (any, error) {
	if a.c == nil {
		return nil, proto.ErrUnsupported
	}
	c, ctx, o := a.c, a.ctx(), a.opts(p)
	switch op {
	case "wsCall":
		return a.wsCall(p)
	case "wsClose":
		a.wsShut()
		a.wsOpen(strings.SplitN(binance.BaseWsApiMainURL, genMark, 2)[0])
		return map[string]any{}, nil
	case "streamSubscribe":
		if kind, _ := p.Str("kind"); kind == "userData" {
			return a.userData()
		} else if kind != "market" {
			return nil, proto.ErrUnsupported
		}
		return a.subscribe(p.Strs("streams"), p.Bool("combined"))
	case "streamNext":
		return a.streams.Next(p)
	case "streamClose":
		h, _ := p.Str("handle")
		a.streams.Close(h)
		return map[string]any{}, nil
	case "time":
		t, err := c.NewServerTimeService().Do(ctx)
		return map[string]any{"serverTime": t}, err
	case "ping":
		return map[string]any{}, c.NewPingService().Do(ctx)
	case "exchangeInfo":
		s := c.NewExchangeInfoService()
		if v, ok := p.Str("symbol"); ok {
			s.Symbol(v)
		}
		return proto.ReshapeResult(s.Do(ctx))
	case "depth":
		s := c.NewDepthService().Symbol(str(p, "symbol"))
		if n, ok := p.Int("limit"); ok {
			s.Limit(int(n))
		}
		r, err := s.Do(ctx)
		if err != nil {
			return nil, err
		}
		return map[string]any{"lastUpdateId": r.LastUpdateID, "bids": levels(r.Bids), "asks": levels(r.Asks)}, nil
	case "klines":
		s := c.NewKlinesService().Symbol(str(p, "symbol")).Interval(str(p, "interval"))
		if n, ok := p.Int("limit"); ok {
			s.Limit(int(n))
		}
		ks, err := s.Do(ctx)
		if err != nil {
			return nil, err
		}
		out := make([][]any, 0, len(ks))
		for _, k := range ks { // the Kline struct back to Binance's array
			out = append(out, []any{k.OpenTime, k.Open, k.High, k.Low, k.Close, k.Volume, k.CloseTime,
				k.QuoteAssetVolume, k.TradeNum, k.TakerBuyBaseAssetVolume, k.TakerBuyQuoteAssetVolume, "0"})
		}
		return out, nil
	case "account":
		return proto.ReshapeResult(c.NewGetAccountService().Do(ctx, o...))
	case "newOrder":
		return proto.ReshapeResult(a.order(p).Do(ctx, o...))
	case "testOrder":
		return map[string]any{}, a.order(p).Test(ctx, o...)
	case "getOrder":
		s := c.NewGetOrderService().Symbol(str(p, "symbol"))
		if id, ok := p.Int("orderId"); ok {
			s.OrderID(id)
		}
		if v, ok := p.Str("origClientOrderId"); ok {
			s.OrigClientOrderID(v)
		}
		return proto.ReshapeResult(s.Do(ctx, o...))
	case "cancelOrder":
		s := c.NewCancelOrderService().Symbol(str(p, "symbol"))
		if id, ok := p.Int("orderId"); ok {
			s.OrderID(id)
		}
		if v, ok := p.Str("origClientOrderId"); ok {
			s.OrigClientOrderID(v)
		}
		return proto.ReshapeResult(s.Do(ctx, o...))
	case "openOrders":
		return proto.ReshapeResult(c.NewListOpenOrdersService().Symbol(str(p, "symbol")).Do(ctx, o...))
	case "myTrades":
		return proto.ReshapeResult(c.NewListTradesService().Symbol(str(p, "symbol")).Do(ctx, o...))
	}
	return nil, proto.ErrUnsupported
}

func (a *Driver) ErrorOf(err error) proto.Error {
	var we *wsError
	if errors.As(err, &we) {
		code := we.e.Code
		return proto.Error{HTTPStatus: we.status, Code: &code, Msg: we.e.Message}
	}
	var ae *common.APIError
	if errors.As(err, &ae) {
		if ae.IsValid() {
			code := ae.Code
			return proto.Error{Code: &code, Msg: ae.Message}
		}
		// a body that was not a Binance error JSON: the library keeps it
		return proto.Error{Raw: string(ae.Response), Msg: ae.Error()}
	}
	return proto.Error{Msg: err.Error()}
}

func (a *Driver) Close() {
	a.streams.Close("")
	a.wsShut()
	a.c = nil
}
