package connectorgo

import "binance-conformance/harness/go/internal/flow"

// FlowSteps are the library's own steps after the common REST flow.
func FlowSteps() []flow.Step { return nil }
