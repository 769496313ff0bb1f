// wsapi.go: binance-connector-go's WebSocket API behind the protocol's
// wsCall / wsClose (PROTOCOL.md §2.1): WebsocketAPIClient (HMAC, each request
// signed over its sorted raw values) with NewTestPlaceOrderService
// (order.test) and NewPlaceNewOrderService (order.place), plus
// NewTestConnectivityService (ping), NewCheckServerTimeService (time),
// NewAccountInformationService (account.status), NewQueryOrderService
// (order.status) and NewCancelOrderService (order.cancel) (wsextra.go). Other
// methods and session calls (no session.logon) answer unsupported.
// The client has no reconnect (its reader goroutine just ends on a read
// error), so wsReconnect is not declared. Error frames come back as the
// response's Status and Error{Code, Message}: both are exposed.
package connectorgo

import (
	"context"
	"fmt"

	connector "github.com/binance/binance-connector-go"

	"binance-conformance/harness/go/internal/proto"
)

// wsError is an error frame as the library returned it.
type wsError struct {
	status int
	e      *connector.WsAPIErrorResponse
}

func (w *wsError) Error() string { return fmt.Sprintf("status %d: %+v", w.status, w.e) }

func (a *Driver) wsConnect() (*connector.WebsocketAPIClient, error) {
	if a.ws != nil {
		return a.ws, nil
	}
	c := connector.NewWebsocketAPIClient(a.apiKey, a.secret, a.wsAPIURL)
	if err := c.Connect(); err != nil {
		return nil, err
	}
	a.ws = c
	return c, nil
}

func (a *Driver) wsClose() {
	if a.ws != nil {
		_ = a.ws.Close()
		a.ws = nil
	}
}

func (a *Driver) wsCall(p proto.Params) (any, error) {
	method, _ := p.Str("method")
	if p.Bool("session") {
		return nil, proto.ErrUnsupported
	}
	if method != "order.test" && method != "order.place" {
		return a.wsCallExtra(method, p)
	}
	if !p.Bool("signed") {
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
	qty, hasQ, err := decimal(op, "quantity")
	if err != nil {
		return nil, err
	}
	price, hasP, err := decimal(op, "price")
	if err != nil {
		return nil, err
	}
	var r *connector.OrderPlacementResponse
	if method == "order.test" {
		s := c.NewTestPlaceOrderService().Symbol(str(op, "symbol")).Side(str(op, "side")).OrderType(str(op, "type"))
		if v, ok := op.Str("timeInForce"); ok {
			s.TimeInForce(v)
		}
		if hasQ {
			s.Quantity(qty)
		}
		if hasP {
			s.Price(price)
		}
		if v, ok := op.Str("newClientOrderId"); ok {
			s.NewClientOrderId(v)
		}
		if rw, ok := op.Int("recvWindow"); ok {
			s.RecvWindow(rw)
		}
		r, err = s.Do(ctx)
	} else {
		s := c.NewPlaceNewOrderService().Symbol(str(op, "symbol")).Side(str(op, "side")).OrderType(str(op, "type"))
		if v, ok := op.Str("timeInForce"); ok {
			s.TimeInForce(v)
		}
		if hasQ {
			s.Quantity(qty)
		}
		if hasP {
			s.Price(price)
		}
		if v, ok := op.Str("newClientOrderId"); ok {
			s.NewClientOrderId(v)
		}
		if rw, ok := op.Int("recvWindow"); ok {
			s.RecvWindow(rw)
		}
		r, err = s.Do(ctx)
	}
	if err != nil {
		return nil, err
	}
	if r.Error != nil {
		return nil, &wsError{r.Status, r.Error}
	}
	if r.Result == nil {
		return map[string]any{}, nil
	}
	return proto.Reshape(r.Result)
}
