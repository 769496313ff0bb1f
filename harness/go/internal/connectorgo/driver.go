// Package connectorgo drives github.com/binance/binance-connector-go (Binance's
// official Go connector, root module) for the Go adapter and the Go flow.
// github.com/binance/binance-connector-go (Binance's official Go connector,
// root module; REST Client and its NewXxxService builders).
//
// How a user points it at the mock: binance_connector.NewClient(apiKey,
// secret, "http://127.0.0.1:8080") (README "Point your SDK at it"). Keys:
// HMAC only (parseRequest signs with HMAC-SHA256; no RSA / Ed25519 option).
// Server-time sync: none (Client.TimeOffset is left to the user). Per-call
// recvWindow: binance_connector.WithRecvWindow; a configured recvWindow is
// passed the same way on every signed call (PROTOCOL §2.2 q4). Prices and
// quantities are float64 setters (Price(float64), Quantity(float64)): the
// adapter parses the given decimal string as a user would. No public generic
// signed call, no µs timestamps. Errors: *handlers.APIError carries code and
// msg only (HTTP status, raw body and headers are dropped by callAPI).
// WS API: wsapi.go (order.test / order.place, HMAC-signed per request).
// Market streams: streams.go (WebsocketStreamClient).
package connectorgo

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"runtime/debug"
	"strconv"
	"time"

	connector "github.com/binance/binance-connector-go"
	"github.com/binance/binance-connector-go/handlers"

	"binance-conformance/harness/go/internal/proto"
)

const modPath = "github.com/binance/binance-connector-go"

// Driver is the library behind the protocol (proto.Driver).
type Driver struct {
	c          *connector.Client
	recvWindow int64
	timeout    time.Duration
	// WS API (wsapi.go)
	apiKey, secret, wsAPIURL string
	ws                       *connector.WebsocketAPIClient
	// market streams (streams.go)
	streamURL string
	streams   proto.Streams
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
	return map[string]any{"protocol": 1, "library": "binance-connector-go", "version": modVersion(modPath),
		"language": "Go " + runtime.Version()[2:], "keyTypes": []string{"hmac"},
		"capabilities": []string{"rest", "perCallRecvWindow", "wsApi", "streams"}}
}

func (a *Driver) Configure(p proto.Params) error {
	if p.Bool("microsecondTimestamps") || p.Bool("timeSync") {
		return proto.ErrUnsupported
	}
	if kt, _ := p.Str("keyType"); kt != "hmac" {
		return proto.ErrUnsupported
	}
	a.Close()
	key, _ := p.Str("apiKey")
	secret, _ := p.Str("secret")
	base, _ := p.Str("baseUrl")
	c := connector.NewClient(key, secret, base)
	a.apiKey, a.secret = key, secret
	a.wsAPIURL, _ = p.Str("wsApiUrl")
	a.streamURL, _ = p.Str("streamUrl")
	a.timeout = 14 * time.Second
	if ms, ok := p.Int("timeoutMs"); ok && ms > 0 {
		a.timeout = time.Duration(ms) * time.Millisecond
	}
	c.HTTPClient = &http.Client{Timeout: a.timeout}
	a.recvWindow, _ = p.Int("recvWindow")
	a.c = c
	return nil
}

// ctx: calls are bounded by the HTTP client's Timeout (configure's timeoutMs).
func (a *Driver) ctx() context.Context { return context.Background() }

func (a *Driver) opts(p proto.Params) []connector.RequestOption {
	if rw, ok := p.Int("recvWindow"); ok {
		return []connector.RequestOption{connector.WithRecvWindow(rw)}
	}
	if a.recvWindow > 0 {
		return []connector.RequestOption{connector.WithRecvWindow(a.recvWindow)}
	}
	return nil
}

func str(p proto.Params, k string) string { s, _ := p.Str(k); return s }

// decimal: the library takes float64; a user parses the decimal string.
func decimal(p proto.Params, k string) (float64, bool, error) {
	s, ok := p.Str(k)
	if !ok {
		return 0, false, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false, fmt.Errorf("%s %q: %w", k, s, err)
	}
	return f, true, nil
}

func (a *Driver) newOrder(p proto.Params, o []connector.RequestOption) (any, error) {
	s := a.c.NewCreateOrderService().Symbol(str(p, "symbol")).Side(str(p, "side")).Type(str(p, "type"))
	if v, ok := p.Str("timeInForce"); ok {
		s.TimeInForce(v)
	}
	q, hasQ, err := decimal(p, "quantity")
	if err != nil {
		return nil, err
	}
	if hasQ {
		s.Quantity(q)
	}
	pr, hasP, err := decimal(p, "price")
	if err != nil {
		return nil, err
	}
	if hasP {
		s.Price(pr)
	}
	if v, ok := p.Str("newClientOrderId"); ok {
		s.NewClientOrderId(v)
	}
	if v, ok := p.Str("newOrderRespType"); ok {
		s.NewOrderRespType(v)
	}
	return proto.ReshapeResult(s.Do(a.ctx(), o...))
}

func (a *Driver) testOrder(p proto.Params, o []connector.RequestOption) (any, error) {
	s := a.c.NewTestNewOrder().Symbol(str(p, "symbol")).Side(str(p, "side")).OrderType(str(p, "type"))
	if v, ok := p.Str("timeInForce"); ok {
		s.TimeInForce(v)
	}
	q, hasQ, err := decimal(p, "quantity")
	if err != nil {
		return nil, err
	}
	if hasQ {
		s.Quantity(q)
	}
	pr, hasP, err := decimal(p, "price")
	if err != nil {
		return nil, err
	}
	if hasP {
		s.Price(pr)
	}
	if v, ok := p.Str("newClientOrderId"); ok {
		s.NewClientOrderId(v)
	}
	return proto.ReshapeResult(s.Do(a.ctx(), o...))
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
		a.wsClose()
		return map[string]any{}, nil
	case "streamSubscribe":
		if kind, _ := p.Str("kind"); kind != "market" {
			return nil, proto.ErrUnsupported // user data: only the retired userDataStream.start
		}
		return a.subscribe(p.Strs("streams"), p.Bool("combined"))
	case "streamNext":
		return a.streams.Next(p)
	case "streamClose":
		h, _ := p.Str("handle")
		a.streams.Close(h)
		return map[string]any{}, nil
	case "time":
		return proto.ReshapeResult(c.NewServerTimeService().Do(ctx))
	case "ping":
		return map[string]any{}, c.NewPingService().Do(ctx)
	case "exchangeInfo":
		s := c.NewExchangeInfoService()
		if v, ok := p.Str("symbol"); ok {
			s.Symbol(v)
		}
		return proto.ReshapeResult(s.Do(ctx))
	case "depth":
		s := c.NewOrderBookService().Symbol(str(p, "symbol"))
		if n, ok := p.Int("limit"); ok {
			s.Limit(int(n))
		}
		return proto.ReshapeResult(s.Do(ctx))
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
		for _, k := range ks { // the KlinesResponse struct back to Binance's array
			out = append(out, []any{k.OpenTime, k.Open, k.High, k.Low, k.Close, k.Volume, k.CloseTime,
				k.QuoteAssetVolume, k.NumberOfTrades, k.TakerBuyBaseAssetVolume, k.TakerBuyQuoteAssetVolume, "0"})
		}
		return out, nil
	case "account":
		return proto.ReshapeResult(c.NewGetAccountService().Do(ctx, o...))
	case "newOrder":
		return a.newOrder(p, o)
	case "testOrder":
		return a.testOrder(p, o)
	case "getOrder":
		s := c.NewGetOrderService().Symbol(str(p, "symbol"))
		if id, ok := p.Int("orderId"); ok {
			s.OrderId(id)
		}
		if v, ok := p.Str("origClientOrderId"); ok {
			s.OrigClientOrderId(v)
		}
		return proto.ReshapeResult(s.Do(ctx, o...))
	case "cancelOrder":
		s := c.NewCancelOrderService().Symbol(str(p, "symbol"))
		if id, ok := p.Int("orderId"); ok {
			s.OrderId(id)
		}
		if v, ok := p.Str("origClientOrderId"); ok {
			s.OrigClientOrderId(v)
		}
		return proto.ReshapeResult(s.Do(ctx, o...))
	case "openOrders":
		return proto.ReshapeResult(c.NewGetOpenOrdersService().Symbol(str(p, "symbol")).Do(ctx, o...))
	case "myTrades":
		return proto.ReshapeResult(c.NewGetMyTradesService().Symbol(str(p, "symbol")).Do(ctx, o...))
	}
	return nil, proto.ErrUnsupported
}

func (a *Driver) ErrorOf(err error) proto.Error {
	var we *wsError
	if errors.As(err, &we) {
		code := int64(we.e.Code)
		return proto.Error{HTTPStatus: we.status, Code: &code, Msg: we.e.Message}
	}
	var ae *handlers.APIError
	if errors.As(err, &ae) {
		code := ae.Code
		return proto.Error{Code: &code, Msg: ae.Message}
	}
	return proto.Error{Msg: err.Error()}
}

func (a *Driver) Close() {
	a.streams.Close("")
	a.wsClose()
	a.c = nil
}
