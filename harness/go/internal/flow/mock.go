// mock.go: start/stop a binance-mock on an ephemeral port for the Go flows
// (binary from --mock or $BINANCE_MOCK), read its journal and bundled keys.
package flow

import (
	"bufio"
	"crypto"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Mock is a running binance-mock child process.
type Mock struct {
	cmd *exec.Cmd
	URL string // http://127.0.0.1:PORT
	WS  string // ws://127.0.0.1:PORT
}

var listenRe = regexp.MustCompile(`listening on (https?://\S+)`)

// MockStart runs bin --listen 127.0.0.1:0 --keys keysDir/registry.json and
// waits (30 s at most) for its "listening on URL" line.
func MockStart(bin, keysDir string) (*Mock, error) {
	cmd := exec.Command(bin, "--listen", "127.0.0.1:0", "--keys", filepath.Join(keysDir, "registry.json"))
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	m := &Mock{cmd: cmd}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		sent := false
		for sc.Scan() { // keep draining: the server must never block on a full pipe
			if s := listenRe.FindStringSubmatch(sc.Text()); s != nil && !sent {
				found <- strings.TrimRight(s[1], "/")
				sent = true
			}
		}
		if !sent {
			close(found)
		}
	}()
	select {
	case u, ok := <-found:
		if !ok {
			m.Stop()
			return nil, errors.New("binance-mock exited before listening")
		}
		m.URL, m.WS = u, "ws"+u[4:]
		return m, nil
	case <-time.After(30 * time.Second):
		m.Stop()
		return nil, errors.New("binance-mock did not listen within 30 s")
	}
}

// Stop terminates the server (SIGTERM, then SIGKILL after 5 s).
func (m *Mock) Stop() {
	if m.cmd.Process == nil {
		return
	}
	_ = m.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = m.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = m.cmd.Process.Kill()
		<-done
	}
}

// JournalEntry is one request the server journalled (GET /__admin/journal).
type JournalEntry struct {
	ID        int64  `json:"id"`
	Method    string `json:"method"`
	Path      string `json:"path"`
	Status    int    `json:"status"`
	Transport string `json:"transport"`
	Body      string `json:"body"`
	Code      *int64 `json:"code"`
	Explain   any    `json:"explain"`
}

// Journal returns the entries after id since.
func Journal(url string, since int64) ([]JournalEntry, error) {
	res, err := http.Get(fmt.Sprintf("%s/__admin/journal?since=%d&limit=2000", url, since))
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	var j struct{ Entries []JournalEntry }
	if err := json.Unmarshal(b, &j); err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	return j.Entries, nil
}

// Key is one bundled test key of alice (vectors/keys/).
type Key struct {
	Name, Type, APIKey, Secret, PEM string
}

var keyFiles = map[string]string{"hmac": "hmac.secret", "rsa2048": "rsa2048.pem", "rsa4096": "rsa4096.pem",
	"ed25519": "ed25519.pem"}

// KeyLoad finds the apiKey of a bundled key in registry.json (by secret, or
// by the public half of the private key).
func KeyLoad(dir, name string) (Key, error) {
	var reg struct {
		Accounts []struct {
			Keys []struct{ APIKey, Type, Secret, PublicKey string }
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "registry.json"))
	if err == nil {
		err = json.Unmarshal(b, &reg)
	}
	if err != nil {
		return Key{}, err
	}
	text, err := os.ReadFile(filepath.Join(dir, keyFiles[name]))
	if err != nil {
		return Key{}, err
	}
	if name == "hmac" {
		s := strings.TrimRight(string(text), "\n")
		for _, a := range reg.Accounts {
			for _, k := range a.Keys {
				if k.Type == "HMAC" && k.Secret == s {
					return Key{name, "hmac", k.APIKey, s, ""}, nil
				}
			}
		}
		return Key{}, errors.New("hmac key not in registry")
	}
	mine, err := spkiOfPrivate(text)
	if err != nil {
		return Key{}, err
	}
	typ := "ed25519"
	if strings.HasPrefix(name, "rsa") {
		typ = "rsa"
	}
	for _, a := range reg.Accounts {
		for _, k := range a.Keys {
			if blk, _ := pem.Decode([]byte(k.PublicKey)); blk != nil && string(blk.Bytes) == string(mine) {
				return Key{name, typ, k.APIKey, "", string(text)}, nil
			}
		}
	}
	return Key{}, fmt.Errorf("%s key not in registry", name)
}

func spkiOfPrivate(text []byte) ([]byte, error) {
	blk, _ := pem.Decode(text)
	if blk == nil {
		return nil, errors.New("no PEM block")
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, err
	}
	signer, ok := k.(crypto.Signer)
	if !ok {
		return nil, errors.New("not a signing key")
	}
	pub := signer.Public()
	return x509.MarshalPKIXPublicKey(pub)
}

// WSConn is one WebSocket connection as POST /__admin/ws/list reports it.
type WSConn struct {
	ID            int64    `json:"id"`
	Kind          string   `json:"kind"`
	Path          string   `json:"path"`
	Subscriptions int      `json:"subscriptions"`
	Streams       []string `json:"streams"`
}

// WaitWS polls POST /__admin/ws/list (a round trip each, 20 ms apart) until
// a connection satisfies ok, for up to 5 s: the client's subscription is
// then registered on the server before the step makes the event happen.
func (m *Mock) WaitWS(ok func(WSConn) bool) error {
	deadline := time.Now().Add(5 * time.Second)
	for {
		res, err := http.Post(m.URL+"/__admin/ws/list", "application/json", strings.NewReader("{}"))
		if err != nil {
			return err
		}
		var l struct{ Connections []WSConn }
		err = json.NewDecoder(res.Body).Decode(&l)
		res.Body.Close()
		if err != nil {
			return fmt.Errorf("ws/list: %w", err)
		}
		for _, c := range l.Connections {
			if ok(c) {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no matching WebSocket connection on the server within 5 s: %+v", l.Connections)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// HasStream: a stream connection subscribed to name.
func HasStream(name string) func(WSConn) bool {
	return func(c WSConn) bool {
		for _, s := range c.Streams {
			if s == name {
				return true
			}
		}
		return false
	}
}

// WaitGone polls POST /__admin/ws/list (a round trip each, 20 ms apart)
// until connection id is no longer listed (true) or d has passed (false).
func (m *Mock) WaitGone(id int64, d time.Duration) (bool, error) {
	deadline := time.Now().Add(d)
	for {
		res, err := http.Post(m.URL+"/__admin/ws/list", "application/json", strings.NewReader("{}"))
		if err != nil {
			return false, err
		}
		var l struct{ Connections []WSConn }
		err = json.NewDecoder(res.Body).Decode(&l)
		res.Body.Close()
		if err != nil {
			return false, fmt.Errorf("ws/list: %w", err)
		}
		found := false
		for _, c := range l.Connections {
			found = found || c.ID == id
		}
		if !found {
			return true, nil
		}
		if time.Now().After(deadline) {
			return false, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// MaxWSID is the highest connection id the server lists now (0 if none).
func (m *Mock) MaxWSID() (int64, error) {
	res, err := http.Post(m.URL+"/__admin/ws/list", "application/json", strings.NewReader("{}"))
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	var l struct{ Connections []WSConn }
	if err := json.NewDecoder(res.Body).Decode(&l); err != nil {
		return 0, fmt.Errorf("ws/list: %w", err)
	}
	max := int64(0)
	for _, c := range l.Connections {
		if c.ID > max {
			max = c.ID
		}
	}
	return max, nil
}

// Admin POSTs body to an admin path and fails on a non-200 answer.
func (m *Mock) Admin(path, body string) error {
	res, err := http.Post(m.URL+path, "application/json", strings.NewReader(body))
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		b, _ := io.ReadAll(res.Body)
		return fmt.Errorf("%s: %d %s", path, res.StatusCode, b)
	}
	return nil
}

// LastJournalID is the id of the newest journal entry (0 if none).
func (m *Mock) LastJournalID() (int64, error) {
	j, err := Journal(m.URL, 0)
	if err != nil || len(j) == 0 {
		return 0, err
	}
	return j[len(j)-1].ID, nil
}

// WaitJournal polls the journal after since (a round trip each, 20 ms
// apart, up to 5 s) until an entry satisfies ok.
func (m *Mock) WaitJournal(since int64, ok func(JournalEntry) bool) (bool, error) {
	deadline := time.Now().Add(5 * time.Second)
	for {
		j, err := Journal(m.URL, since)
		if err != nil {
			return false, err
		}
		for _, e := range j {
			if ok(e) {
				return true, nil
			}
		}
		if time.Now().After(deadline) {
			return false, nil
		}
		time.Sleep(20 * time.Millisecond)
	}
}
