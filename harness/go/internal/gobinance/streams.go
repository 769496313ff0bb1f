// streams.go: go-binance's market streams behind the protocol's
// streamSubscribe (PROTOCOL.md §2.1). go-binance has one function per stream
// type (WsDepthServe100Ms, WsPartialDepthServe, WsKlineServe, WsTradeServe,
// and their WsCombined* forms) reading the package variables BaseWsMainURL /
// BaseCombinedMainURL; each handler gets the library's typed event, turned
// back into Binance's shape here. Whatever the library does not hand to the
// handler (an event of another type, such as serverShutdown) never reaches
// the adapter.
package gobinance

import (
	"fmt"
	"strings"

	binance "github.com/adshao/go-binance/v2"

	"binance-conformance/harness/go/internal/proto"
)

func depthEvent(e *binance.WsDepthEvent) map[string]any {
	return map[string]any{"e": e.Event, "E": e.Time, "s": e.Symbol, "U": e.FirstUpdateID, "u": e.LastUpdateID,
		"b": levels(e.Bids), "a": levels(e.Asks)}
}

func partialEvent(e *binance.WsPartialDepthEvent) map[string]any {
	return map[string]any{"lastUpdateId": e.LastUpdateID, "bids": levels(e.Bids), "asks": levels(e.Asks)}
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
	binance.BaseWsMainURL = a.streamURL
	binance.BaseCombinedMainURL = strings.TrimSuffix(a.streamURL, "/ws") + "/stream?streams="
	var q *proto.Queue
	var stopC, doneC chan struct{}
	var err error
	errH := func(error) {}
	syms := make([]string, 0, len(parsed))
	for _, s := range parsed {
		syms = append(syms, s.Symbol)
	}
	one := !combined && len(parsed) == 1
	q = proto.NewQueue(nil)
	s0 := parsed[0]
	switch s0.Kind {
	case "depth", "depth100ms":
		h := func(e *binance.WsDepthEvent) { q.Push(depthEvent(e)) }
		switch {
		case one && s0.Kind == "depth":
			doneC, stopC, err = binance.WsDepthServe(s0.Symbol, h, errH)
		case one:
			doneC, stopC, err = binance.WsDepthServe100Ms(s0.Symbol, h, errH)
		case s0.Kind == "depth":
			doneC, stopC, err = binance.WsCombinedDepthServe(syms, h, errH)
		default:
			doneC, stopC, err = binance.WsCombinedDepthServe100Ms(syms, h, errH)
		}
	case "partial", "partial100ms":
		h := func(e *binance.WsPartialDepthEvent) { q.Push(partialEvent(e)) }
		if !one {
			m := map[string]string{}
			for _, s := range parsed {
				m[s.Symbol] = s.Arg
			}
			doneC, stopC, err = binance.WsCombinedPartialDepthServe(m, h, errH)
		} else if s0.Kind == "partial" {
			doneC, stopC, err = binance.WsPartialDepthServe(s0.Symbol, s0.Arg, h, errH)
		} else {
			doneC, stopC, err = binance.WsPartialDepthServe100Ms(s0.Symbol, s0.Arg, h, errH)
		}
	case "kline":
		h := func(e *binance.WsKlineEvent) { push(q, e) }
		if one {
			doneC, stopC, err = binance.WsKlineServe(s0.Symbol, s0.Arg, h, errH)
		} else {
			m := map[string]string{}
			for _, s := range parsed {
				m[s.Symbol] = s.Arg
			}
			doneC, stopC, err = binance.WsCombinedKlineServe(m, h, errH)
		}
	case "trade":
		if one {
			doneC, stopC, err = binance.WsTradeServe(s0.Symbol, func(e *binance.WsTradeEvent) { push(q, e) }, errH)
		} else {
			doneC, stopC, err = binance.WsCombinedTradeServe(syms,
				func(e *binance.WsCombinedTradeEvent) { push(q, e.Data) }, errH)
		}
	default:
		return nil, proto.ErrUnsupported
	}
	if err != nil {
		return nil, fmt.Errorf("subscribe %v: %w", names, err)
	}
	q.Stop = func() { close(stopC); <-doneC }
	return map[string]any{"handle": a.streams.Add(q)}, nil
}
