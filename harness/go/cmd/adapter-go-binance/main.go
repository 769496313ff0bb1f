// adapter-go-binance: the binance-conform adapter (harness/PROTOCOL.md) over
// internal/gobinance (see its package comment for how the library is driven).
package main

import (
	"binance-conformance/harness/go/internal/gobinance"
	"binance-conformance/harness/go/internal/proto"
)

func main() { proto.Serve(&gobinance.Driver{}) }
