// flow-connector-go: the end-to-end flow (internal/flow) through
// github.com/binance/binance-connector-go's own services, with its one key
// type (HMAC), against a binance-mock it starts on port 0.
package main

import (
	"os"

	"binance-conformance/harness/go/internal/connectorgo"
	"binance-conformance/harness/go/internal/flow"
	"binance-conformance/harness/go/internal/proto"
)

func main() {
	os.Exit(flow.Main(func() proto.Driver { return &connectorgo.Driver{} }, "hmac", connectorgo.FlowSteps()))
}
