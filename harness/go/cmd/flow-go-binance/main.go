// flow-go-binance: the end-to-end flow (internal/flow) through
// github.com/adshao/go-binance/v2's own services, per key type (HMAC,
// RSA-2048, RSA-4096, Ed25519), against a binance-mock it starts on port 0.
package main

import (
	"os"

	"binance-conformance/harness/go/internal/flow"
	"binance-conformance/harness/go/internal/gobinance"
	"binance-conformance/harness/go/internal/proto"
)

func main() {
	os.Exit(flow.Main(func() proto.Driver { return &gobinance.Driver{} }, "hmac,rsa2048,rsa4096,ed25519",
		gobinance.FlowSteps()))
}
