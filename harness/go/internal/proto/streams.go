// streams.go: the buffers behind streamSubscribe / streamNext / streamClose
// (PROTOCOL.md §2.1): each handle keeps every event of its subscription in
// arrival order; streamNext takes the next one whose top-level fields equal
// `match`, waiting up to timeoutMs.
package proto

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"time"
)

// Queue is one subscription's buffered events (Binance-shaped JSON values).
type Queue struct {
	mu     sync.Mutex
	events []map[string]any
	wake   chan struct{}
	Stop   func() // closes the library's subscription
}

// NewQueue makes an empty queue; stop closes the subscription.
func NewQueue(stop func()) *Queue { return &Queue{wake: make(chan struct{}, 1), Stop: stop} }

// Push appends one event (called from the library's handler goroutine).
func (q *Queue) Push(ev map[string]any) {
	q.mu.Lock()
	q.events = append(q.events, ev)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func matches(ev, match map[string]any) bool {
	for k, v := range match {
		if !reflect.DeepEqual(ev[k], v) {
			return false
		}
	}
	return true
}

// Next removes and returns the first event matching match (skipping the
// ones before it), or an error "timeout".
func (q *Queue) Next(match map[string]any, timeout time.Duration) (map[string]any, error) {
	deadline := time.Now().Add(timeout)
	for {
		q.mu.Lock()
		for len(q.events) > 0 {
			ev := q.events[0]
			q.events = q.events[1:]
			if matches(ev, match) {
				q.mu.Unlock()
				return ev, nil
			}
		}
		q.mu.Unlock()
		left := time.Until(deadline)
		if left <= 0 {
			return nil, errors.New("timeout")
		}
		select {
		case <-q.wake:
		case <-time.After(left):
		}
	}
}

// Streams maps handles to queues.
type Streams struct {
	mu   sync.Mutex
	seq  int
	open map[string]*Queue
}

// Add registers q and returns its handle.
func (s *Streams) Add(q *Queue) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.open == nil {
		s.open = map[string]*Queue{}
	}
	s.seq++
	h := fmt.Sprintf("h%d", s.seq)
	s.open[h] = q
	return h
}

// Next serves op streamNext.
func (s *Streams) Next(p Params) (any, error) {
	h, _ := p.Str("handle")
	s.mu.Lock()
	q := s.open[h]
	s.mu.Unlock()
	if q == nil {
		return nil, fmt.Errorf("unknown handle %q", h)
	}
	ms, ok := p.Int("timeoutMs")
	if !ok {
		ms = 3000
	}
	match, _ := p["match"].(map[string]any)
	return q.Next(match, time.Duration(ms)*time.Millisecond)
}

// Close serves op streamClose (handle) or closes every stream (handle "").
func (s *Streams) Close(h string) {
	s.mu.Lock()
	var qs []*Queue
	for k, q := range s.open {
		if h == "" || k == h {
			qs = append(qs, q)
			delete(s.open, k)
		}
	}
	s.mu.Unlock()
	for _, q := range qs {
		if q.Stop != nil {
			q.Stop()
		}
	}
}
