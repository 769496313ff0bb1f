// adapter-connector-go: the binance-conform adapter (harness/PROTOCOL.md) over
// internal/connectorgo (see its package comment for how the library is driven).
package main

import (
	"binance-conformance/harness/go/internal/connectorgo"
	"binance-conformance/harness/go/internal/proto"
)

func main() { proto.Serve(&connectorgo.Driver{}) }
