package lineworkstest_test

import (
	"bufio"
	"fmt"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"
)

// Close returns promptly even while a client has stopped halfway through a
// request's body: the emulator command stops on Ctrl-C whatever its clients do.
func TestCloseDoesNotWaitForAStuckClient(t *testing.T) {
	s, tok := newBotServer(t)
	u, err := url.Parse(s.APIURL())
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	// The 100 Continue says the handler has begun to read the body.
	if _, err := fmt.Fprintf(conn, "POST /v1.0/bots HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n", u.Host, tok); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil || !strings.Contains(line, "100 Continue") {
		t.Fatalf("the emulator answered %q, %v; want 100 Continue", line, err)
	}
	if _, err := fmt.Fprint(conn, `{"botName":`); err != nil {
		t.Fatal(err)
	}

	done := make(chan struct{})
	go func() { s.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close waited more than 10 s for a client that stopped sending")
	}
}
