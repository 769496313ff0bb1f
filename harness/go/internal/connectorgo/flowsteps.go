// flowsteps.go: binance-connector-go's own WebSocket steps of the Go flow,
// after the REST steps: a trade stream (WebsocketStreamClient.WsTradeServe)
// that sees the flow's MARKET fill, and a MARKET order over the WS API
// (WebsocketAPIClient.NewPlaceNewOrderService, order.place, HMAC). Its user
// data wrapper calls the retired userDataStream.start, so there is no user
// data step.
package connectorgo

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	connector "github.com/binance/binance-connector-go"

	"binance-conformance/harness/go/internal/flow"
	"binance-conformance/harness/go/internal/proto"
)

func tradeStream(d proto.Driver, st *flow.State) (string, error) {
	ws := connector.NewWebsocketStreamClient(false, st.Mock.WS)
	trades := make(chan *connector.WsTradeEvent, 64)
	errs := make(chan error, 64)
	doneC, stopC, err := ws.WsTradeServe(st.Symbol, func(e *connector.WsTradeEvent) { trades <- e },
		func(err error) { errs <- err })
	if err != nil {
		return "", err
	}
	defer func() { // the documented stop (README: stopCh <- struct{}{})
		select {
		case stopC <- struct{}{}:
		case <-doneC:
		}
	}()
	if err := st.Mock.WaitWS(flow.HasStream(strings.ToLower(st.Symbol) + "@trade")); err != nil {
		return "", err
	}
	r, err := flow.Call(d, "newOrder", proto.Params{"symbol": st.Symbol, "side": "BUY", "type": "MARKET",
		"quantity": st.Qty, "recvWindow": float64(flow.RW)})
	if err != nil {
		return "", err
	}
	o, _ := r.(map[string]any)
	want := flow.Num(st.Qty)
	deadline := time.After(5 * time.Second)
	seen := 0
	for {
		select {
		case e := <-trades:
			seen++
			if e.Symbol == st.Symbol && flow.Num(e.Quantity) == want {
				return fmt.Sprintf("WsTradeServe: trade %d %s @ %s after MARKET order %v", e.TradeID, e.Quantity,
					e.Price, o["orderId"]), nil
			}
		case err := <-errs:
			return "", fmt.Errorf("WsTradeServe error handler: %w", err)
		case <-deadline:
			return "", fmt.Errorf("assertion: no %s trade of %s within 5 s of MARKET order %v (%d other trade events)",
				st.Symbol, st.Qty, o["orderId"], seen)
		}
	}
}

func wsAPIOrder(d proto.Driver, st *flow.State) (string, error) {
	c := connector.NewWebsocketAPIClient(st.Key.APIKey, st.Key.Secret, st.Mock.WS+"/ws-api/v3")
	if err := c.Connect(); err != nil {
		return "", err
	}
	defer c.Close()
	q, err := strconv.ParseFloat(st.Qty, 64)
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r, err := c.NewPlaceNewOrderService().Symbol(st.Symbol).Side("BUY").OrderType("MARKET").Quantity(q).
		RecvWindow(flow.RW).Do(ctx)
	if err != nil {
		return "", err
	}
	if r.Error != nil || r.Result == nil {
		return "", fmt.Errorf("order.place: status %d, error %+v", r.Status, r.Error)
	}
	if r.Status != 200 || r.Result.Status != "FILLED" || flow.Num(r.Result.ExecutedQty) != q {
		return "", fmt.Errorf("assertion: order.place FILLED %s: status %d, %+v", st.Qty, r.Status, r.Result)
	}
	return fmt.Sprintf("NewPlaceNewOrderService order.place: orderId %d FILLED %s", r.Result.OrderID,
		r.Result.ExecutedQty), nil
}

// FlowSteps are binance-connector-go's WebSocket steps after the common REST flow.
func FlowSteps() []flow.Step {
	return []flow.Step{{Name: "tradeStream", Run: tradeStream}, {Name: "wsApiOrder", Run: wsAPIOrder}}
}
