// flow.go: the end-to-end user flow of the Go SDKs, run through a driver
// (internal/gobinance, internal/connectorgo: the SDK's own services) per key
// type: ping, time, exchangeInfo + depth + klines, account, a LIMIT order that
// rests, query it, cancel it (gone from openOrders), a MARKET order that
// fills, myTrades shows the fill and the balance grew, order/test. A library
// adds steps of its own (market streams, WS API, user data). Each step
// asserts the result and prints one line; the exit status is 0 iff every step
// of every key type passed.
package flow

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"binance-conformance/harness/go/internal/proto"
)

// State is what the steps of one key type share.
type State struct {
	Mock       *Mock
	Key        Key
	Symbol     string
	Sym        map[string]any // the symbol's exchangeInfo entry
	Price, Qty string         // a resting BUY LIMIT price, a quantity worth 3x min notional
	Limit      map[string]any
	Market     map[string]any
	Base0      float64
}

// Step is one named step; it returns the line to print or an error.
type Step struct {
	Name string
	Run  func(d proto.Driver, st *State) (string, error)
}

// RW: signed calls carry a wide recvWindow: on a loaded machine a process can
// stall between signing and sending; the flow tests function, not timing.
const RW = 60000

func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }
func arr(v any) []any          { a, _ := v.([]any); return a }

// Num reads a JSON number or decimal string.
func Num(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case string:
		f, _ := strconv.ParseFloat(x, 64)
		return f
	case json.Number:
		f, _ := x.Float64()
		return f
	}
	return math.NaN()
}

func check(ok bool, format string, a ...any) error {
	if ok {
		return nil
	}
	return fmt.Errorf("assertion: "+format, a...)
}

func filter(sym map[string]any, t string) map[string]any {
	for _, f := range arr(sym["filters"]) {
		if obj(f)["filterType"] == t {
			return obj(f)
		}
	}
	return map[string]any{}
}

func decimals(step string) int {
	if i := strings.IndexByte(step, '.'); i >= 0 {
		return len(strings.TrimRight(step[i+1:], "0"))
	}
	return 0
}

func onStep(v float64, step string, up bool) string {
	s := Num(step)
	n := v / s
	if up {
		n = math.Ceil(n - 1e-9)
	} else {
		n = math.Floor(n + 1e-9)
	}
	return strconv.FormatFloat(n*s, 'f', decimals(step), 64)
}

// MarketPlan: a BUY LIMIT price well below the bid (it rests) and a quantity
// worth 3x the minimum notional (a MARKET BUY of it fills), on the filters.
func MarketPlan(sym map[string]any, bid, ask float64) (string, string) {
	pf, lot, mlot := filter(sym, "PRICE_FILTER"), filter(sym, "LOT_SIZE"), filter(sym, "MARKET_LOT_SIZE")
	nf := filter(sym, "NOTIONAL")
	if _, ok := nf["minNotional"]; !ok {
		nf = filter(sym, "MIN_NOTIONAL")
	}
	pp := filter(sym, "PERCENT_PRICE_BY_SIDE")
	ref := (bid + ask) / 2
	p := bid * 0.9
	if d, ok := pp["bidMultiplierDown"]; ok && Num(d) > 0 {
		p = math.Max(p, ref*Num(d)*1.05)
	}
	tick, _ := pf["tickSize"].(string)
	rest := onStep(p, tick, false)
	step, _ := lot["stepSize"].(string)
	if ms, _ := mlot["stepSize"].(string); Num(ms) > Num(step) {
		step = ms
	}
	minN := Num(nf["minNotional"])
	if math.IsNaN(minN) {
		minN = 10
	}
	q := math.Max(math.Max(Num(lot["minQty"]), Num(mlot["minQty"])), minN*3/Num(rest))
	return rest, onStep(q, step, true)
}

func free(acct map[string]any, asset string) float64 {
	for _, b := range arr(acct["balances"]) {
		if obj(b)["asset"] == asset {
			return Num(obj(b)["free"])
		}
	}
	return 0
}

// Steps are the REST steps every library runs.
func Steps() []Step {
	return []Step{
		{"ping+time", func(d proto.Driver, st *State) (string, error) {
			if _, err := Call(d, "ping", proto.Params{}); err != nil {
				return "", err
			}
			r, err := Call(d, "time", proto.Params{})
			if err != nil {
				return "", err
			}
			t := Num(obj(r)["serverTime"])
			return fmt.Sprintf("serverTime %.0f", t), check(math.Abs(t-float64(time.Now().UnixMilli())) < 60000,
				"serverTime %v near the local clock", t)
		}},
		{"exchangeInfo+depth+klines", func(d proto.Driver, st *State) (string, error) {
			r, err := Call(d, "exchangeInfo", proto.Params{"symbol": st.Symbol})
			if err != nil {
				return "", err
			}
			for _, s := range arr(obj(r)["symbols"]) {
				if obj(s)["symbol"] == st.Symbol {
					st.Sym = obj(s)
				}
			}
			if err := check(st.Sym != nil && len(filter(st.Sym, "PRICE_FILTER")) > 0 &&
				len(filter(st.Sym, "LOT_SIZE")) > 0, "%s with PRICE_FILTER and LOT_SIZE in exchangeInfo", st.Symbol); err != nil {
				return "", err
			}
			b, err := Call(d, "depth", proto.Params{"symbol": st.Symbol, "limit": float64(5)})
			if err != nil {
				return "", err
			}
			bids, asks := arr(obj(b)["bids"]), arr(obj(b)["asks"])
			if err := check(len(bids) > 0 && len(asks) > 0, "depth has bids and asks: %v", b); err != nil {
				return "", err
			}
			bid, ask := Num(arr(bids[0])[0]), Num(arr(asks[0])[0])
			if err := check(bid < ask, "best bid %v < best ask %v", bid, ask); err != nil {
				return "", err
			}
			k, err := Call(d, "klines", proto.Params{"symbol": st.Symbol, "interval": "1h", "limit": float64(3)})
			if err != nil {
				return "", err
			}
			ks := arr(k)
			if err := check(len(ks) > 0 && len(ks) <= 3 && len(arr(ks[0])) >= 11, "1-3 klines of 11+ fields: %v", k); err != nil {
				return "", err
			}
			st.Price, st.Qty = MarketPlan(st.Sym, bid, ask)
			return fmt.Sprintf("%s: %d filters, bid %v ask %v, %d kline(s)", st.Symbol,
				len(arr(st.Sym["filters"])), bid, ask, len(ks)), nil
		}},
		{"account", func(d proto.Driver, st *State) (string, error) {
			r, err := Call(d, "account", proto.Params{"recvWindow": float64(RW)})
			if err != nil {
				return "", err
			}
			a := obj(r)
			st.Base0 = free(a, st.Sym["baseAsset"].(string))
			quote := free(a, st.Sym["quoteAsset"].(string))
			return fmt.Sprintf("%d balances, %s free %v", len(arr(a["balances"])), st.Sym["baseAsset"], st.Base0),
				check(a["canTrade"] == true && quote > 0, "canTrade and a quote balance: %v", a["canTrade"])
		}},
		{"limitOrder", func(d proto.Driver, st *State) (string, error) {
			r, err := Call(d, "newOrder", proto.Params{"symbol": st.Symbol, "side": "BUY", "type": "LIMIT",
				"timeInForce": "GTC", "quantity": st.Qty, "price": st.Price, "recvWindow": float64(RW)})
			if err != nil {
				return "", err
			}
			st.Limit = obj(r)
			return fmt.Sprintf("orderId %.0f BUY %s @ %s %v", Num(st.Limit["orderId"]), st.Qty, st.Price, st.Limit["status"]),
				check(st.Limit["status"] == "NEW" && Num(st.Limit["price"]) == Num(st.Price), "NEW at the price: %v", r)
		}},
		{"getOrder", func(d proto.Driver, st *State) (string, error) {
			r, err := Call(d, "getOrder", proto.Params{"symbol": st.Symbol, "orderId": st.Limit["orderId"],
				"recvWindow": float64(RW)})
			if err != nil {
				return "", err
			}
			o := obj(r)
			return fmt.Sprintf("orderId %.0f %v", Num(o["orderId"]), o["status"]),
				check(Num(o["orderId"]) == Num(st.Limit["orderId"]) && o["clientOrderId"] == st.Limit["clientOrderId"] &&
					o["status"] == "NEW" && Num(o["origQty"]) == Num(st.Qty), "the same NEW order: %v", r)
		}},
		{"cancelOrder", func(d proto.Driver, st *State) (string, error) {
			r, err := Call(d, "cancelOrder", proto.Params{"symbol": st.Symbol, "orderId": st.Limit["orderId"],
				"recvWindow": float64(RW)})
			if err != nil {
				return "", err
			}
			o := obj(r)
			if err := check(Num(o["orderId"]) == Num(st.Limit["orderId"]) && o["status"] == "CANCELED", "CANCELED: %v", r); err != nil {
				return "", err
			}
			open, err := Call(d, "openOrders", proto.Params{"symbol": st.Symbol, "recvWindow": float64(RW)})
			if err != nil {
				return "", err
			}
			for _, x := range arr(open) {
				if Num(obj(x)["orderId"]) == Num(o["orderId"]) {
					return "", errors.New("assertion: the canceled order is still in openOrders")
				}
			}
			return fmt.Sprintf("orderId %.0f CANCELED, not in openOrders", Num(o["orderId"])), nil
		}},
		{"marketOrder", func(d proto.Driver, st *State) (string, error) {
			r, err := Call(d, "newOrder", proto.Params{"symbol": st.Symbol, "side": "BUY", "type": "MARKET",
				"quantity": st.Qty, "recvWindow": float64(RW)})
			if err != nil {
				return "", err
			}
			st.Market = obj(r)
			return fmt.Sprintf("orderId %.0f FILLED %v in %d fill(s)", Num(st.Market["orderId"]), st.Market["executedQty"],
					len(arr(st.Market["fills"]))),
				check(st.Market["status"] == "FILLED" && Num(st.Market["executedQty"]) == Num(st.Qty) &&
					len(arr(st.Market["fills"])) > 0, "FILLED with fills: %v", r)
		}},
		{"myTrades", func(d proto.Driver, st *State) (string, error) {
			r, err := Call(d, "myTrades", proto.Params{"symbol": st.Symbol, "recvWindow": float64(RW)})
			if err != nil {
				return "", err
			}
			total, n := 0.0, 0
			for _, t := range arr(r) {
				if Num(obj(t)["orderId"]) == Num(st.Market["orderId"]) && obj(t)["isBuyer"] == true {
					total += Num(obj(t)["qty"])
					n++
				}
			}
			if err := check(n > 0 && math.Abs(total-Num(st.Market["executedQty"])) < 1e-9,
				"trades of the fill add up to executedQty (%d trades, %v)", n, total); err != nil {
				return "", err
			}
			a, err := Call(d, "account", proto.Params{"recvWindow": float64(RW)})
			if err != nil {
				return "", err
			}
			base := free(obj(a), st.Sym["baseAsset"].(string))
			return fmt.Sprintf("%d trade(s), qty %v, %s free %v -> %v", n, total, st.Sym["baseAsset"], st.Base0, base),
				check(base > st.Base0, "the base balance grew")
		}},
		{"testOrder", func(d proto.Driver, st *State) (string, error) {
			r, err := Call(d, "testOrder", proto.Params{"symbol": st.Symbol, "side": "BUY", "type": "LIMIT",
				"timeInForce": "GTC", "quantity": st.Qty, "price": st.Price, "recvWindow": float64(RW)})
			if err != nil {
				return "", err
			}
			return "order/test {}", check(len(obj(r)) == 0, "order/test answers {}: %v", r)
		}},
	}
}

// Configure makes the driver's fresh client for one key type against the mock.
func Configure(d proto.Driver, m *Mock, k Key) error {
	p := proto.Params{"baseUrl": m.URL, "wsApiUrl": m.WS + "/ws-api/v3", "streamUrl": m.WS + "/ws",
		"apiKey": k.APIKey, "keyType": k.Type, "timeSync": false, "microsecondTimestamps": false,
		"timeoutMs": float64(14000)}
	if k.Secret != "" {
		p["secret"] = k.Secret
	} else {
		p["privateKeyPem"] = k.PEM
	}
	return d.Configure(p)
}

func runKey(mk func() proto.Driver, m *Mock, k Key, symbol string, extra []Step) bool {
	d := mk()
	defer d.Close()
	name := d.Hello()["library"]
	since := int64(0)
	if j, err := Journal(m.URL, 0); err == nil && len(j) > 0 {
		since = j[len(j)-1].ID
	}
	if err := Configure(d, m, k); err != nil {
		fmt.Printf("FAIL %s %s configure: %v\n", name, k.Name, d.ErrorOf(err))
		return false
	}
	j, err := Journal(m.URL, since)
	if err != nil {
		fmt.Printf("FAIL %s %s journal: %v\n", name, k.Name, err)
		return false
	}
	seen := []string{}
	for _, e := range j {
		seen = append(seen, fmt.Sprintf("%s %s %d", e.Method, e.Path, e.Status))
		if e.Status >= 400 {
			fmt.Printf("FAIL %s %s configure: start-up request failed: %v\n", name, k.Name, seen)
			return false
		}
	}
	fmt.Printf("ok   %s %s configure: start-up requests %v\n", name, k.Name, seen)
	st := &State{Mock: m, Key: k, Symbol: symbol}
	for _, s := range append(Steps(), extra...) {
		t0 := time.Now()
		msg, err := s.Run(d, st)
		if err != nil {
			var detail any = err.Error()
			if !strings.HasPrefix(err.Error(), "assertion: ") {
				detail = d.ErrorOf(err)
			}
			fmt.Printf("FAIL %s %s %s: %v\n", name, k.Name, s.Name, detail)
			return false
		}
		fmt.Printf("ok   %s %s %s: %s (%d ms)\n", name, k.Name, s.Name, msg, time.Since(t0).Milliseconds())
	}
	return true
}

// Main runs the flow for each of keys (a comma list of hmac, rsa2048,
// rsa4096, ed25519; -keys-only overrides) and returns the exit status.
func Main(mk func() proto.Driver, keys string, extra []Step) int {
	mockBin := flag.String("mock", os.Getenv("BINANCE_MOCK"), "binance-mock binary")
	keysDir := flag.String("keys", "", "vectors/keys directory")
	only := flag.String("key-types", keys, "key types to run")
	symbol := flag.String("symbol", "BTCUSDT", "symbol")
	flag.Parse()
	if *keysDir == "" && os.Getenv("BC_SOURCE_DIR") != "" {
		*keysDir = os.Getenv("BC_SOURCE_DIR") + "/vectors/keys"
	}
	hello := mk().Hello()
	m, err := MockStart(*mockBin, *keysDir)
	if err != nil {
		fmt.Println("FAIL", err)
		return 1
	}
	defer m.Stop()
	fmt.Printf("# %v %v against %s, keys %s\n", hello["library"], hello["version"], m.URL, *only)
	passed, list := 0, strings.Split(*only, ",")
	for _, name := range list {
		k, err := KeyLoad(*keysDir, name)
		if err != nil {
			fmt.Printf("FAIL %s: %v\n", name, err)
			continue
		}
		if runKey(mk, m, k, *symbol, extra) {
			passed++
		}
	}
	fmt.Printf("# %v: %d/%d key types passed\n", hello["library"], passed, len(list))
	if passed != len(list) {
		return 1
	}
	return 0
}

// Call runs one op through the driver and hands back its data as JSON would
// carry it (what the adapter protocol sends), so steps read one shape.
func Call(d proto.Driver, op string, p proto.Params) (any, error) {
	v, err := d.Call(op, p)
	if err != nil {
		return nil, err
	}
	return proto.Reshape(v)
}
