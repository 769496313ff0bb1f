// streams.go: binance-connector-go's market streams behind the protocol's
// streamSubscribe / streamNext / streamClose (PROTOCOL.md §2.1).
// WebsocketStreamClient(isCombined, baseURL) appends /ws or /stream?streams=
// itself, so it gets configure's streamUrl without its /ws (§2.2 q6); a
// combined subscription uses a client made with isCombined = true (its
// WsCombined* methods append the names to that endpoint). One method per
// stream type (WsDepthServe100Ms, WsPartialDepthServe, WsKlineServe,
// WsTradeServe, their WsCombined* forms); each handler gets the library's
// typed event, turned back into Binance's shape here, so whatever the library
// drops never reaches the adapter. Stopping is the documented
// `stopCh <- struct{}{}` (close(stopCh) makes the library panic, see
// docs/findings.md); it does not close the connection (the server reset does).
package connectorgo

import (
	"fmt"
	"strings"

	connector "github.com/binance/binance-connector-go"

	"binance-conformance/harness/go/internal/proto"
)

// pairs: the library's Bid / Ask (PriceLevel) structs back to Binance's [price, qty].
func pairs(l []connector.PriceLevel) [][2]string {
	out := make([][2]string, 0, len(l))
	for _, x := range l {
		out = append(out, [2]string{x.Price, x.Quantity})
	}
	return out
}

func push(q *proto.Queue, v any) {
	if r, err := proto.Reshape(v); err == nil {
		if m, ok := r.(map[string]any); ok {
			q.Push(m)
		}
	}
}

// subscribe opens the library's stream(s) for names; all of one kind.
func (a *Driver) subscribe(names []string, combined bool) (any, error) {
	if len(names) == 0 {
		return nil, proto.ErrUnsupported
	}
	var parsed []proto.StreamName
	for _, n := range names {
		s, ok := proto.ParseStream(n)
		if !ok || (len(parsed) > 0 && (s.Kind != parsed[0].Kind || s.Arg != parsed[0].Arg)) {
			return nil, proto.ErrUnsupported
		}
		parsed = append(parsed, s)
	}
	one := !combined && len(parsed) == 1
	ws := connector.NewWebsocketStreamClient(!one, strings.TrimSuffix(a.streamURL, "/ws"))
	syms := make([]string, 0, len(parsed))
	pairsOf := map[string]string{}
	for _, s := range parsed {
		syms = append(syms, s.Symbol)
		pairsOf[s.Symbol] = s.Arg
	}
	q := proto.NewQueue(nil)
	errH := func(error) {}
	var stopC, doneC chan struct{}
	var err error
	s0 := parsed[0]
	switch s0.Kind {
	case "depth", "depth100ms":
		h := func(e *connector.WsDepthEvent) {
			q.Push(map[string]any{"e": e.Event, "E": e.Time, "s": e.Symbol, "U": e.FirstUpdateID,
				"u": e.LastUpdateID, "b": pairs(e.Bids), "a": pairs(e.Asks)})
		}
		switch {
		case one && s0.Kind == "depth":
			doneC, stopC, err = ws.WsDepthServe(s0.Symbol, h, errH)
		case one:
			doneC, stopC, err = ws.WsDepthServe100Ms(s0.Symbol, h, errH)
		case s0.Kind == "depth":
			doneC, stopC, err = ws.WsCombinedDepthServe(syms, h, errH)
		default:
			doneC, stopC, err = ws.WsCombinedDepthServe100Ms(syms, h, errH)
		}
	case "partial", "partial100ms":
		h := func(e *connector.WsPartialDepthEvent) {
			q.Push(map[string]any{"lastUpdateId": e.LastUpdateID, "bids": pairs(e.Bids), "asks": pairs(e.Asks)})
		}
		switch {
		case !one && s0.Kind == "partial":
			doneC, stopC, err = ws.WsCombinedPartialDepthServe(pairsOf, h, errH)
		case !one: // no combined 100 ms partial depth method
			return nil, proto.ErrUnsupported
		case s0.Kind == "partial":
			doneC, stopC, err = ws.WsPartialDepthServe(s0.Symbol, s0.Arg, h, errH)
		default:
			doneC, stopC, err = ws.WsPartialDepthServe100Ms(s0.Symbol, s0.Arg, h, errH)
		}
	case "kline":
		h := func(e *connector.WsKlineEvent) { push(q, e) }
		if one {
			doneC, stopC, err = ws.WsKlineServe(s0.Symbol, s0.Arg, h, errH)
		} else {
			doneC, stopC, err = ws.WsCombinedKlineServe(pairsOf, h, errH)
		}
	case "trade":
		if one {
			doneC, stopC, err = ws.WsTradeServe(s0.Symbol, func(e *connector.WsTradeEvent) { push(q, e) }, errH)
		} else {
			doneC, stopC, err = ws.WsCombinedTradeServe(syms, func(e *connector.WsCombinedTradeEvent) {
				push(q, e.Data)
			}, errH)
		}
	default:
		return nil, proto.ErrUnsupported
	}
	if err != nil {
		return nil, fmt.Errorf("subscribe %v: %w", names, err)
	}
	q.Stop = func() { // the documented stop; the reader may have ended it already
		select {
		case stopC <- struct{}{}:
		case <-doneC:
		}
	}
	return map[string]any{"handle": a.streams.Add(q)}, nil
}
