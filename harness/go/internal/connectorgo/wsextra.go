// wsextra.go: binance-connector-go's other WS API services behind wsCall:
// ping and time (unsigned, as the library sends them), account.status,
// order.status and order.cancel (HMAC-signed per request by the library; a
// call not marked signed answers unsupported, the library cannot send them
// unsigned). Each response is the library's struct: its Status and Error
// (code, msg) are exposed, its Result goes back as Binance's JSON.
package connectorgo

import (
	"context"

	connector "github.com/binance/binance-connector-go"

	"binance-conformance/harness/go/internal/proto"
)

// frame: one response as the library returned it, back into the protocol.
func frame(status int, e *connector.WsAPIErrorResponse, result any) (any, error) {
	if e != nil {
		return nil, &wsError{status, e}
	}
	return proto.Reshape(result)
}

func (a *Driver) wsCallExtra(method string, p proto.Params) (any, error) {
	signed := map[string]bool{"account.status": true, "order.status": true, "order.cancel": true}
	switch {
	case method == "ping" || method == "time":
	case signed[method] && p.Bool("signed"):
	default:
		return nil, proto.ErrUnsupported
	}
	q, _ := p["params"].(map[string]any)
	op := proto.Params(q)
	c, err := a.wsConnect()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), a.timeout)
	defer cancel()
	rw, hasRW := op.Int("recvWindow")
	if !hasRW && a.recvWindow > 0 {
		rw, hasRW = a.recvWindow, true
	}
	switch method {
	case "ping":
		r, err := c.NewTestConnectivityService().Do(ctx)
		if err != nil {
			return nil, err
		}
		return frame(r.Status, r.Error, r.Result)
	case "time":
		r, err := c.NewCheckServerTimeService().Do(ctx)
		if err != nil {
			return nil, err
		}
		return frame(r.Status, r.Error, r.Result)
	case "account.status":
		s := c.NewAccountInformationService()
		if hasRW {
			s.RecvWindow(rw)
		}
		r, err := s.Do(ctx)
		if err != nil {
			return nil, err
		}
		return frame(r.Status, r.Error, r.Result)
	case "order.status":
		s := c.NewQueryOrderService().Symbol(str(op, "symbol"))
		if id, ok := op.Int("orderId"); ok {
			s.OrderId(id)
		}
		if v, ok := op.Str("origClientOrderId"); ok {
			s.ClientOrderID(v)
		}
		if hasRW {
			s.RecvWindow(rw)
		}
		r, err := s.Do(ctx)
		if err != nil {
			return nil, err
		}
		return frame(r.Status, r.Error, r.Result)
	default: // order.cancel
		s := c.NewCancelOrderService().Symbol(str(op, "symbol"))
		if id, ok := op.Int("orderId"); ok {
			s.OrderId(id)
		}
		if v, ok := op.Str("origClientOrderId"); ok {
			s.OrigClientOrderId(v)
		}
		if hasRW {
			s.RecvWindow(rw)
		}
		r, err := s.Do(ctx)
		if err != nil {
			return nil, err
		}
		return frame(r.Status, r.Error, r.Result)
	}
}
