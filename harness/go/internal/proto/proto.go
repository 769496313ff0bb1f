// Package proto owns the stdin/stdout loop of harness/PROTOCOL.md (protocol 1)
// for the Go adapters: one JSON request per line in, one JSON answer per line
// out (flushed), library logging on stderr. An adapter is a Driver; the loop
// turns its results and errors into the protocol's answer shapes.
package proto

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
)

// ErrUnsupported: the library cannot do this operation or honour this option.
var ErrUnsupported = errors.New("unsupported")

// Params are a request's params, as decoded JSON.
type Params map[string]any

// Error is the protocol error object: only what the library surfaced is set.
type Error struct {
	HTTPStatus int    `json:"httpStatus,omitempty"`
	Code       *int64 `json:"code,omitempty"`
	Msg        string `json:"msg,omitempty"`
	Raw        string `json:"raw,omitempty"`
	RetryAfter string `json:"retryAfter,omitempty"`
	Unknown    bool   `json:"unknown,omitempty"`
}

// Driver is one library behind the protocol.
type Driver interface {
	Hello() map[string]any
	// Configure makes a fresh client (closing the previous one for good).
	Configure(p Params) error
	// Call runs one op through the library; ErrUnsupported for what it cannot do.
	Call(op string, p Params) (any, error)
	// ErrorOf maps what the library returned as an error to the protocol object.
	ErrorOf(err error) Error
	Close()
}

type request struct {
	ID     json.RawMessage `json:"id"`
	Op     string          `json:"op"`
	Params Params          `json:"params"`
}

func answer(d Driver, req request) (ans map[string]any) {
	defer func() { // a panic inside the library or adapter is an answer, not a crash
		if r := recover(); r != nil {
			ans = map[string]any{"ok": false, "error": Error{Msg: fmt.Sprintf("adapter panic: %v", r)}}
		}
	}()
	if req.Params == nil {
		req.Params = Params{}
	}
	switch req.Op {
	case "hello":
		return map[string]any{"ok": true, "data": d.Hello()}
	case "shutdown":
		return map[string]any{"ok": true}
	}
	var data any
	var err error
	if req.Op == "configure" {
		err = d.Configure(req.Params)
	} else {
		data, err = d.Call(req.Op, req.Params)
	}
	if errors.Is(err, ErrUnsupported) {
		return map[string]any{"unsupported": true}
	}
	if err != nil {
		return map[string]any{"ok": false, "error": d.ErrorOf(err)}
	}
	if req.Op == "configure" {
		return map[string]any{"ok": true}
	}
	return map[string]any{"ok": true, "data": data}
}

// Serve runs the protocol loop on stdin/stdout until shutdown or EOF.
func Serve(d Driver) {
	out := os.Stdout
	// a stray fmt.Print in a library must not corrupt the protocol
	os.Stdout = os.Stderr
	in := bufio.NewReader(os.Stdin)
	defer d.Close()
	for {
		line, err := in.ReadBytes('\n')
		if len(line) > 0 {
			var req request
			if json.Unmarshal(line, &req) == nil && req.Op != "" {
				ans := answer(d, req)
				ans["id"] = req.ID
				b, merr := json.Marshal(ans)
				if merr != nil {
					b, _ = json.Marshal(map[string]any{"id": req.ID, "ok": false,
						"error": Error{Msg: "adapter: " + merr.Error()}})
				}
				out.Write(append(b, '\n'))
				if req.Op == "shutdown" {
					return
				}
			}
		}
		if err != nil { // io.EOF: stdin closed
			return
		}
	}
}

// Str / Int / Has read typed params (JSON numbers arrive as float64).
func (p Params) Str(k string) (string, bool) {
	switch v := p[k].(type) {
	case string:
		return v, true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	}
	return "", false
}

func (p Params) Int(k string) (int64, bool) {
	switch v := p[k].(type) {
	case float64:
		return int64(v), true
	case string:
		var n int64
		_, err := fmt.Sscan(v, &n)
		return n, err == nil
	}
	return 0, false
}

// Strs is the string items of the array k (others skipped as empty strings).
func (p Params) Strs(k string) []string {
	var out []string
	list, _ := p[k].([]any)
	for _, n := range list {
		s, _ := n.(string)
		out = append(out, s)
	}
	return out
}

func (p Params) Bool(k string) bool {
	b, _ := p[k].(bool)
	return b
}

// Reshape marshals a library's result struct and decodes it back as generic
// JSON: the structs carry Binance's field names in their json tags.
func Reshape(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	return out, json.Unmarshal(b, &out)
}

// ReshapeResult is Reshape of a library call's (value, error) pair: the
// error as is, else the value back in Binance's JSON shape.
func ReshapeResult[T any](v T, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return Reshape(v)
}
