// repin: re-pin expected/<lib>.json after a deliberate change (new cases, a
// new library version in go.mod, a grading change): reads a binance-conform
// report.json and writes the expected file; the reason of each non-PASS case
// comes from notes/<lib>.json (longest case-id prefix wins), else the
// runner's own reason. Review `git diff harness/go/expected` before committing.
//
//	go run ./cmd/repin -report /tmp/r/go-binance/report.json -notes notes/go-binance.json -out expected/go-binance.json
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
)

type report struct {
	Adapter struct {
		Hello struct{ Library, Version string } `json:"hello"`
	} `json:"adapter"`
	Cases []struct{ ID, Verdict, Reason string } `json:"cases"`
}

type pin struct {
	Verdict string `json:"verdict"`
	Reason  string `json:"reason"`
}

func main() {
	rp := flag.String("report", "", "binance-conform report.json")
	np := flag.String("notes", "", "notes/<lib>.json: case-id prefix -> reason")
	out := flag.String("out", "", "expected/<lib>.json to write")
	flag.Parse()
	var r report
	notes := map[string]string{}
	if err := load(*rp, &r); err != nil {
		fail(err)
	}
	if *np != "" {
		if err := load(*np, &notes); err != nil {
			fail(err)
		}
	}
	cases := map[string]pin{}
	for _, c := range r.Cases {
		if c.Verdict == "PASS" {
			continue
		}
		best, reason := "", c.Reason
		for k, v := range notes {
			if strings.HasPrefix(c.ID, k) && len(k) > len(best) {
				best, reason = k, v
			}
		}
		cases[c.ID] = pin{c.Verdict, reason}
	}
	exp := map[string]any{"client": fmt.Sprintf("%s %s (Go module proxy)", r.Adapter.Hello.Library,
		r.Adapter.Hello.Version), "default": "PASS", "cases": cases}
	var buf strings.Builder
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	err := enc.Encode(exp)
	if err != nil {
		fail(err)
	}
	if err := os.WriteFile(*out, []byte(buf.String()), 0o644); err != nil {
		fail(err)
	}
}

func load(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "repin:", err)
	os.Exit(2)
}
