// streamname.go: Binance's raw stream names (web-socket-streams.md) as the
// Go drivers map them onto their library's Ws*Serve functions.
package proto

import "strings"

// StreamName is one parsed stream: Kind is depth, depth100ms, partial,
// partial100ms, kline or trade; Arg the partial depth's levels or the kline
// interval.
type StreamName struct{ Symbol, Kind, Arg string }

// ParseStream parses "<symbol>@<kind>[@100ms]"; false for a name the drivers
// do not map.
func ParseStream(n string) (StreamName, bool) {
	parts := strings.Split(n, "@")
	if len(parts) < 2 {
		return StreamName{}, false
	}
	sym, kind := strings.ToUpper(parts[0]), parts[1]
	fast := len(parts) == 3 && parts[2] == "100ms"
	switch {
	case kind == "depth" && fast:
		return StreamName{sym, "depth100ms", ""}, true
	case kind == "depth" && len(parts) == 2:
		return StreamName{sym, "depth", ""}, true
	case strings.HasPrefix(kind, "depth") && (len(parts) == 2 || fast):
		k := "partial"
		if fast {
			k = "partial100ms"
		}
		return StreamName{sym, k, kind[5:]}, true
	case strings.HasPrefix(kind, "kline_") && len(parts) == 2:
		return StreamName{sym, "kline", kind[6:]}, true
	case kind == "trade" && len(parts) == 2:
		return StreamName{sym, "trade", ""}, true
	}
	return StreamName{}, false
}
